// Goal: the operator API opens with an operator session and nothing else, lets a viewer look and only an
// operator change, audits every change with its reason, and finds any payment by what an operator has in
// hand (its id, the user's email, the client's idempotency key or request id). Method: the API in-process
// on this run's PostgreSQL and Redis; operators made as the CLI makes them; calls as the console makes them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { AdminPaymentPage, AdminUserDetailWire, AuditPage, OverviewWire, PaymentStoryWire } from '@paygate/contracts';
import { OperatorsRepository } from '@paygate/db';
import type { OperatorRole } from '@paygate/domain';

import { hashOperatorPassword } from '../src/services/operator-passwords';
import type { Answer, TestApi, TestUser } from './setup/api';
import { call, getAs, givenUser, postDeposit, startApi } from './setup/api';

const CONSOLE_ORIGIN = 'http://localhost:5600';

let api: TestApi;
beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_OPERATOR_LOGIN_FAILURES_PER_EMAIL_PER_MIN: '3' });
});
afterAll(() => api.close());

interface Operator {
  email: string;
  password: string;
  cookie: string;
}

async function givenOperator(role: OperatorRole): Promise<Operator> {
  const email = `ops-${randomUUID().slice(0, 8)}@test.paygate`;
  const password = `pw-${randomUUID()}`;
  await new OperatorsRepository(api.pool).create({ email, role, passwordHash: await hashOperatorPassword(password) });
  const login = await call(api.baseUrl, '/api/v1/admin/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  return { email, password, cookie: sessionCookieOf(login) };
}

function sessionCookieOf(answer: Answer): string {
  const header = answer.headers.get('set-cookie') ?? '';
  const match = /paygate_operator_session=([^;]+)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in: ${header}`);
  return `paygate_operator_session=${match[1]}`;
}

function asOperator(
  operator: Operator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(api.baseUrl, path, {
    method,
    body,
    headers: { cookie: operator.cookie, origin: CONSOLE_ORIGIN, ...headers },
  });
}

async function auditOf(operator: Operator, query: string) {
  const answer = await asOperator(operator, 'GET', `/api/v1/admin/audit?${query}`);
  expect(answer.status).toBe(200);
  return AuditPage.parse(answer.body).items;
}

describe('operator sessions', () => {
  test('when logging in, then the cookie is httpOnly, SameSite=Strict, scoped to /api/v1/admin, and me answers the operator', async () => {
    const email = `ops-${randomUUID().slice(0, 8)}@test.paygate`;
    const password = `pw-${randomUUID()}`;
    await new OperatorsRepository(api.pool).create({
      email,
      role: 'viewer',
      passwordHash: await hashOperatorPassword(password),
    });
    const login = await call(api.baseUrl, '/api/v1/admin/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ email, role: 'viewer' });
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/api\/v1\/admin/i);
    expect(setCookie).not.toContain(password);
    const me = await call(api.baseUrl, '/api/v1/admin/auth/me', { headers: { cookie: sessionCookieOf(login) } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, role: 'viewer' });
  });

  test('when the password is wrong or the email unknown, then the same 401, and past the limit 429', async () => {
    const operator = await givenOperator('viewer');
    const wrong = await call(api.baseUrl, '/api/v1/admin/auth/login', {
      body: { email: operator.email, password: 'not-the-password' },
    });
    const unknown = await call(api.baseUrl, '/api/v1/admin/auth/login', {
      body: { email: `nobody-${randomUUID().slice(0, 6)}@test.paygate`, password: 'whatever-it-is' },
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await call(api.baseUrl, '/api/v1/admin/auth/login', {
        body: { email: operator.email, password: 'still-not-it' },
      });
      statuses.push(answer.status);
    }
    expect(statuses).toContain(429);
  });

  test('when logging out, then the session ends for good and both are in the audit log', async () => {
    const operator = await givenOperator('viewer');
    const logout = await asOperator(operator, 'POST', '/api/v1/admin/auth/logout');
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/paygate_operator_session=;/);
    expect((await asOperator(operator, 'GET', '/api/v1/admin/auth/me')).status).toBe(401);
    const viewer = await givenOperator('viewer');
    const { rows } = await api.pool.query<{ action: string }>(
      `SELECT a.action FROM operator_audit a JOIN operators o ON o.id = a.operator_id WHERE o.email = $1 ORDER BY a.id`,
      [operator.email],
    );
    expect(rows.map((row) => row.action)).toEqual(['login', 'logout']);
    expect((await asOperator(viewer, 'GET', '/api/v1/admin/auth/me')).status).toBe(200);
  });
});

describe('who may open the operator API', () => {
  const reads = [
    '/api/v1/admin/auth/me',
    '/api/v1/admin/overview',
    '/api/v1/admin/payments',
    '/api/v1/admin/payments/1',
    '/api/v1/admin/dead-letters',
    '/api/v1/admin/users',
    '/api/v1/admin/users/1',
    '/api/v1/admin/audit',
  ];

  test('when no session is sent, then every route is 401', async () => {
    for (const path of reads) {
      const answer = await call(api.baseUrl, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
    const repair = await call(api.baseUrl, '/api/v1/admin/payments/1/fail', { body: { reason: 'no session here' } });
    expect(repair.status).toBe(401);
  });

  test("when a user's API key is sent, then the operator API is 401, and an operator session opens no user route", async () => {
    const user = await givenUser('10.00');
    for (const path of reads) {
      const answer = await getAs(api, user, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
    const operator = await givenOperator('operator');
    const userRoute = await call(api.baseUrl, `/api/v1/users/${user.id}/balance`, {
      headers: { cookie: operator.cookie },
    });
    expect(userRoute.status).toBe(401);
  });

  test('when a session token is forged or garbled, then 401', async () => {
    for (const cookie of ['paygate_operator_session=x', `paygate_operator_session=${'A'.repeat(43)}`]) {
      const answer = await call(api.baseUrl, '/api/v1/admin/overview', { headers: { cookie } });
      expect(answer.status).toBe(401);
    }
  });

  test('when a viewer asks for a change, then 403 and nothing changes', async () => {
    const user = await givenUser('10.00');
    const viewer = await givenOperator('viewer');
    const before = await api.pool.query('SELECT count(*) FROM api_keys WHERE user_id = $1', [user.id]);
    const answer = await asOperator(viewer, 'POST', `/api/v1/admin/users/${user.id}/keys`, { reason: 'I am a viewer' });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('forbidden');
    const after = await api.pool.query('SELECT count(*) FROM api_keys WHERE user_id = $1', [user.id]);
    expect(after.rows).toEqual(before.rows);
  });

  test('when a change comes from another origin, then 403 origin_not_allowed and nothing changes', async () => {
    const user = await givenUser('10.00');
    const operator = await givenOperator('operator');
    const answer = await asOperator(
      operator,
      'POST',
      `/api/v1/admin/users/${user.id}/keys`,
      { reason: 'cross-site attempt' },
      { origin: 'https://evil.example' },
    );
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('origin_not_allowed');
    const keys = await api.pool.query('SELECT count(*)::int AS count FROM api_keys WHERE user_id = $1', [user.id]);
    expect(keys.rows[0]).toEqual({ count: 1 });
  });
});

describe('finding payments', () => {
  let user: TestUser;
  let operator: Operator;
  const created: { id: number; key: string; requestId: string; amount: string }[] = [];

  beforeAll(async () => {
    user = await givenUser('500.00');
    operator = await givenOperator('viewer');
    for (const amount of ['1.00', '2.50', '30.00', '400.00']) {
      const key = randomUUID();
      const requestId = `req-${randomUUID()}`;
      const answer = await postDeposit(api, user, amount, key, { 'X-Request-ID': requestId });
      expect(answer.status).toBe(202);
      created.push({ id: answer.body.id, key, requestId, amount });
    }
  });

  const search = async (query: string) => {
    const answer = await asOperator(operator, 'GET', `/api/v1/admin/payments?${query}`);
    expect(answer.status).toBe(200);
    return AdminPaymentPage.parse(answer.body);
  };

  test('when searching by id, email, idempotency key or request id, then that payment (or the user’s) comes back', async () => {
    const target = created[1];
    if (!target) throw new Error('arranged payments missing');
    expect((await search(`q=${target.id}`)).items.map((item) => item.id)).toEqual([target.id]);
    expect((await search(`q=${target.key}`)).items.map((item) => item.id)).toEqual([target.id]);
    expect((await search(`q=${target.requestId}`)).items.map((item) => item.id)).toEqual([target.id]);
    const byEmail = await search(`q=${encodeURIComponent(user.email.toUpperCase())}`);
    expect(byEmail.items.map((item) => item.id)).toEqual(created.map((item) => item.id).reverse());
    expect(byEmail.items[0]).toMatchObject({ user_email: user.email, request_id: created[3]?.requestId });
  });

  test('when filtering by amount range and status, then only matching payments, newest first', async () => {
    const page = await search(`q=${encodeURIComponent(user.email)}&amount_min=2.5&amount_max=30&status=pending`);
    expect(page.items.map((item) => item.amount)).toEqual(['30.00', '2.50']);
    const none = await search(`q=${encodeURIComponent(user.email)}&status=success`);
    expect(none.items).toEqual([]);
  });

  test('when paging with the cursor, then every payment once, in order', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await search(
        `q=${encodeURIComponent(user.email)}&limit=1${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(created.map((item) => item.id).reverse());
  });

  test('when the query is wrong, then 422 naming the field', async () => {
    for (const query of [
      'amount_min=abc',
      'amount_min=5&amount_max=1',
      'status=lost',
      'cursor=nonsense',
      'limit=1000',
    ]) {
      const answer = await asOperator(operator, 'GET', `/api/v1/admin/payments?${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: 422 });
    }
  });

  test('when opening a payment, then its story starts with the request and its state changes, and a missing one is 404', async () => {
    const target = created[0];
    if (!target) throw new Error('arranged payments missing');
    const answer = await asOperator(operator, 'GET', `/api/v1/admin/payments/${target.id}`);
    expect(answer.status).toBe(200);
    const story = PaymentStoryWire.parse(answer.body);
    expect(story.payment).toMatchObject({ id: target.id, request_id: target.requestId, user_email: user.email });
    expect(story.story[0]).toMatchObject({ kind: 'request' });
    expect(story.story.map((entry) => entry.kind)).toContain('transition');
    expect(story.available_repairs).toEqual(['reconcile', 'retry', 'fail']);
    const missing = await asOperator(operator, 'GET', '/api/v1/admin/payments/999999999');
    expect(missing.status).toBe(404);
  });

  test('when opening the overview, then it has the hour of throughput and the current figures', async () => {
    const answer = await asOperator(operator, 'GET', '/api/v1/admin/overview');
    expect(answer.status).toBe(200);
    const overview = OverviewWire.parse(answer.body);
    expect(overview.throughput).toHaveLength(60);
    const pendingThisHour = overview.throughput.reduce((sum, minute) => sum + minute.pending, 0);
    expect(pendingThisHour).toBeGreaterThanOrEqual(created.length);
  });
});

describe("a user's keys", () => {
  test('when an operator issues a key with a reason, then it works at once, is shown once, and is audited', async () => {
    const user = await givenUser('10.00');
    const operator = await givenOperator('operator');
    const issued = await asOperator(operator, 'POST', `/api/v1/admin/users/${user.id}/keys`, {
      reason: 'customer lost the old one',
    });
    expect(issued.status).toBe(201);
    const apiKey: string = issued.body.api_key;
    const balance = await getAs(api, { ...user, apiKey }, `/api/v1/users/${user.id}/balance`);
    expect(balance.status).toBe(200);
    const detail = AdminUserDetailWire.parse(
      (await asOperator(operator, 'GET', `/api/v1/admin/users/${user.id}`)).body,
    );
    expect(detail.keys).toHaveLength(2);
    expect(JSON.stringify(detail)).not.toContain(apiKey);
    const audit = await auditOf(operator, `user_id=${user.id}`);
    expect(audit[0]).toMatchObject({
      action: 'issue_key',
      operator_email: operator.email,
      reason: 'customer lost the old one',
      user_id: user.id,
      id: issued.body.audit_id,
    });
  });

  test('when an operator revokes a key, then it stops opening the API, and a missing reason changes nothing', async () => {
    const user = await givenUser('10.00');
    const operator = await givenOperator('operator');
    const prefix = user.apiKey.slice(0, 10);
    const noReason = await asOperator(operator, 'POST', `/api/v1/admin/users/${user.id}/keys/${prefix}/revoke`, {});
    expect(noReason.status).toBe(422);
    expect((await getAs(api, user, `/api/v1/users/${user.id}/balance`)).status).toBe(200);
    const revoked = await asOperator(operator, 'POST', `/api/v1/admin/users/${user.id}/keys/${prefix}/revoke`, {
      reason: 'key leaked in a log',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ action: 'revoke_key', outcome: 'revoked' });
    expect((await getAs(api, user, `/api/v1/users/${user.id}/balance`)).status).toBe(401);
    const again = await asOperator(operator, 'POST', `/api/v1/admin/users/${user.id}/keys/${prefix}/revoke`, {
      reason: 'key leaked in a log',
    });
    expect(again.status).toBe(404);
    const audit = await auditOf(operator, `user_id=${user.id}`);
    expect(audit.map((entry) => entry.action)).toEqual(['revoke_key']);
  });

  test('when listing users by the start of an email, then that user with balance and available', async () => {
    const user = await givenUser('12.34');
    const operator = await givenOperator('viewer');
    const answer = await asOperator(
      operator,
      'GET',
      `/api/v1/admin/users?q=${encodeURIComponent(user.email.slice(0, 14))}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([
      expect.objectContaining({ id: user.id, email: user.email, balance: '12.34', available_balance: '12.34' }),
    ]);
  });
});
