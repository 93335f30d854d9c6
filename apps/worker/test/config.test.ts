// Goal: configuration fails fast, names the bad variable, and checks how values relate; the topology names
// all carry the prefix. Method: loadConfig on hand-made environments; topologyNames on a prefix.
import { describe, expect, test } from 'vitest';

import { ConfigError, loadConfig, WORKER_ENV } from '../src/config';
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
      apiKey: 'dev-bank-api-key-change-me',
      timeoutMs: 5_000,
    });
    expect(config.metrics).toMatchObject({ port: 9101 });
    expect(config.retry).toEqual({ horizonMs: 1_800_000, baseMs: 1_000, capMs: 600_000 });
    expect(config.breaker).toEqual({ failureCountThreshold: 5, cooldownMs: 30_000 });
    expect(config.outbox).toMatchObject({ batchSize: 100, sweepIntervalMs: 1_000 });
    expect(config.reconcile).toMatchObject({
      intervalMs: 10_000,
      processingAfterMs: 60_000,
      pendingAfterMs: 60_000,
      unknownOrderFailAfterMs: 2_700_000,
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
    [{ RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS: '1800000' }, 'RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS'],
    [{ RETRY_HORIZON_MS: '60000' }, 'RETRY_CAP_MS'],
    [{ SHUTDOWN_GRACE_MS: '1000' }, 'SHUTDOWN_GRACE_MS'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'BANK_API_KEY'],
    [{ NODE_ENV: 'production', BANK_API_KEY: 'a'.repeat(40) }, 'BANK_API_KEY'],
    [{ WEBHOOK_RETRY_SCHEDULE_S: '5,soon' }, 'WEBHOOK_RETRY_SCHEDULE_S.1'],
    [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'everything' }, 'WEBHOOK_ALLOW_PRIVATE_URLS'],
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

  test('when several variables are bad, then every one is named at once', () => {
    try {
      loadConfig({ WORKER_PREFETCH: '0', AMQP_URL: 'http://rabbit', NODE_ENV: 'prod' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual([
        'AMQP_URL',
        'NODE_ENV',
        'WORKER_PREFETCH',
      ]);
    }
  });

  test('when production has a strong merchant credential, then it starts', () => {
    const apiKey = '4f9c2a7e1b8d3c6f0a5e9b2d7c1f8a3e6b0d4c9f2a7e5b1d';
    const endpointKey = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(
      loadConfig({ NODE_ENV: 'production', BANK_API_KEY: apiKey, WEBHOOK_ENDPOINT_SECRET_KEY: endpointKey }).bank
        .apiKey,
    ).toBe(apiKey);
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

  test('when a delay is drawn, then it is one of the buckets and grows with the attempt', () => {
    const policy = new RetryPolicy(60_000, 100, 1_000, () => 0.999);
    expect(policy.bucketsMs).toEqual([100, 200, 400, 800, 1_000]);
    expect([0, 1, 2, 3, 4, 20].map((attemptIndex) => policy.delayMs(attemptIndex))).toEqual([
      100, 100, 200, 400, 800, 800,
    ]);
    expect(new RetryPolicy(60_000, 100, 1_000, () => 0).delayMs(4)).toBe(100);
  });

  test('when the breaker is open, then the wait outlasts its cool-down; retries stop at the horizon, not a count', () => {
    const policy = new RetryPolicy(60_000, 100, 1_000);
    expect(policy.waitForBreakerMs(350)).toBe(400);
    expect(policy.waitForBreakerMs(0)).toBe(100);
    expect(policy.isWithinHorizon(1_000, 60_999)).toBe(true);
    expect(policy.isWithinHorizon(1_000, 61_000)).toBe(false);
  });
});

describe('WORKER_ENV', () => {
  test('every variable is described on its outer schema, so .env.example can say what it is', () => {
    const undescribed = Object.entries(WORKER_ENV.shape)
      .filter(([, schema]) => (schema.description ?? '') === '')
      .map(([variable]) => variable);

    expect(undescribed).toEqual([]);
  });
});
