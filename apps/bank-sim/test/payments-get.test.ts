// Goal: an order can be read by its bank reference or by the idempotency key it was created with, before
// and after settlement, and only by the merchant that placed it: keys are scoped to the merchant.
// Method: create through the API (and, for a second merchant, through the bank service the API calls),
// read through the API. Orders are due in ten minutes, so "pending" holds however slow the machine is; the
// test then makes one due by moving its settle_at (the bank's durable timer) and the sweep settles it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { asOrder, createTestRun, newOrder, startBank, waitForSettled } from './setup/bank';
import type { TestBank, TestRun } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let run: TestRun;
let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [run, receiver] = await Promise.all([createTestRun('payments_get'), startReceiver()]);
  bank = await startBank({
    databaseUrl: run.bankDatabaseUrl,
    callbackUrl: receiver.url,
    env: { BANK_MIN_DELAY_MS: '600000', BANK_MAX_DELAY_MS: '600000', BANK_SWEEP_INTERVAL_MS: '50' },
  });
});

afterAll(async () => {
  await bank.stop();
  await Promise.all([receiver.stop(), run.cleanup()]);
});

/** Brings an order's settlement to now, as if its delay had passed. */
async function makeDue(bankReference: string): Promise<void> {
  const client = new pg.Client({ connectionString: run.bankDatabaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      'UPDATE bank_orders SET settle_at = now() WHERE bank_reference = $1 AND status = $2',
      [bankReference, 'pending'],
    );
    expect(rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

describe('GET /v1/payments/:reference', () => {
  test('when asked by bank reference and by idempotency key, then both give the order, pending then settled', async () => {
    const { key, body } = newOrder();
    const created = asOrder(await bank.post(body, { 'idempotency-key': key }));

    const byReference = await bank.get(`/v1/payments/${created.bank_reference}`);
    const byKey = await bank.get(`/v1/payments/${encodeURIComponent(key)}`);

    expect(byReference).toMatchObject({ status: 200, body: { ...created, status: 'pending', order_key: key } });
    expect(byKey).toMatchObject({ status: 200, body: { ...created, status: 'pending' } });
    await makeDue(created.bank_reference);
    const settled = await waitForSettled(bank, created.bank_reference);
    expect(settled).toMatchObject({ bank_reference: created.bank_reference, status: 'success', error_message: null });
    expect(Date.parse(settled.settled_at ?? '')).toBeGreaterThanOrEqual(Date.parse(settled.created_at));
    expect(asOrder(await bank.get(`/v1/payments/${encodeURIComponent(key)}`)).status).toBe('success');
  });

  test('when the key holds characters that need escaping, then the order is still found by it', async () => {
    const { body } = newOrder();
    const key = `tx/${body.reference} ?#%`;
    const created = asOrder(await bank.post(body, { 'idempotency-key': key }));

    const byKey = await bank.get(`/v1/payments/${encodeURIComponent(key)}`);

    expect(byKey).toMatchObject({ status: 200, body: { bank_reference: created.bank_reference } });
  });

  test('when nothing has that reference or key, then 404 not_found', async () => {
    expect(await bank.get('/v1/payments/BNK-000000000000')).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
  });
});

describe('idempotency keys are scoped to the merchant', () => {
  test('when another merchant used the same key, then this merchant neither sees its order nor replays it', async () => {
    const { key, body } = newOrder();
    const foreign = await bank.bank.submitOrder({
      merchantId: 'another-merchant',
      idempotencyKey: key,
      requestId: undefined,
      request: { reference: body.reference, type: 'deposit', amountMinor: 999n, currency: 'USD' },
    });
    if (foreign.kind === 'refused') throw new Error(`the other merchant's order was refused: ${foreign.message}`);

    const beforeOwn = await bank.get(`/v1/payments/${encodeURIComponent(key)}`);
    const byForeignReference = await bank.get(`/v1/payments/${foreign.order.bankReference}`);
    const own = await bank.post(body, { 'idempotency-key': key });

    expect(beforeOwn.status).toBe(404);
    expect(byForeignReference.status).toBe(404);
    expect(own.status).toBe(202);
    expect(asOrder(own).bank_reference).not.toBe(foreign.order.bankReference);
    expect(asOrder(await bank.get(`/v1/payments/${encodeURIComponent(key)}`))).toMatchObject({
      bank_reference: asOrder(own).bank_reference,
      amount: '100.50',
      order_key: key,
    });
  });
});
