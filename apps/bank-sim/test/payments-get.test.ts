// Goal: an order can be read by its bank reference or by the idempotency key it was created with, before
// and after settlement. Method: create through the API, read through the API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { asOrder, newOrder, startBank, waitForSettled } from './setup/bank';
import type { TestBank } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [bank, receiver] = await Promise.all([
    startBank({ BANK_MIN_DELAY_MS: '150', BANK_MAX_DELAY_MS: '150' }),
    startReceiver(),
  ]);
});

afterAll(async () => {
  await Promise.all([bank.stop(), receiver.stop()]);
});

describe('GET /v1/payments/:reference', () => {
  test('when asked by bank reference and by idempotency key, then both give the order, pending then settled', async () => {
    const { key, body } = newOrder(receiver.url());
    const created = asOrder(await bank.post(body, { 'idempotency-key': key }));

    const byReference = await bank.get(`/v1/payments/${created.bank_reference}`);
    const byKey = await bank.get(`/v1/payments/${encodeURIComponent(key)}`);

    expect(byReference).toMatchObject({ status: 200, body: { ...created, status: 'pending' } });
    expect(byKey).toMatchObject({ status: 200, body: { ...created, status: 'pending' } });
    const settled = await waitForSettled(bank, created.bank_reference);
    expect(settled).toMatchObject({ bank_reference: created.bank_reference, status: 'success', error_message: null });
    expect(Date.parse(settled.settled_at ?? '')).toBeGreaterThanOrEqual(Date.parse(settled.created_at));
    expect(asOrder(await bank.get(`/v1/payments/${encodeURIComponent(key)}`)).status).toBe('success');
  });

  test('when the key holds characters that need escaping, then the order is still found by it', async () => {
    const { body } = newOrder(receiver.url());
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
