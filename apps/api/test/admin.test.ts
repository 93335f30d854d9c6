// Goal: the operator API opens with an operator session and nothing else, lets a viewer look and only an
// operator change, audits every change with its reason, and finds any payment by what an operator has in
// hand (its id, the user's email, the client's idempotency key or request id). Method: the API in-process
// on this run's PostgreSQL and Redis; operators made as the CLI makes them; calls as the console makes them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import {
  AdminPaymentPage,
  AdminUserDetailWire,
  AuditPage,
  LedgerCheckWire,
  OverviewWire,
  PaymentStoryWire,
  RepairResultWire,
} from '@paygate/contracts';
import { OperatorsRepository, SettlementRepository } from '@paygate/db';
import type { OperatorRole, TransactionType } from '@paygate/domain';
import { BankClient, startProcessing } from '@paygate/payments';
import { waitFor } from '@paygate/testkit';

import { hashOperatorPassword } from '../src/services/operator-passwords';
import type { Answer, TestApi, TestUser } from './setup/api';
import { call, getAs, givenUser, postDeposit, postWithdrawal, startApi, walletOf } from './setup/api';
import type { TestBank } from './setup/bank';
import { startTestBank, TEST_BANK_API_KEY } from './setup/bank';

const CONSOLE_ORIGIN = 'http://localhost:5600';

let api: TestApi;
let bank: TestBank;
beforeAll(async () => {
  bank = await startTestBank();
  api = await startApi({
    RATE_LIMIT_OPERATOR_LOGIN_FAILURES_PER_EMAIL_PER_MIN: '3',
    BANK_URL: bank.url,
    BANK_API_KEY: TEST_BANK_API_KEY,
  });
});
afterAll(async () => {
  await api.close();
  await bank.stop();
});

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
    '/api/v1/admin/ledger',
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

