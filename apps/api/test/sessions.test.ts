// Goal: the web app's session cookie opens a user's routes as the API key does, and nothing more: its flags,
// logout, expiry with the key's revocation (CLI and console), the same-origin check on changes, its own rate
// budget apart from integration traffic, and the wall between user sessions and the operator API.
// Method: the API in-process on this run's PostgreSQL and Redis; logins and calls as the web app makes them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { OperatorsRepository } from '@paygate/db';

import { hashOperatorPassword } from '../src/services/operator-passwords';
import type { Answer, TestApi, TestUser } from './setup/api';
import { adminFor, call, getAs, givenUser, newKey, startApi, userState } from './setup/api';

const WEB_ORIGIN = 'http://localhost:5500';
const CONSOLE_ORIGIN = 'http://localhost:5600';

let api: TestApi;
beforeAll(async () => {
  api = await startApi({
    RATE_LIMIT_BALANCE_PER_MIN: '2',
    RATE_LIMIT_TRANSACTIONS_PER_MIN: '2',
    RATE_LIMIT_SESSION_BALANCE_PER_MIN: '4',
    RATE_LIMIT_SESSION_LIST_PER_MIN: '4',
  });
});
afterAll(() => api.close());

async function login(user: TestUser): Promise<{ answer: Answer; cookie: string }> {
  const answer = await call(api.baseUrl, '/api/v1/auth/login', {
    body: { email: user.email, api_key: user.apiKey },
    headers: { origin: WEB_ORIGIN },
  });
  expect(answer.status).toBe(200);
  return { answer, cookie: cookieOf(answer, 'paygate_session') };
}

function cookieOf(answer: Answer, name: string): string {
  const header = answer.headers.get('set-cookie') ?? '';
  const match = new RegExp(`${name}=([^;]+)`).exec(header);
  if (!match?.[1]) throw new Error(`no ${name} cookie in: ${header}`);
  return `${name}=${match[1]}`;
}

function asSession(
  cookie: string,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  return call(api.baseUrl, path, { method, body: init.body, headers: { cookie, origin: WEB_ORIGIN, ...init.headers } });
}

describe('POST /api/v1/auth/login (web session)', () => {
  test('when logging in, then the answer is unchanged and the cookie is httpOnly, SameSite=Strict, Path=/api, an opaque token stored only hashed', async () => {
    const user = await givenUser('10.00');
    const { answer, cookie } = await login(user);
    expect(answer.body).toMatchObject({
      id: user.id,
      user_id: user.id,
      api_key: user.apiKey,
      message: 'Login successful',
    });
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/api(;|$)/);
    expect(setCookie).toMatch(/Expires=/);
    const token = cookie.split('=')[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain(user.apiKey);
    const stored = await api.pool.query<{ token_hash: string }>(
      'SELECT token_hash FROM user_sessions WHERE user_id = $1',
      [user.id],
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]?.token_hash).not.toBe(token);
  });

  test("when the seed's form {username, password} logs in, then it gets a session cookie too", async () => {
    const user = await givenUser();
    const answer = await call(api.baseUrl, '/api/v1/auth/login', {
      body: { username: user.email, password: user.apiKey },
    });
    expect(answer.status).toBe(200);
    const me = await asSession(cookieOf(answer, 'paygate_session'), 'GET', '/api/v1/auth/me');
    expect(me.body).toMatchObject({ id: user.id, email: user.email });
  });

  test('when the login fails, then no cookie is set and no session stored', async () => {
    const user = await givenUser();
    const answer = await call(api.baseUrl, '/api/v1/auth/login', { body: { email: user.email, api_key: 'pgk_wrong' } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('set-cookie')).toBeNull();
    const stored = await api.pool.query('SELECT 1 FROM user_sessions WHERE user_id = $1', [user.id]);
    expect(stored.rowCount).toBe(0);
  });
});

describe('a user route with the session cookie', () => {
  test('when the cookie is sent, then me, balance, lists and a deposit work as with the key', async () => {
    const user = await givenUser('10.00');
    const { cookie } = await login(user);
    expect((await asSession(cookie, 'GET', '/api/v1/auth/me')).body).toEqual({
      id: user.id,
      email: user.email,
      currency: 'USD',
      created_at: expect.any(String),
    });
    const balance = await asSession(cookie, 'GET', `/api/v1/users/${user.id}/balance`);
    expect(balance.body).toMatchObject({ balance: '10.00', available_balance: '10.00' });
    const deposit = await asSession(cookie, 'POST', '/api/v1/deposits', {
      body: { amount: '5.00' },
      headers: { 'idempotency-key': newKey() },
    });
    expect(deposit.status).toBe(202);
    const list = await asSession(cookie, 'GET', '/api/v1/deposits');
    expect(list.body.items.map((item: { id: number }) => item.id)).toContain(deposit.body.id);
  });

  test("when another user's resources are asked with a session, then 403 and 404 as with a key", async () => {
    const [alice, bob] = await Promise.all([givenUser('1.00'), givenUser('1.00')]);
    const { cookie } = await login(alice);
    expect((await asSession(cookie, 'GET', `/api/v1/users/${bob.id}/balance`)).status).toBe(403);
  });

  test('when a state-changing cookie request comes from another origin or cross-site, then 403 origin_not_allowed and nothing changes', async () => {
    const user = await givenUser('10.00');
    const { cookie } = await login(user);
    const before = await userState(api.pool, user.id);
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: WEB_ORIGIN, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of refused) {
      const answer = await call(api.baseUrl, '/api/v1/deposits', {
        body: { amount: '1.00' },
        headers: { cookie, 'idempotency-key': newKey(), ...headers },
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: 'origin_not_allowed' });
    }
    expect(await userState(api.pool, user.id)).toEqual(before);
    // A read from another origin is no change: CORS, not this check, decides whether the page may read it.
    expect(
      (await call(api.baseUrl, '/api/v1/auth/me', { headers: { cookie, origin: 'https://evil.example' } })).status,
    ).toBe(200);
    // The API key is not a browser's ambient credential: no origin check.
    const keyed = await call(api.baseUrl, '/api/v1/deposits', {
      body: { amount: '1.00' },
      headers: { 'x-api-key': user.apiKey, 'idempotency-key': newKey(), origin: 'https://evil.example' },
    });
    expect(keyed.status).toBe(202);
  });

  test('when the cookie is forged, garbled or sent twice, then 401', async () => {
    const user = await givenUser();
    const { cookie } = await login(user);
    for (const forged of ['paygate_session=x', `paygate_session=${'A'.repeat(43)}`, `${cookie}; ${cookie}`]) {
      const answer = await call(api.baseUrl, '/api/v1/auth/me', { headers: { cookie: forged } });
      expect({ forged, status: answer.status }).toEqual({ forged, status: 401 });
    }
  });
});

