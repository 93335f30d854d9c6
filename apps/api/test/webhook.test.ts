// Goal: only authentic, fresh bank callbacks move money, each at most once.
// Method: sign payloads with a plain node:crypto HMAC over the documented canonical form, post them, and
// check the transaction, the balance and the ledger.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { auditLedger, SettlementRepository } from '@paygate/db';

import type { TestApi, TestUser } from './setup/api';
import { call, getAs, givenUser, postDeposit, postWithdrawal, startApi, WEBHOOK_SECRET } from './setup/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

function signed(payload: Record<string, unknown>, secret = WEBHOOK_SECRET): Record<string, unknown> {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1))));
  return { ...payload, signature: createHmac('sha256', secret).update(canonical).digest('hex') };
}

function webhook(transactionId: number, status: 'success' | 'failed', extra: Record<string, unknown> = {}) {
  return { transaction_id: transactionId, bank_reference: `BNK-T${transactionId}`, status, error_message: status === 'failed' ? 'insufficient_funds' : null, timestamp: Math.floor(Date.now() / 1000), ...extra };
}

async function processing(user: TestUser, kind: 'deposit' | 'withdrawal', amount: string): Promise<number> {
  const created = kind === 'deposit' ? await postDeposit(api, user, amount) : await postWithdrawal(api, user, amount);
  await new SettlementRepository(api.pool).startProcessing(created.body.id, 'test.worker', null);
  return created.body.id as number;
}

const post = (body: unknown) => call(api.baseUrl, '/webhooks/bank-callback', { body });
const balanceOf = async (user: TestUser) => (await getAs(api, user, `/api/v1/users/${user.id}/balance`)).body;

describe('POST /webhooks/bank-callback', () => {
  test('when a signed success arrives for a deposit, then 200 applied and the balance rises once', async () => {
    const user = await givenUser('10.00');
    const id = await processing(user, 'deposit', '5.25');
    const answer = await post(signed(webhook(id, 'success')));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ received: true, outcome: 'applied' });
    expect(await balanceOf(user)).toMatchObject({ balance: '15.25', available_balance: '15.25' });
    const detail = await getAs(api, user, `/api/v1/deposits/${id}`);
    expect(detail.body).toMatchObject({ status: 'success', bank_reference: `BNK-T${id}` });
    expect(detail.body.events.at(-1)).toMatchObject({ from_status: 'processing', to_status: 'success', cause: 'bank.webhook' });
  });

  test('when a failure arrives for a withdrawal, then failed with the bank reason and the hold released', async () => {
    const user = await givenUser('10.00');
    const id = await processing(user, 'withdrawal', '4.00');
    expect(await balanceOf(user)).toMatchObject({ available_balance: '6.00' });
    expect((await post(signed(webhook(id, 'failed')))).body.outcome).toBe('applied');
    expect(await balanceOf(user)).toMatchObject({ balance: '10.00', available_balance: '10.00' });
    const detail = await getAs(api, user, `/api/v1/withdrawals/${id}`);
    expect(detail.body).toMatchObject({ status: 'failed', error_code: 'bank_insufficient_funds', error_message: 'The bank refused the payment: insufficient funds.' });
  });

  test('when the same callback is delivered again or re-signed later, then 200 duplicate and nothing changes', async () => {
    const user = await givenUser();
    const id = await processing(user, 'deposit', '1.00');
    const first = signed(webhook(id, 'success'));
    await post(first);
    expect((await post(first)).body.outcome).toBe('duplicate');
    expect((await post(signed(webhook(id, 'success', { timestamp: Math.floor(Date.now() / 1000) - 5 })))).body.outcome).toBe('duplicate');
    const conflicting = await post(signed(webhook(id, 'failed')));
    expect(conflicting.status).toBe(200);
    expect(conflicting.body.outcome).toBe('ignored');
    expect(await balanceOf(user)).toMatchObject({ balance: '1.00' });
    expect(await auditLedger(api.pool)).toEqual([]);
  });

  test.each([
    ['a wrong secret', (id: number) => signed(webhook(id, 'success'), 'another-secret-entirely')],
    ['a changed amount field after signing', (id: number) => ({ ...signed(webhook(id, 'success')), status: 'failed' })],
    ['no signature', (id: number) => webhook(id, 'success')],
    ['a truncated signature', (id: number) => ({ ...signed(webhook(id, 'success')), signature: 'abc' })],
  ])('when it has %s, then 401 invalid_signature and nothing changes', async (_name, build) => {
    const user = await givenUser();
    const id = await processing(user, 'deposit', '2.00');
    const answer = await post(build(id));
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_signature');
    expect((await getAs(api, user, `/api/v1/deposits/${id}`)).body.status).toBe('processing');
  });

  test('when the timestamp is more than 300 s old or ahead, then 401 and nothing changes', async () => {
    const user = await givenUser();
    const id = await processing(user, 'deposit', '2.00');
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 301, now + 301]) {
      const answer = await post(signed(webhook(id, 'success', { timestamp })));
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe('stale_webhook');
    }
    expect((await getAs(api, user, `/api/v1/deposits/${id}`)).body.status).toBe('processing');
  });

  test('when the transaction is unknown, then 404; when it is not yet submitted, then 409 so the bank retries', async () => {
    const unknown = await post(signed(webhook(2_000_000_000, 'success')));
    expect(unknown.status).toBe(404);
    const user = await givenUser();
    const pending = await postDeposit(api, user, '1.00');
    const early = await post(signed(webhook(pending.body.id, 'success')));
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('transaction_not_ready');
    expect((await getAs(api, user, `/api/v1/deposits/${pending.body.id}`)).body.status).toBe('pending');
  });

  test('when a signed body has the wrong shape, then 422', async () => {
    const answer = await post(signed({ transaction_id: 'one', bank_reference: 'B', status: 'success', error_message: null, timestamp: Math.floor(Date.now() / 1000) }));
    expect(answer.status).toBe(422);
  });
});
