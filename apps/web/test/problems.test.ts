/**
 * Goal: every error answer becomes a problem a person can act on, by the API's error code first and the
 * HTTP status when the body is not ours (a proxy's HTML page, an empty body).
 * Method: real Response objects through readProblem; then the idempotency-key rule for each kind.
 */
import type { ApiProblem } from '@paygate/ui';
import { keepsIdempotencyKey, readProblem, retryAfterSeconds } from '@paygate/ui';
import { describe, expect, test } from 'vitest';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('readProblem', () => {
  test('when the balance is too low, then the available balance and currency are kept', async () => {
    const problem = await readProblem(
      json(400, {
        error: 'insufficient_balance',
        message: 'Insufficient balance',
        details: { available_balance: '12.34', currency: 'USD' },
        request_id: 'r1',
      }),
    );
    expect(problem).toEqual({
      kind: 'insufficient_balance',
      availableBalance: '12.34',
      currency: 'USD',
      requestId: 'r1',
    });
  });

  test('when insufficient_balance has no details, then the amount is unknown rather than invented', async () => {
    const problem = await readProblem(json(400, { error: 'insufficient_balance', message: 'x', request_id: 'r1' }));
    expect(problem).toMatchObject({ kind: 'insufficient_balance', availableBalance: null, currency: null });
  });

  test('when rate-limited, then Retry-After (header) wins over the body', async () => {
    const problem = await readProblem(
      json(
        429,
        {
          error: 'rate_limit_exceeded',
          message: 'Too many requests. Please try again later.',
          retry_after: 7,
          request_id: 'r',
        },
        { 'Retry-After': '30' },
      ),
    );
    expect(problem).toMatchObject({ kind: 'rate_limited', retryAfterS: 30 });
  });

  test('when rate-limited without the header, then the body retry_after is used', async () => {
    const problem = await readProblem(
      json(429, { error: 'rate_limit_exceeded', message: 'x', retry_after: 7, request_id: 'r' }),
    );
    expect(problem).toMatchObject({ kind: 'rate_limited', retryAfterS: 7 });
  });

  test('when validation fails, then each field issue is kept for its field', async () => {
    const problem = await readProblem(
      json(422, {
        error: 'validation_error',
        message: 'amount: bad',
        details: [{ field: 'amount', message: 'bad', reason: 'zero' }, { nonsense: 1 }],
        request_id: 'r',
      }),
    );
    expect(problem).toEqual({
      kind: 'validation',
      fields: [{ field: 'amount', message: 'bad' }],
      message: 'amount: bad',
      requestId: 'r',
    });
  });

  test('when the code is unknown, then it is unexpected with the request id', async () => {
    const problem = await readProblem(json(400, { error: 'brand_new_code', message: 'm', request_id: 'req-9' }));
    expect(problem).toEqual({
      kind: 'unexpected',
      status: 400,
      code: 'brand_new_code',
      message: 'm',
      requestId: 'req-9',
    });
  });

  test('when a proxy answers 502 with HTML, then the API is unavailable and the request id comes from the header', async () => {
    const problem = await readProblem(
      new Response('<html>Bad gateway</html>', { status: 502, headers: { 'X-Request-ID': 'hdr-1' } }),
    );
    expect(problem).toEqual({ kind: 'unavailable', requestId: 'hdr-1' });
  });

  test('when a 401 has no body, then it is still unauthorized', async () => {
    expect(await readProblem(new Response(null, { status: 401 }))).toMatchObject({ kind: 'unauthorized' });
  });
});

describe('retryAfterSeconds', () => {
  test('when Retry-After is an HTTP date, then the seconds until it are used', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    const response = new Response(null, { status: 429, headers: { 'Retry-After': 'Fri, 27 Nov 2026 10:00:45 GMT' } });
    expect(retryAfterSeconds(response, undefined, now)).toBe(45);
  });
});

describe('keepsIdempotencyKey', () => {
  const cases: [ApiProblem, boolean][] = [
    [{ kind: 'network' }, true],
    [{ kind: 'timeout' }, true],
    [{ kind: 'in_progress', requestId: null }, true],
    [{ kind: 'unavailable', requestId: null }, true],
    [{ kind: 'rate_limited', retryAfterS: 1, retryAtMs: 0, requestId: null }, true],
    [{ kind: 'unexpected', status: 500, code: 'internal_error', message: null, requestId: null }, true],
    [{ kind: 'unexpected', status: 422, code: 'idempotency_key_reused', message: null, requestId: null }, false],
    [{ kind: 'insufficient_balance', availableBalance: null, currency: null, requestId: null }, false],
    [{ kind: 'validation', fields: [], message: '', requestId: null }, false],
  ];
  test.each(cases)('when the problem is %o, then the key is kept: %s', (problem, kept) => {
    expect(keepsIdempotencyKey(problem)).toBe(kept);
  });
});
