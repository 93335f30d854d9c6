// Goal: with NODE_ENV=production nothing meant for a developer's machine works: the public demo keys of
// `pnpm db:seed` never authenticate (even when their hashes are in the database) and the seed itself
// refuses to run, before it touches anything. Method: a demo-shaped key stored through the same code path
// as the seed, tried against a production and a test API; the seed run as a real process.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

import { DEMO_API_KEY_PREFIX, DEMO_USERS } from '../src/services/demo-users';
import type { TestApi } from './setup/api';
import { adminFor, call, givenUser, startApi } from './setup/api';

const STRONG_SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const STRONG_BANK_KEY = 'b1c7e0f4a9d24c3e8f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c';
const API_DIR = fileURLToPath(new URL('..', import.meta.url));

let production: TestApi;
let development: TestApi;
beforeAll(async () => {
  [production, development] = await Promise.all([
    startApi({
      NODE_ENV: 'production',
      WEBHOOK_SECRET: STRONG_SECRET,
      BANK_API_KEY: STRONG_BANK_KEY,
      WEBHOOK_ENDPOINT_SECRET_KEY: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    }),
    startApi(),
  ]);
});
afterAll(() => Promise.all([production.close(), development.close()]));

async function givenDemoUser(): Promise<{ id: number; email: string; apiKey: string }> {
  const apiKey = `${DEMO_API_KEY_PREFIX}test_${randomUUID().replaceAll('-', '')}`;
  const user = await adminFor().createUser({
    email: `demo-${randomUUID().slice(0, 12)}@test.paygate`,
    openingBalanceMinor: 100n,
    currency: 'USD',
    apiKey,
  });
  return { id: user.id, email: user.email, apiKey };
}

describe('demo keys', () => {
  test('when every seeded demo key is checked, then it carries the demo prefix that production refuses', () => {
    for (const demo of DEMO_USERS) expect(demo.demoKey.startsWith(DEMO_API_KEY_PREFIX)).toBe(true);
  });

  test('when a demo key whose hash is in the database is used in production, then 401 on the API and on login; outside production it works', async () => {
    const demo = await givenDemoUser();
    const balance = `/api/v1/users/${demo.id}/balance`;
    const refused = await call(production.baseUrl, balance, { headers: { 'x-api-key': demo.apiKey } });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('unauthorized');
    expect(
      (await call(production.baseUrl, balance, { headers: { authorization: `Bearer ${demo.apiKey}` } })).status,
    ).toBe(401);
    expect(
      (await call(production.baseUrl, '/api/v1/auth/login', { body: { email: demo.email, api_key: demo.apiKey } }))
        .status,
    ).toBe(401);
    expect(
      (await call(production.baseUrl, '/api/v1/auth/login', { body: { username: demo.email, password: demo.apiKey } }))
        .status,
    ).toBe(401);
    expect((await call(development.baseUrl, balance, { headers: { 'x-api-key': demo.apiKey } })).status).toBe(200);
    expect(
      (await call(development.baseUrl, '/api/v1/auth/login', { body: { email: demo.email, api_key: demo.apiKey } }))
        .status,
    ).toBe(200);
  });

  test("when /docs is served in production, then Try it is not prefilled with a demo key; outside production it is alice's", async () => {
    expect((await call(production.baseUrl, '/docs')).text).not.toContain('pgk_demo_');
    expect((await call(development.baseUrl, '/docs')).text).toContain('pgk_demo_alice_');
  });

  test('when a random key is used in production, then it works as usual', async () => {
    const user = await givenUser('1.00');
    expect(
      (await call(production.baseUrl, `/api/v1/users/${user.id}/balance`, { headers: { 'x-api-key': user.apiKey } }))
        .status,
    ).toBe(200);
    expect(
      (await call(production.baseUrl, '/api/v1/auth/login', { body: { email: user.email, api_key: user.apiKey } }))
        .status,
    ).toBe(200);
  });
});

describe('pnpm db:seed', () => {
  function seed(env: Record<string, string>) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts'], {
      cwd: API_DIR,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: inject('run').databaseUrl, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  test.each([
    ['a strong secret', { WEBHOOK_SECRET: STRONG_SECRET }],
    ['the development secret', {}],
  ])('when NODE_ENV=production (with %s), then it refuses in one line and creates nobody', async (_name, env) => {
    const result = seed({ NODE_ENV: 'production', ...env });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^seed refused: NODE_ENV=production\. .*money created from nothing/),
    ]);
    for (const demo of DEMO_USERS) expect(await adminFor().findUserIdByEmail(demo.email)).toBeUndefined();
  });

  test('when NODE_ENV is a typo, then it stops naming the allowed values and creates nobody', async () => {
    const result = seed({ NODE_ENV: 'prod' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'seed failed: invalid configuration: NODE_ENV: must be one of development, test, production',
    );
    for (const demo of DEMO_USERS) expect(await adminFor().findUserIdByEmail(demo.email)).toBeUndefined();
  });
});