describe('repairs', () => {
  let operator: Operator;
  let viewer: Operator;
  beforeAll(async () => {
    operator = await givenOperator('operator');
    viewer = await givenOperator('viewer');
  });

  test('when a stuck processing deposit was settled at the bank but its webhook never came, then reconcile settles it once and audits it', async () => {
    const user = await givenUser('0.00');
    const id = await givenSubmitted(user, 'deposit', '25.00');
    await waitForBankStatus(id, 'success');

    const answer = await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/reconcile`, {
      reason: 'webhook never arrived',
    });

    expect(answer.status).toBe(200);
    const result = RepairResultWire.parse(answer.body);
    expect(result).toMatchObject({
      action: 'reconcile',
      outcome: 'settled_success',
      payment: { id, status: 'success' },
    });
    expect(await walletOf(api.pool, user.id)).toEqual({ balanceMinor: '2500', heldMinor: '0' });
    const audit = await auditOf(operator, `payment_id=${id}`);
    expect(audit).toEqual([
      expect.objectContaining({
        id: result.audit_id,
        action: 'reconcile',
        outcome: 'settled_success',
        reason: 'webhook never arrived',
        operator_email: operator.email,
      }),
    ]);
    const story = PaymentStoryWire.parse((await asOperator(operator, 'GET', `/api/v1/admin/payments/${id}`)).body);
    expect(story.available_repairs).toEqual([]);
    expect(story.story.filter((entry) => entry.kind === 'bank_attempt')).toHaveLength(1);
    expect(story.story.map((entry) => entry.kind)).toContain('operator_action');
  });

  test('when a payment is final, then every repair is refused with 409 repair_refused, audited, and nothing changes', async () => {
    const user = await givenUser('0.00');
    const id = await givenSubmitted(user, 'deposit', '5.00');
    await waitForBankStatus(id, 'success');
    await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/reconcile`, { reason: 'settle it first' });
    const before = await walletOf(api.pool, user.id);

    for (const action of ['reconcile', 'retry', 'fail'] as const) {
      const answer = await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/${action}`, {
        reason: `try ${action} on a final payment`,
      });
      expect({ action, status: answer.status, error: answer.body.error }).toEqual({
        action,
        status: 409,
        error: 'repair_refused',
      });
      expect(answer.body.details).toMatchObject({ outcome: 'already_final', audit_id: expect.any(Number) });
      expect(answer.body.message).toMatch(/success/);
    }
    expect(await walletOf(api.pool, user.id)).toEqual(before);
    const audit = await auditOf(operator, `payment_id=${id}`);
    expect(audit.map((entry) => [entry.action, entry.outcome])).toEqual([
      ['fail', 'already_final'],
      ['retry', 'already_final'],
      ['reconcile', 'already_final'],
      ['reconcile', 'settled_success'],
    ]);
  });

  test('when an operator fails a pending withdrawal with a reason, then its hold is released exactly once', async () => {
    const user = await givenUser('50.00');
    const created = await postWithdrawal(api, user, '20.00');
    expect(created.status).toBe(202);
    const id = created.body.id as number;
    expect(await walletOf(api.pool, user.id)).toEqual({ balanceMinor: '5000', heldMinor: '2000' });

    const failed = await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/fail`, {
      reason: 'customer asked to cancel',
    });
    const again = await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/fail`, {
      reason: 'customer asked to cancel',
    });

    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ action: 'fail', outcome: 'failed', payment: { status: 'failed' } });
    expect(failed.body.payment.error_code).toBe('operator_failed');
    expect(again.status).toBe(409);
    expect(await walletOf(api.pool, user.id)).toEqual({ balanceMinor: '5000', heldMinor: '0' });
    const balance = await getAs(api, user, `/api/v1/users/${user.id}/balance`);
    expect(balance.body).toMatchObject({ balance: '50.00', available_balance: '50.00' });
  });

  test('when a pending payment is retried, then a new message is queued once; a second retry queues none', async () => {
    const user = await givenUser('0.00');
    const id = (await postDeposit(api, user, '3.00')).body.id as number;
    await api.pool.query('UPDATE outbox SET published_at = now() WHERE transaction_id = $1', [id]);

    const first = await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/retry`, { reason: 'lost message' });
    const second = await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/retry`, { reason: 'lost message' });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ action: 'retry', outcome: 'requeued', payment: { id, status: 'pending' } });
    expect(second.body).toMatchObject({ outcome: 'already_queued' });
    const waiting = await api.pool.query('SELECT 1 FROM outbox WHERE transaction_id = $1 AND published_at IS NULL', [
      id,
    ]);
    expect(waiting.rowCount).toBe(1);
  });

  test('when a viewer repairs, a reason is missing, or the payment does not exist, then 403, 422 and 404, and nothing is audited', async () => {
    const user = await givenUser('10.00');
    const id = (await postWithdrawal(api, user, '4.00')).body.id as number;

    const byViewer = await asOperator(viewer, 'POST', `/api/v1/admin/payments/${id}/fail`, { reason: 'viewer try' });
    const noReason = await asOperator(operator, 'POST', `/api/v1/admin/payments/${id}/fail`, {});
    const missing = await asOperator(operator, 'POST', '/api/v1/admin/payments/999999999/retry', { reason: 'nobody' });
    const replayByViewer = await asOperator(viewer, 'POST', '/api/v1/admin/dead-letters/1/replay', { reason: 'x y z' });

    expect(byViewer.status).toBe(403);
    expect(noReason.status).toBe(422);
    expect(noReason.body.error).toBe('validation_error');
    expect(missing.status).toBe(404);
    expect(replayByViewer.status).toBe(403);
    expect(await walletOf(api.pool, user.id)).toEqual({ balanceMinor: '1000', heldMinor: '400' });
    expect(await auditOf(operator, `payment_id=${id}`)).toEqual([]);
  });

  test('when dead letters are replayed, then a pending payment is re-driven, a final one is refused saying why, and an unknown letter is 404', async () => {
    const user = await givenUser('10.00');
    const pending = (await postDeposit(api, user, '1.00')).body.id as number;
    const failed = (await postWithdrawal(api, user, '2.00')).body.id as number;
    await asOperator(operator, 'POST', `/api/v1/admin/payments/${failed}/fail`, { reason: 'setup' });
    await api.pool.query('UPDATE outbox SET published_at = now() WHERE transaction_id = $1', [pending]);
    const letterOf = async (transactionId: number) =>
      Number(
        (
          await api.pool.query<{ id: string }>(
            "INSERT INTO dead_letters (transaction_id, reason, payload) VALUES ($1, 'bank_rejected: test', '{}') RETURNING id",
            [transactionId],
          )
        ).rows[0]?.id,
      );
    const pendingLetter = await letterOf(pending);
    const failedLetter = await letterOf(failed);

    const redriven = await asOperator(operator, 'POST', `/api/v1/admin/dead-letters/${pendingLetter}/replay`, {
      reason: 'bank fixed its check',
    });
    const refused = await asOperator(operator, 'POST', `/api/v1/admin/dead-letters/${failedLetter}/replay`, {
      reason: 'bank fixed its check',
    });
    const unknown = await asOperator(operator, 'POST', '/api/v1/admin/dead-letters/999999999/replay', {
      reason: 'bank fixed its check',
    });

    expect(redriven.status).toBe(200);
    expect(redriven.body).toMatchObject({
      action: 'replay_dead_letter',
      outcome: 'requeued',
      payment: { id: pending },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'repair_refused', details: { outcome: 'already_final' } });
    expect(unknown.status).toBe(404);
    const letters = await asOperator(operator, 'GET', '/api/v1/admin/dead-letters?state=replayed&limit=100');
    const replayed = (letters.body.items as { id: number; replay_outcome: string }[]).filter((item) =>
      [pendingLetter, failedLetter].includes(item.id),
    );
    expect(replayed.map((item) => item.replay_outcome).sort()).toEqual(['already_final', 'requeued']);
    const audit = await auditOf(operator, `payment_id=${failed}`);
    expect(audit[0]).toMatchObject({
      action: 'replay_dead_letter',
      dead_letter_id: failedLetter,
      outcome: 'already_final',
    });
  });
});

describe('GET /api/v1/admin/ledger', () => {
  test('when any operator runs the ledger check, then it is balanced, stored for the overview, and the gauge reads 0', async () => {
    const viewer = await givenOperator('viewer');
    await givenUser('7.00');

    const answer = await asOperator(viewer, 'GET', '/api/v1/admin/ledger');

    expect(answer.status).toBe(200);
    const check = LedgerCheckWire.parse(answer.body);
    expect(check).toMatchObject({ is_balanced: true, balance_drift: [], hold_drift: [], negative_available: [] });
    expect(check.sum_minor_by_currency.USD).toBe('0');
    expect(check.account_count).toBeGreaterThanOrEqual(2);
    const overview = OverviewWire.parse((await asOperator(viewer, 'GET', '/api/v1/admin/overview')).body);
    expect(overview.ledger_ok).toBe(true);
    expect(overview.ledger_checked_at).toBe(check.checked_at);
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^paygate_api_ledger_violations 0$/m);
  });
});

/** A payment placed at the bank the way the worker places it: started (order key minted), then ordered. */
async function givenSubmitted(user: TestUser, type: TransactionType, amount: string): Promise<number> {
  const created = type === 'deposit' ? await postDeposit(api, user, amount) : await postWithdrawal(api, user, amount);
  expect(created.status).toBe(202);
  const id = created.body.id as number;
  const settlement = new SettlementRepository(api.pool);
  const started = await startProcessing(settlement, { transactionId: id, requestId: null });
  if (started.kind !== 'submit') throw new Error(`payment ${id} did not start: ${started.kind}`);
  const placed = await bankClient().submitOrder(
    { reference: String(id), type, amount, currency: 'USD' },
    started.submission.orderKey,
    null,
  );
  if (!placed.ok) throw new Error(`the bank refused payment ${id}`);
  await settlement.recordBankReference(id, placed.value.bank_reference);
  return id;
}

async function waitForBankStatus(id: number, status: 'success' | 'failed'): Promise<void> {
  const { rows } = await api.pool.query<{ key: string }>(
    'SELECT bank_order_key::text AS key FROM transactions WHERE id = $1',
    [id],
  );
  const key = rows[0]?.key;
  if (key === undefined) throw new Error(`payment ${id} has no order key`);
  await waitFor(async () => {
    const found = await bankClient().findOrder(key, null);
    return found.ok && found.value?.status === status ? true : undefined;
  }, `the bank to settle payment ${id}`);
}

function bankClient(): BankClient {
  return new BankClient({ baseUrl: bank.url, apiKey: TEST_BANK_API_KEY, timeoutMs: 2_000, responseBytesMax: 65_536 });
}
