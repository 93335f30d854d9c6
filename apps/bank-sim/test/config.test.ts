// Goal: configuration fails fast and names the bad variable. Method: loadConfig on hand-made environments.
import { describe, expect, test } from 'vitest';

import { ConfigError, DEFAULT_WEBHOOK_SECRET, loadConfig } from '../src/config';

describe('loadConfig', () => {
  test('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});

    expect(config.http).toMatchObject({ port: 8001, host: '0.0.0.0' });
    expect(config.settlement).toEqual({ delayMsMin: 2000, delayMsMax: 10_000, successRate: 0.9 });
    expect(config.scenarios).toEqual({ timeoutRate: 0, unavailableRate: 0, invalidRate: 0, hangMs: 30_000 });
    expect(config.webhook).toMatchObject({
      secret: DEFAULT_WEBHOOK_SECRET,
      timeoutMs: 5000,
      retryBaseMs: 500,
      retryCapMs: 60_000,
      attemptCountMax: 20,
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
    });

    expect(config.http.port).toBe(0);
    expect(config.settlement).toEqual({ delayMsMin: 0, delayMsMax: 0, successRate: 1 });
    expect(config.seed).toBe('42');
  });

  test.each([
    [{ NODE_ENV: 'production' }, 'WEBHOOK_SECRET'],
    [{ NODE_ENV: 'production', WEBHOOK_SECRET: 'short' }, 'WEBHOOK_SECRET'],
    [{ BANK_MIN_DELAY_MS: '500', BANK_MAX_DELAY_MS: '100' }, 'BANK_MIN_DELAY_MS'],
    [{ BANK_SUCCESS_RATE: '1.5' }, 'BANK_SUCCESS_RATE'],
    [{ BANK_TIMEOUT_RATE: '0.5', BANK_UNAVAILABLE_RATE: '0.4', BANK_INVALID_RATE: '0.2' }, 'BANK_TIMEOUT_RATE'],
    [{ BANK_PORT: 'eighty' }, 'BANK_PORT'],
    [{ BANK_WEBHOOK_ATTEMPT_COUNT_MAX: '0' }, 'BANK_WEBHOOK_ATTEMPT_COUNT_MAX'],
    [{ BANK_WEBHOOK_RETRY_BASE_MS: '1000', BANK_WEBHOOK_RETRY_CAP_MS: '10' }, 'BANK_WEBHOOK_RETRY_BASE_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('when the environment is %o, then start-up fails naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
  });

  test('when production has a real secret, then it starts', () => {
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET: 'a-real-secret-of-some-length' }).webhook.secret).toBe(
      'a-real-secret-of-some-length',
    );
  });
});
