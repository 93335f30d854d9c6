import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import {
  backoffDelayMs,
  CircuitBreaker,
  decodeCursor,
  delayBucketMs,
  delayBucketsMs,
  encodeCursor,
  hashApiKey,
  requestFingerprint,
  settlesWithin,
  withTimeout,
} from '../src';

describe('requestFingerprint', () => {
  test('when only key order or whitespace differs, then the fingerprint is the same', () => {
    const a = requestFingerprint({
      method: 'post',
      path: '/api/v1/deposits',
      body: JSON.parse('{"amount": "10.00", "currency": "USD"}'),
    });
    const b = requestFingerprint({
      method: 'POST',
      path: '/api/v1/deposits',
      body: { currency: 'USD', amount: '10.00' },
    });
    expect(a).toBe(b);
  });

  test('when the method, path or any value differs, then the fingerprint differs', () => {
    const base = { method: 'POST', path: '/api/v1/deposits', body: { amount: '10.00' } };
    const fingerprint = requestFingerprint(base);
    expect(requestFingerprint({ ...base, method: 'PUT' })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, path: '/api/v1/withdrawals' })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, body: { amount: '10.01' } })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, body: { amount: 10 } })).not.toBe(fingerprint);
  });

  test('when an API key is hashed, then it is a stable 64-hex digest that does not contain the key', () => {
    const hash = hashApiKey('pg_live_secret');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('pg_live_secret')).toBe(hash);
  });
});

describe('cursor', () => {
  test('property: encode then decode gives back the position', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (createdAtMs, id) => {
          expect(decodeCursor(encodeCursor({ createdAtMs, id }))).toEqual({ createdAtMs, id });
        },
      ),
    );
  });

  test.each(['', 'not-base64!', 'Zm9v', 'x'.repeat(100), Buffer.from('1:-2').toString('base64url')])(
    'when the cursor is %j, then it is refused',
    (cursor) => expect(decodeCursor(cursor)).toBeUndefined(),
  );
});

describe('backoff', () => {
  test('property: delays stay within [0, min(cap, base*2^n)]', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attemptIndex, random) => {
        const delay = backoffDelayMs(attemptIndex, 100, 10_000, () => random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(10_000, 100 * 2 ** attemptIndex));
      }),
    );
  });

  test('when a delay is bucketed, then it rounds down to a bucket and never below the smallest', () => {
    const buckets = delayBucketsMs(100, 1_000);
    expect(buckets).toEqual([100, 200, 400, 800, 1_000]);
    expect(delayBucketMs(0, buckets)).toBe(100);
    expect(delayBucketMs(399, buckets)).toBe(200);
    expect(delayBucketMs(5_000, buckets)).toBe(1_000);
  });
});

describe('CircuitBreaker', () => {
  test('when failures reach the threshold, then it opens, half-opens after the cool-down, and closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureCountThreshold: 3, cooldownMs: 1_000 }, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure();
    }
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    now = 1_000;
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
  });

  test('when the half-open trial fails, then it opens again for a full cool-down', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureCountThreshold: 1, cooldownMs: 500 }, () => now);
    breaker.tryAcquire();
    breaker.onFailure();
    now = 600;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryInMs).toBe(500);
  });
});

describe('deadlines', () => {
  test('when the work settles in time, then it counts, a rejection included; when it does not, then false', async () => {
    expect(await settlesWithin(Promise.resolve(1), 1_000)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('no')), 1_000)).toBe(true);
    expect(await settlesWithin(new Promise(() => undefined), 5)).toBe(false);
  });

  test('when the work is slower than the timeout, then withTimeout rejects with the message', async () => {
    await expect(withTimeout(Promise.resolve('ok'), 1_000, 'late')).resolves.toBe('ok');
    await expect(withTimeout(new Promise(() => undefined), 5, 'late')).rejects.toThrow('late');
  });
});