describe('POST /api/v1/auth/logout', () => {
  test('when logging out, then the cookie is cleared and the session no longer opens anything', async () => {
    const user = await givenUser();
    const { cookie } = await login(user);
    const logout = await asSession(cookie, 'POST', '/api/v1/auth/logout');
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ message: 'Logged out' });
    expect(logout.headers.get('set-cookie')).toMatch(/paygate_session=;.*Path=\/api/);
    expect((await asSession(cookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
  });

  test('when logout comes from another origin, then 403 and the session lives on', async () => {
    const user = await givenUser();
    const { cookie } = await login(user);
    const answer = await call(api.baseUrl, '/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(answer.status).toBe(403);
    expect((await asSession(cookie, 'GET', '/api/v1/auth/me')).status).toBe(200);
  });
});

describe('sessions end with their key', () => {
  test('when the key is revoked with the CLI, then its sessions end at once', async () => {
    const user = await givenUser();
    const { cookie } = await login(user);
    await adminFor().revokeKeys(user.id);
    expect((await asSession(cookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
  });

  test('when an operator revokes the key on the console, then its sessions end', async () => {
    const user = await givenUser();
    const { cookie } = await login(user);
    const operator = await givenOperatorCookie('operator');
    const prefix = (
      await api.pool.query<{ key_prefix: string }>('SELECT key_prefix FROM api_keys WHERE user_id = $1', [user.id])
    ).rows[0]?.key_prefix;
    const revoke = await call(api.baseUrl, `/api/v1/admin/users/${user.id}/keys/${prefix}/revoke`, {
      body: { reason: 'lost laptop' },
      headers: { cookie: operator, origin: CONSOLE_ORIGIN },
    });
    expect(revoke.status).toBe(200);
    expect((await asSession(cookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
  });
});

describe('user sessions and operator sessions', () => {
  test('when a user session cookie is sent to the operator API, then 401; an operator cookie opens no user route', async () => {
    const user = await givenUser();
    const { cookie } = await login(user);
    expect((await asSession(cookie, 'GET', '/api/v1/admin/auth/me')).status).toBe(401);
    expect((await asSession(cookie, 'GET', '/api/v1/admin/overview')).status).toBe(401);
    const operator = await givenOperatorCookie('viewer');
    expect((await call(api.baseUrl, '/api/v1/auth/me', { headers: { cookie: operator } })).status).toBe(401);
    expect(
      (await call(api.baseUrl, `/api/v1/users/${user.id}/balance`, { headers: { cookie: operator } })).status,
    ).toBe(401);
  });
});

describe('rate limits of web sessions', () => {
  test("when integration traffic exhausts the key's budgets, then the session's own budgets still answer, up to their limit", async () => {
    const user = await givenUser('1.00');
    const { cookie } = await login(user);
    for (let i = 0; i < 2; i += 1) {
      expect((await getAs(api, user, '/api/v1/deposits')).status).toBe(200);
      expect((await getAs(api, user, `/api/v1/users/${user.id}/balance`)).status).toBe(200);
    }
    expect((await getAs(api, user, '/api/v1/deposits')).status).toBe(429);
    expect((await getAs(api, user, `/api/v1/users/${user.id}/balance`)).status).toBe(429);
    for (let i = 0; i < 4; i += 1) {
      const list = await asSession(cookie, 'GET', '/api/v1/deposits');
      expect(list.status).toBe(200);
      expect(list.headers.get('x-ratelimit-limit')).toBe('4');
      expect((await asSession(cookie, 'GET', `/api/v1/users/${user.id}/balance`)).status).toBe(200);
    }
    const limited = await asSession(cookie, 'GET', '/api/v1/deposits');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'rate_limit_exceeded', retry_after: expect.any(Number) });
  });
});

async function givenOperatorCookie(role: 'viewer' | 'operator'): Promise<string> {
  const email = `ops-${randomUUID().slice(0, 8)}@test.paygate`;
  const password = `pw-${randomUUID()}`;
  await new OperatorsRepository(api.pool).create({ email, role, passwordHash: await hashOperatorPassword(password) });
  const answer = await call(api.baseUrl, '/api/v1/admin/auth/login', {
    body: { email, password },
    headers: { origin: CONSOLE_ORIGIN },
  });
  expect(answer.status).toBe(200);
  return cookieOf(answer, 'paygate_operator_session');
}
