// Goal: POST /v1/payments accepts an order once per idempotency key, refuses bad input with 400/422, and
// reports the outcome by a signed webhook to the merchant's configured callback URL, never to one the
// order names. Method: the bank in-process on port 0 with its own database, a real local receiver.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { BankOrder, FullBankWebhookPayload } from '@paygate/contracts';
import { isFreshTimestamp, verifySignature } from '@paygate/domain';

import {
  asOrder,
  call,
  createTestRun,
  newOrder,
  startBank,
  TEST_WEBHOOK_SECRET,
  waitForWebhooksFinished,
} from './setup/bank';
import type { TestBank, TestRun } from './setup/bank';
import { CALLBACK_PATH, startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let run: TestRun;
let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [run, receiver] = await Promise.all([createTestRun('payments_create'), startReceiver()]);
  bank = await startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url });
});

afterAll(async () => {
  await bank.stop();
  await Promise.all([receiver.stop(), run.cleanup()]);
});

describe('POST /v1/payments', () => {
  test('when a valid order arrives, then 202 pending, and later a full webhook whose signature verifies', async () => {
    const { key, body } = newOrder({ type: 'withdrawal', amount: '42.00', currency: 'EUR' });

    const answer = await bank.post(body, { 'idempotency-key': key, 'x-request-id': 'req-create-1' });

    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-request-id')).toBe('req-create-1');
    const order = BankOrder.parse(answer.body);
    expect(order).toMatchObject({
      order_key: key,
      reference: body.reference,
      type: 'withdrawal',
      amount: '42.00',
      currency: 'EUR',
      status: 'pending',
      error_message: null,
      settled_at: null,
    });
    expect(order.bank_reference).toMatch(/^BNK-[0-9A-Z]{12}$/);

    const [delivery] = await receiver.waitForWebhooks(key, 1);
    expect(delivery!.path).toBe(CALLBACK_PATH);
    const payload = FullBankWebhookPayload.parse(delivery!.body);
    expect(Object.keys(delivery!.body).sort()).toEqual([
      'amount',
      'bank_reference',
      'currency',
      'error_message',
      'order_key',
      'signature',
      'status',
      'timestamp',
      'transaction_id',
    ]);
    expect(payload).toMatchObject({
      transaction_id: Number(body.reference),
      bank_reference: order.bank_reference,
      status: 'success',
      error_message: null,
      order_key: key,
      amount: '42.00',
      currency: 'EUR',
    });
    expect(verifySignature(delivery!.body, payload.signature, TEST_WEBHOOK_SECRET)).toBe(true);
    expect(verifySignature(delivery!.body, payload.signature, 'another-secret')).toBe(false);
    expect(verifySignature({ ...delivery!.body, amount: '42.01' }, payload.signature, TEST_WEBHOOK_SECRET)).toBe(false);
    expect(isFreshTimestamp(payload.timestamp, Math.floor(Date.now() / 1000))).toBe(true);
    expect(delivery!.headers['x-request-id']).toBe('req-create-1');
    expect(delivery!.headers['content-type']).toBe('application/json');
  });

  test('when the same key and body arrive twice, then one order, the same reference (200) and one webhook', async () => {
    const { key, body } = newOrder();

    const first = await bank.post(body, { 'idempotency-key': key });
    const second = await bank.post({ ...body }, { 'idempotency-key': key });

    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(asOrder(second).bank_reference).toBe(asOrder(first).bank_reference);
    // Once the webhook is recorded as delivered no attempt can follow, so the count is final.
    expect(await waitForWebhooksFinished(bank, asOrder(first).bank_reference)).toEqual([
      { attemptCount: 1, isDelivered: true, isGivenUp: false },
    ]);
    expect(receiver.webhooksFor(key)).toHaveLength(1);
  });

  test('when the same key arrives at once on many connections, then one order and every answer names it', async () => {
    const { key, body } = newOrder();

    const answers = await Promise.all(Array.from({ length: 8 }, () => bank.post(body, { 'idempotency-key': key })));

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(answers.map((answer) => asOrder(answer).bank_reference)).size).toBe(1);
  });

  test('when the same key arrives with another body, then 422 idempotency_key_reused and the first order stands', async () => {
    const { key, body } = newOrder();
    const first = await bank.post(body, { 'idempotency-key': key });

    const reused = await bank.post({ ...body, amount: '100.51' }, { 'idempotency-key': key });

    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: 'idempotency_key_reused' });
    expect(asOrder(await bank.get(`/v1/payments/${key}`))).toMatchObject({
      bank_reference: asOrder(first).bank_reference,
      amount: '100.50',
    });
  });

  test('when the order names a callback_url, then 400 saying the callback is the configured one, and no order', async () => {
    const { key, body } = newOrder();

    const answer = await bank.post(
      { ...body, callback_url: 'http://attacker.example/hook' },
      { 'idempotency-key': key },
    );

    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const { message } = answer.body as { message: string };
    expect(message).toContain('callback_url');
    expect(message).toContain("merchant's configured callback URL");
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test('when the Idempotency-Key header is missing, then 400 and no order', async () => {
    const { body } = newOrder();

    const answer = await bank.post(body);

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'idempotency_key_missing' });
  });

  test('when the Idempotency-Key is too long or not printable ASCII, then 400 invalid_request', async () => {
    const { body } = newOrder();

    const tooLong = await bank.post(body, { 'idempotency-key': 'k'.repeat(256) });
    const control = await bank.post(body, { 'idempotency-key': 'tab\there' });

    expect(tooLong).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(control).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test.each([
    ['a float amount', { amount: 10.5 }, 'amount'],
    ['an amount with 3 decimals', { amount: '10.505' }, 'amount'],
    ['a zero amount', { amount: '0.00' }, 'amount'],
    ['a negative amount', { amount: '-5.00' }, 'amount'],
    ['an unknown type', { type: 'refund' }, 'type'],
    ['a lower-case currency', { currency: 'usd' }, 'currency'],
    ['a non-numeric reference', { reference: 'tx-1' }, 'reference'],
    ['an unknown field', { note: 'hi' }, 'note'],
  ])('when the body has %s, then 400 invalid_request naming the field', async (_name, change, field) => {
    const { key, body } = newOrder();

    const answer = await bank.post({ ...body, ...change }, { 'idempotency-key': key });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_request' });
    expect((answer.body as { message: string }).message).toContain(field);
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test('when the body is not JSON, then 400 invalid_request', async () => {
    const answer = await call(`${bank.baseUrl}/v1/payments`, 'POST', '{"reference":', {
      headers: { 'idempotency-key': 'broken-json' },
    });

    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('when the body is larger than the limit, then 413 payload_too_large', async () => {
    const { key, body } = newOrder();

    const answer = await bank.post({ ...body, padding: 'x'.repeat(70 * 1024) }, { 'idempotency-key': key });

    expect(answer).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });
});

describe('GET /health and /metrics', () => {
  test('when asked, then health is ok with its database, and metrics count orders and deliveries', async () => {
    expect(await bank.get('/health')).toMatchObject({ status: 200, body: { status: 'ok', database: 'up' } });

    const metrics = await bank.get('/metrics');

    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/bank_sim_orders_total\{answer="accepted"\} \d+/);
    expect(metrics.body).toMatch(/bank_sim_webhook_deliveries_total\{result="delivered"\} \d+/);
  });

  test('when a route does not exist, then 404 not_found', async () => {
    expect(await bank.get('/v2/nothing')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});
