// Goal: configuration fails fast, names every bad variable at once, refuses an unknown NODE_ENV, and in
// production refuses the development secrets and weak ones. Method: loadConfig on hand-made environments.
import { describe, expect, test } from 'vitest';

import { ConfigError, DEV_BANK_API_KEY, DEV_WEBHOOK_SECRET } from '@paygate/config';

import { BANK_SIM_ENV, DEFAULT_BANK_CALLBACK_URL, loadConfig, MERCHANT_ID } from '../src/config';

/** Random-looking secrets of production strength. */
const STRONG_WEBHOOK_SECRET = '6f1d2c3b4a5e4f609a7b8c9d0e1f2a3b';
const STRONG_BANK_API_KEY = 'c0ffee7b1d9a4e2f8a3b5c6d7e8f9012';

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  test('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});

    expect(config.nodeEnv).toBe('development');
    expect(config.http).toMatchObject({ port: 8001, host: '0.0.0.0' });
    expect(config.merchant).toEqual({
      id: MERCHANT_ID,
      apiKey: DEV_BANK_API_KEY,
      callbackUrl: DEFAULT_BANK_CALLBACK_URL,
    });
    expect(config.merchant.callbackUrl).toBe('http://127.0.0.1:8000/webhooks/bank-callback');
    expect(config.database).toMatchObject({
      url: 'postgresql://postgres@127.0.0.1:5432/paygate_bank',
      poolSizeMax: 10,
      statementTimeoutMs: 5000,
      connectionTimeoutMs: 5000,
    });
    expect(config.schedule.sweepIntervalMs).toBe(1000);
    expect(config.settlement).toEqual({ delayMsMin: 2000, delayMsMax: 10_000, successRate: 0.9 });
    expect(config.scenarios).toEqual({ timeoutRate: 0, unavailableRate: 0, invalidRate: 0, hangMs: 30_000 });
    expect(config.webhook).toMatchObject({
      secret: DEV_WEBHOOK_SECRET,
      timeoutMs: 5000,
      retryBaseMs: 500,
      retryCapMs: 60_000,
      attemptCountMax: 20,
      concurrencyMax: 128,
    });
    expect(config.orders.countMax).toBe(1_000_000);
    expect(config.seed).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  test('when values are set, then they are parsed with their units', () => {
    const config = loadConfig({
      BANK_PORT: '0',
      BANK_MIN_DELAY_MS: '0',
      BANK_MAX_DELAY_MS: '0',
      BANK_SUCCESS_RATE: '1',
      BANK_SEED: '42',
      BANK_CALLBACK_URL: 'https://gateway.example/webhooks/bank-callback',
      BANK_DATABASE_URL: 'postgres://bank@db.example:5433/bank_books',
      BANK_DATABASE_POOL_SIZE_MAX: '3',
      BANK_DATABASE_STATEMENT_TIMEOUT_MS: '2500',
      BANK_SWEEP_INTERVAL_MS: '50',
      BANK_WEBHOOK_CONCURRENCY_MAX: '4',
    });

    expect(config.http.port).toBe(0);
    expect(config.settlement).toEqual({ delayMsMin: 0, delayMsMax: 0, successRate: 1 });
    expect(config.seed).toBe('42');
    expect(config.merchant.callbackUrl).toBe('https://gateway.example/webhooks/bank-callback');
    expect(config.database).toMatchObject({
      url: 'postgres://bank@db.example:5433/bank_books',
      poolSizeMax: 3,
      statementTimeoutMs: 2500,
    });
    expect(config.schedule.sweepIntervalMs).toBe(50);
    expect(config.webhook.concurrencyMax).toBe(4);
  });

  test.each([
    [{ BANK_MIN_DELAY_MS: '500', BANK_MAX_DELAY_MS: '100' }, 'BANK_MIN_DELAY_MS'],
    [{ BANK_SUCCESS_RATE: '1.5' }, 'BANK_SUCCESS_RATE'],
    [{ BANK_TIMEOUT_RATE: '0.5', BANK_UNAVAILABLE_RATE: '0.4', BANK_INVALID_RATE: '0.2' }, 'BANK_TIMEOUT_RATE'],
    [{ BANK_PORT: 'eighty' }, 'BANK_PORT'],
    [{ BANK_WEBHOOK_ATTEMPT_COUNT_MAX: '0' }, 'BANK_WEBHOOK_ATTEMPT_COUNT_MAX'],
    [{ BANK_WEBHOOK_RETRY_BASE_MS: '1000', BANK_WEBHOOK_RETRY_CAP_MS: '10' }, 'BANK_WEBHOOK_RETRY_BASE_MS'],
    [{ BANK_WEBHOOK_CONCURRENCY_MAX: '100000' }, 'BANK_WEBHOOK_CONCURRENCY_MAX'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ BANK_CALLBACK_URL: 'ftp://gateway.example/hook' }, 'BANK_CALLBACK_URL'],
    [{ BANK_CALLBACK_URL: 'not a url' }, 'BANK_CALLBACK_URL'],
    [{ BANK_DATABASE_URL: 'mysql://127.0.0.1/bank' }, 'BANK_DATABASE_URL'],
    [{ BANK_DATABASE_URL: 'postgresql://127.0.0.1:5432/' }, 'BANK_DATABASE_URL'],
    [{ BANK_DATABASE_URL: 'postgresql://127.0.0.1:5432/bank%22%3B%20DROP' }, 'BANK_DATABASE_URL'],
    [{ BANK_DATABASE_POOL_SIZE_MAX: '0' }, 'BANK_DATABASE_POOL_SIZE_MAX'],
    [{ BANK_DATABASE_STATEMENT_TIMEOUT_MS: '10' }, 'BANK_DATABASE_STATEMENT_TIMEOUT_MS'],
    [{ BANK_SWEEP_INTERVAL_MS: '3600000' }, 'BANK_SWEEP_INTERVAL_MS'],
    [{ BANK_API_KEY: 'short' }, 'BANK_API_KEY'],
    [{ BANK_API_KEY: 'has spaces in the middle of it' }, 'BANK_API_KEY'],
    [{ WEBHOOK_SECRET: 'short' }, 'WEBHOOK_SECRET'],
  ])('when the environment is %o, then start-up fails naming %s', (env, variable) => {
    const error = configErrorOf(env);

    expect(error.problems.map((problem) => problem.variable)).toContain(variable);
    expect(error.message).toContain(`${variable}:`);
  });

  test('when several variables are bad, then every one is reported at once', () => {
    const error = configErrorOf({ BANK_PORT: 'eighty', BANK_SUCCESS_RATE: '2', BANK_CALLBACK_URL: 'nope' });

    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'BANK_CALLBACK_URL',
      'BANK_PORT',
      'BANK_SUCCESS_RATE',
    ]);
  });

  test('when NODE_ENV is unknown (prod), then start-up fails naming the allowed values', () => {
    const error = configErrorOf({ NODE_ENV: 'prod' });

    expect(error.variable).toBe('NODE_ENV');
    expect(error.message).toContain('development, test, production');
  });

  test('when production keeps the development secrets, then both are refused', () => {
    const error = configErrorOf({ NODE_ENV: 'production' });

    expect(error.problems.map((problem) => problem.variable).sort()).toEqual(['BANK_API_KEY', 'WEBHOOK_SECRET']);
    expect(error.message).toContain('development default');
  });

  test.each([
    ['too short', 'a-short-secret-of-24-char'],
    ['a repeated pattern', 'abcdefgh'.repeat(4)],
  ])('when a production secret is %s, then it is refused', (_name, weak) => {
    const error = configErrorOf({ NODE_ENV: 'production', WEBHOOK_SECRET: weak, BANK_API_KEY: weak });

    expect(error.problems.map((problem) => problem.variable)).toEqual(
      expect.arrayContaining(['WEBHOOK_SECRET', 'BANK_API_KEY']),
    );
  });

  test('when production has strong secrets, then it starts', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      WEBHOOK_SECRET: STRONG_WEBHOOK_SECRET,
      BANK_API_KEY: STRONG_BANK_API_KEY,
    });

    expect(config.webhook.secret).toBe(STRONG_WEBHOOK_SECRET);
    expect(config.merchant.apiKey).toBe(STRONG_BANK_API_KEY);
  });
});

describe('BANK_SIM_ENV', () => {
  test('every variable is described on its outer schema, so .env.example can say what it is', () => {
    const undescribed = Object.entries(BANK_SIM_ENV.shape)
      .filter(([, schema]) => (schema.description ?? '') === '')
      .map(([variable]) => variable);

    expect(undescribed).toEqual([]);
  });
});
