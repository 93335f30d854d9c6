// Goal: the API's configuration follows @paygate/config's rules: every bad variable is reported at once,
// by name; an unknown NODE_ENV stops it naming the allowed values; production refuses the development and
// weak webhook secrets; API_TRUST_PROXY cannot trust everyone. Method: loadConfig on hand-made
// environments, and the real process (src/main.ts) started with a bad one.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

import { API_ENV, ConfigError, DEV_WEBHOOK_SECRET, loadConfig } from '../src/config';

const STRONG_SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const STRONG_BANK_KEY = 'b1c7e0f4a9d24c3e8f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c';
const STRONG_ENDPOINT_KEY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const API_DIR = fileURLToPath(new URL('..', import.meta.url));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.variable}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  test('when nothing is set, then the local defaults apply and the new limits have theirs', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.http).toMatchObject({ trustProxy: ['loopback'], bodyBytesMax: 65_536, port: 8000 });
    expect(config.rateLimit).toMatchObject({
      clientPerWindow: 1_000,
      systemPerWindow: 0,
      loginPerWindow: 10,
      loginFailuresPerEmailPerWindow: 5,
      failOpen: true,
    });
    expect(config.webhook.secret).toBe(DEV_WEBHOOK_SECRET);
    expect(config.auth.demoKeysAllowed).toBe(true);
  });

  test('when several variables are bad, NODE_ENV among them, then every one is listed at once', () => {
    expect(
      problemsOf({ NODE_ENV: 'prod', API_PORT: 'eighty', REDIS_URL: 'http://redis', RATE_LIMIT_SYSTEM_PER_MIN: '-1' }),
    ).toEqual([
      'NODE_ENV: must be one of development, test, production',
      'API_PORT: must be a whole number',
      'REDIS_URL: must be a redis:// or rediss:// URL',
      'RATE_LIMIT_SYSTEM_PER_MIN: must be at least 0',
      'WEBHOOK_SECRET: the development default is refused when NODE_ENV=production (judged as production while NODE_ENV is unknown)',
    ]);
  });

  test('when production keeps the development secret and another variable is bad, then both are listed', () => {
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'mysql://db' })).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// URL',
      'WEBHOOK_SECRET: the development default is refused when NODE_ENV=production',
    ]);
  });

  test.each([
    [
      'the development default',
      DEV_WEBHOOK_SECRET,
      ['WEBHOOK_SECRET: the development default is refused when NODE_ENV=production'],
    ],
    ['forty times a', 'a'.repeat(40), [expect.stringMatching(/^WEBHOOK_SECRET: must be random/)]],
    [
      'a short varied one',
      'short-but-varied-1',
      ['WEBHOOK_SECRET: must be at least 32 characters when NODE_ENV=production'],
    ],
    ['a repeated pattern', 'abcdefgh'.repeat(5), [expect.stringMatching(/^WEBHOOK_SECRET: must be random/)]],
  ])('when production gets %s as WEBHOOK_SECRET, then it does not start', (_name, secret, problems) => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        WEBHOOK_SECRET: secret,
        BANK_API_KEY: STRONG_BANK_KEY,
        WEBHOOK_ENDPOINT_SECRET_KEY: STRONG_ENDPOINT_KEY,
      }),
    ).toEqual(problems);
  });

  test('when production gets a random secret, then it starts, with demo keys switched off', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      WEBHOOK_SECRET: STRONG_SECRET,
      BANK_API_KEY: STRONG_BANK_KEY,
      WEBHOOK_ENDPOINT_SECRET_KEY: STRONG_ENDPOINT_KEY,
    });
    expect(config.env).toBe('production');
    expect(config.auth.demoKeysAllowed).toBe(false);
    expect(config.operators.secureCookie).toBe(true);
  });

  test('when production keeps the development bank credential, then it does not start (the console reconciles with it)', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        WEBHOOK_SECRET: STRONG_SECRET,
        WEBHOOK_ENDPOINT_SECRET_KEY: STRONG_ENDPOINT_KEY,
      }),
    ).toEqual(['BANK_API_KEY: the development default is refused when NODE_ENV=production']);
  });

  test('when production keeps the development key of webhook endpoint secrets, or allows private URLs, then it does not start', () => {
    const strong = { NODE_ENV: 'production', WEBHOOK_SECRET: STRONG_SECRET, BANK_API_KEY: STRONG_BANK_KEY };
    expect(problemsOf(strong)).toEqual([
      'WEBHOOK_ENDPOINT_SECRET_KEY: the development default is refused when NODE_ENV=production',
    ]);
    expect(
      problemsOf({
        ...strong,
        WEBHOOK_ENDPOINT_SECRET_KEY: STRONG_ENDPOINT_KEY,
        WEBHOOK_ALLOW_PRIVATE_URLS: '127.0.0.0/8',
      }),
    ).toEqual(['WEBHOOK_ALLOW_PRIVATE_URLS: must be empty when NODE_ENV=production']);
    expect(problemsOf({ WEBHOOK_ALLOW_PRIVATE_URLS: 'localhost' })).toEqual([
      'WEBHOOK_ALLOW_PRIVATE_URLS: must be CIDR ranges separated by commas, e.g. 127.0.0.0/8,::1/128',
    ]);
  });

  test('when outside production the secret is short, then it is refused too', () => {
    expect(problemsOf({ NODE_ENV: 'test', WEBHOOK_SECRET: 'short' })).toEqual([
      'WEBHOOK_SECRET: must be at least 16 characters',
    ]);
  });

  test.each([
    ['false', false],
    ['none', false],
    ['2', 2],
    ['10.0.0.0/8, loopback, ::1, 172.16.0.0/255.240.0.0', ['10.0.0.0/8', 'loopback', '::1', '172.16.0.0/255.240.0.0']],
  ])('when API_TRUST_PROXY is %s, then Express gets %j', (value, expected) => {
    expect(loadConfig({ API_TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
  });

  test.each(['true', 'everyone', '10.0.0.0/33', '300.1.1.1', ','])(
    'when API_TRUST_PROXY is %s, then it is refused',
    (value) => {
      expect(problemsOf({ API_TRUST_PROXY: value })).toEqual([expect.stringMatching(/^API_TRUST_PROXY: /)]);
    },
  );
});

describe('the API process', () => {
  test('when started with bad variables, then it exits 1 and names every one of them', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: API_DIR,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', API_PORT: 'http', API_TRUST_PROXY: 'true' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('paygate api: invalid configuration:');
    expect(result.stderr).toContain('API_PORT: must be a whole number');
    expect(result.stderr).toContain('API_TRUST_PROXY: true would let any client choose its address');
    expect(result.stderr).toContain('WEBHOOK_SECRET: the development default is refused when NODE_ENV=production');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('API_ENV', () => {
  test('every variable is described on its outer schema, so .env.example can say what it is', () => {
    const undescribed = Object.entries(API_ENV.shape)
      .filter(([, schema]) => (schema.description ?? '') === '')
      .map(([variable]) => variable);

    expect(undescribed).toEqual([]);
  });
});
