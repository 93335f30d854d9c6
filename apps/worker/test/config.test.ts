// Goal: configuration fails fast, names the bad variable, and checks how values relate; the topology names
// all carry the prefix. Method: loadConfig on hand-made environments; topologyNames on a prefix.
import { describe, expect, test } from 'vitest';

import { ConfigError, loadConfig, retryWindowMs } from '../src/config';
import { topologyNames } from '../src/infra/topology';
import { RetryPolicy } from '../src/services/retry-policy';

describe('loadConfig', () => {
  test('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});

    expect(config.database).toMatchObject({ url: 'postgresql://postgres@127.0.0.1:5432/paygate', poolSizeMax: 10 });
    expect(config.amqp).toMatchObject({
      url: 'amqp://guest:guest@127.0.0.1:5672',
      prefix: 'paygate',
      queueExpiresMs: undefined,
      prefetch: 16,
    });
    expect(config.bank).toMatchObject({
      url: 'http://127.0.0.1:8001',
      timeoutMs: 5_000,
      callbackUrl: 'http://127.0.0.1:8000/webhooks/bank-callback',
    });
    expect(config.metrics).toMatchObject({ port: 9101 });
    expect(config.retry).toEqual({ countMax: 5, baseMs: 1_000, capMs: 600_000 });
    expect(config.breaker).toEqual({ failureCountThreshold: 5, cooldownMs: 30_000 });
    expect(config.outbox).toMatchObject({ batchSize: 100, sweepIntervalMs: 1_000 });
    expect(config.reconcile).toMatchObject({
      intervalMs: 10_000,
      processingAfterMs: 60_000,
      pendingAfterMs: 60_000,
      unknownOrderFailAfterMs: 900_000,
      batchSize: 100,
    });
    expect(config.retention).toMatchObject({
      intervalMs: 3_600_000,
      idempotencyTtlHours: 24,
      outboxRetentionHours: 168,
      batchSize: 1_000,
    });
    expect(config.shutdown.graceMs).toBe(10_000);
    expect(config.logLevel).toBe('info');
  });

  test('when API_URL is set and WEBHOOK_CALLBACK_URL is not, then the callback goes to the API', () => {
    expect(loadConfig({ API_URL: 'http://api:8000/' }).bank.callbackUrl).toBe('http://api:8000/webhooks/bank-callback');
    expect(loadConfig({ API_URL: 'http://api:8000', WEBHOOK_CALLBACK_URL: 'http://hooks/cb' }).bank.callbackUrl).toBe(
      'http://hooks/cb',
    );
  });

  test.each([
    [{ WORKER_PREFETCH: '0' }, 'WORKER_PREFETCH'],
    [{ AMQP_URL: 'http://rabbit' }, 'AMQP_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ AMQP_PREFIX: 'has space' }, 'AMQP_PREFIX'],
    [{ BANK_TIMEOUT_MS: 'soon' }, 'BANK_TIMEOUT_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ RETRY_BASE_MS: '5000', RETRY_CAP_MS: '1000', BREAKER_COOLDOWN_MS: '500' }, 'RETRY_BASE_MS'],
    [{ BANK_TIMEOUT_MS: '60000' }, 'BANK_TIMEOUT_MS'],
    [{ BREAKER_COOLDOWN_MS: '700000' }, 'BREAKER_COOLDOWN_MS'],
    [{ RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS: '100000' }, 'RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS'],
    [{ SHUTDOWN_GRACE_MS: '1000' }, 'SHUTDOWN_GRACE_MS'],
  ])('when %j, then start-up fails naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });

  test('when a variable is empty, then its default applies', () => {
    expect(loadConfig({ WORKER_PREFETCH: '' }).amqp.prefetch).toBe(16);
  });

  test('when the defaults are used, then the longest retry window fits well inside the unknown-order deadline', () => {
    const windowMs = retryWindowMs({
      RETRY_COUNT_MAX: 5,
      RETRY_BASE_MS: 1_000,
      RETRY_CAP_MS: 600_000,
      BREAKER_COOLDOWN_MS: 30_000,
      BANK_TIMEOUT_MS: 5_000,
    });
    expect(windowMs).toBe(5 * 30_000 + 6 * 5_000);
    expect(windowMs).toBeLessThan(900_000);
  });
});

describe('topology and retry delays', () => {
  test('when names are listed, then every queue and exchange starts with the prefix and each delay has its queue', () => {
    const names = topologyNames({ prefix: 'pg_x', retryDelayBucketsMs: [100, 200, 400] });
    expect(names.exchanges).toEqual(['pg_x.transactions', 'pg_x.transactions.dlx', 'pg_x.transactions.retry']);
    expect(names.queues).toEqual([
      'pg_x.transactions.process',
      'pg_x.transactions.dead',
      'pg_x.transactions.retry.100',
      'pg_x.transactions.retry.200',
      'pg_x.transactions.retry.400',
    ]);
  });

  test('when a delay is drawn, then it is one of the buckets, grows with the attempt, and honours a lower bound', () => {
    const policy = new RetryPolicy(5, 100, 1_000, () => 0.999);
    expect(policy.bucketsMs).toEqual([100, 200, 400, 800, 1_000]);
    expect([0, 1, 2, 3, 4].map((attemptIndex) => policy.delayMs(attemptIndex))).toEqual([100, 100, 200, 400, 800]);
    expect(new RetryPolicy(5, 100, 1_000, () => 0).delayMs(4)).toBe(100);
    expect(new RetryPolicy(5, 100, 1_000, () => 0).delayMs(0, 350)).toBe(400);
    expect(policy.canRetryAfter(4)).toBe(true);
    expect(policy.canRetryAfter(5)).toBe(false);
  });
});
