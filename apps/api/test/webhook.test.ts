// Goal: only authentic, fresh bank callbacks for the gateway's own orders move money, each at most once.
// Method: sign payloads with a plain node:crypto HMAC over the documented canonical form, post them, and
// check the transaction, the balance, the ledger, the kept rejections and the metrics.
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

/** Orders the worker placed, by transaction id: what our bank's webhooks must repeat. */
const orders = new Map<number, { orderKey: string; amount: string }>();

function webhook(transactionId: number, status: 'success' | 'failed', extra: Record<string, unknown> = {}) {
  const order = orders.get(transactionId);
  return {
    transaction_id: transactionId,
    bank_reference: `BNK-T${transactionId}`,
    status,
    error_message: status === 'failed' ? 'insufficient_funds' : null,
    order_key: order?.orderKey ?? '00000000-0000-4000-8000-000000000000',
    amount: order?.amount ?? '1.00',
    currency: 'USD',
    timestamp: Math.floor(Date.now() / 1000),
    ...extra,
  };
}

/** The seed's documented form: no timestamp, no order key, amount or currency, and error_message left out. */
function seedWebhook(transactionId: number, bankReference: string) {
  return { transaction_id: transactionId, bank_reference: bankReference, status: 'success' };
}

async function processing(user: TestUser, kind: 'deposit' | 'withdrawal', amount: string): Promise<number> {
  const created = kind === 'deposit' ? await postDeposit(api, user, amount) : await postWithdrawal(api, user, amount);
  const started = await new SettlementRepository(api.pool).startProcessing({
    transactionId: created.body.id,
    cause: 'test.worker',
    requestId: null,
  });
  orders.set(created.body.id, { orderKey: started?.submission.orderKey ?? '', amount: created.body.amount });
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
    expect(detail.body.events.at(-1)).toMatchObject({
      from_status: 'processing',
      to_status: 'success',
      cause: 'bank.webhook',
    });
  });

  test('when a failure arrives for a withdrawal, then failed with the bank reason and the hold released', async () => {
    const user = await givenUser('10.00');
    const id = await processing(user, 'withdrawal', '4.00');
    expect(await balanceOf(user)).toMatchObject({ available_balance: '6.00' });
    expect((await post(signed(webhook(id, 'failed')))).body.outcome).toBe('applied');
    expect(await balanceOf(user)).toMatchObject({ balance: '10.00', available_balance: '10.00' });
    const detail = await getAs(api, user, `/api/v1/withdrawals/${id}`);
    expect(detail.body).toMatchObject({
      status: 'failed',
      error_code: 'bank_insufficient_funds',
      error_message: 'The bank refused the payment: insufficient funds.',
    });
  });

  test('when the same callback is delivered again or re-signed later, then 200 duplicate and nothing changes', async () => {
    const user = await givenUser();
    const id = await processing(user, 'deposit', '1.00');
    const first = signed(webhook(id, 'success'));
    await post(first);
    expect((await post(first)).body.outcome).toBe('duplicate');
    expect(
      (await post(signed(webhook(id, 'success', { timestamp: Math.floor(Date.now() / 1000) - 5 })))).body.outcome,
    ).toBe('duplicate');
    const conflicting = await post(signed(webhook(id, 'failed')));
    expect(conflicting.status).toBe(200);
    expect(conflicting.body.outcome).toBe('conflict');
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
    const early = await post(signed(seedWebhook(pending.body.id, 'BNK-EARLY')));
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('transaction_not_ready');
    expect((await getAs(api, user, `/api/v1/deposits/${pending.body.id}`)).body.status).toBe('pending');
  });

  test('when a signed body has the wrong shape, then 422', async () => {
    const answer = await post(
      signed({
        transaction_id: 'one',
        bank_reference: 'B',
        status: 'success',
        error_message: null,
        timestamp: Math.floor(Date.now() / 1000),
      }),
    );
    expect(answer.status).toBe(422);
  });

  test.each([
    ['another order key', { order_key: '00000000-0000-4000-8000-000000000001' }, 'order_key_mismatch'],
    ['a 1,000,000.00 amount for a 1.00 order', { amount: '1000000.00' }, 'amount_mismatch'],
    ['another currency', { currency: 'EUR' }, 'currency_mismatch'],
  ])(
    'when a correctly signed webhook names %s, then 409 webhook_mismatch, kept, counted, nothing changes',
    async (_name, change, reason) => {
      const user = await givenUser('5.00');
      const id = await processing(user, 'withdrawal', '1.00');
      const answer = await post(signed(webhook(id, 'failed', change)));
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ error: 'webhook_mismatch', details: { reason } });
      expect(await balanceOf(user)).toMatchObject({ balance: '5.00', available_balance: '4.00' });
      expect((await getAs(api, user, `/api/v1/withdrawals/${id}`)).body.status).toBe('processing');
      const kept = await api.pool.query(
        'SELECT reason, source_address FROM rejected_webhooks WHERE transaction_id = $1',
        [id],
      );
      expect(kept.rows).toEqual([{ reason, source_address: expect.stringContaining('127.0.0.1') }]);
      const metrics = await call(api.baseUrl, '/metrics');
      expect(metrics.text).toContain(`paygate_webhook_rejected_total{reason="${reason}"}`);
      expect((await post(signed(webhook(id, 'failed')))).body.outcome).toBe('applied');
      expect(await balanceOf(user)).toMatchObject({ balance: '5.00', available_balance: '5.00' });
    },
  );

  test("when the seed's form names the stored bank reference, then it settles; another reference is 409", async () => {
    const user = await givenUser();
    const id = await processing(user, 'deposit', '3.00');
    await new SettlementRepository(api.pool).recordBankReference(id, 'BNK-SEEDREF');
    const wrong = await post(signed(seedWebhook(id, 'BNK-NOTOURS')));
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toBe('webhook_mismatch');
    const right = await post(signed(seedWebhook(id, 'BNK-SEEDREF')));
    expect(right.status).toBe(200);
    expect(right.body.outcome).toBe('applied');
    expect(await balanceOf(user)).toMatchObject({ balance: '3.00' });
  });

  test('when our bank answers before the worker stored its reference, then the order key binds it', async () => {
    const user = await givenUser();
    const id = await processing(user, 'deposit', '2.50');
    const answer = await post(signed(webhook(id, 'success', { bank_reference: 'BNK-FAST' })));
    expect(answer.body.outcome).toBe('applied');
    expect((await getAs(api, user, `/api/v1/deposits/${id}`)).body).toMatchObject({
      status: 'success',
      bank_reference: 'BNK-FAST',
    });
  });
});
