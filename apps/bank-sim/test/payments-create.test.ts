// Goal: POST /v1/payments accepts an order once per idempotency key, refuses bad input with 400/422, and
// reports the outcome by a signed webhook. Method: the bank in-process on port 0, a real local receiver.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { BankOrder, BankWebhookPayload } from '@paygate/contracts';
import { isFreshTimestamp, verifySignature } from '@paygate/domain';

import { asOrder, newOrder, send, sleep, startBank, TEST_WEBHOOK_SECRET } from './setup/bank';
import type { TestBank } from './setup/bank';
import { pathOf, startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [bank, receiver] = await Promise.all([startBank(), startReceiver()]);
});

afterAll(async () => {
  await Promise.all([bank.stop(), receiver.stop()]);
});

describe('POST /v1/payments', () => {
  test('when a valid order arrives, then 202 pending, and later a webhook whose signature verifies', async () => {
    const { key, body } = newOrder(receiver.url(), { type: 'withdrawal', amount: '42.00', currency: 'EUR' });

    const answer = await bank.post(body, { 'idempotency-key': key, 'x-request-id': 'req-create-1' });

    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-request-id')).toBe('req-create-1');
    const order = BankOrder.parse(answer.body);
    expect(order).toMatchObject({
      reference: body.reference,
      type: 'withdrawal',
      amount: '42.00',
      currency: 'EUR',
      status: 'pending',
      error_message: null,
      settled_at: null,
    });
    expect(order.bank_reference).toMatch(/^BNK-[0-9A-Z]{12}$/);

    const [delivery] = await receiver.waitForDeliveries(pathOf(body.callback_url), 1);
    const payload = BankWebhookPayload.parse(delivery!.body);
    expect(payload).toMatchObject({
      transaction_id: Number(body.reference),
      bank_reference: order.bank_reference,
      status: 'success',
      error_message: null,
    });
    expect(verifySignature(delivery!.body, payload.signature, TEST_WEBHOOK_SECRET)).toBe(true);
    expect(verifySignature(delivery!.body, payload.signature, 'another-secret')).toBe(false);
    expect(isFreshTimestamp(payload.timestamp, Math.floor(Date.now() / 1000))).toBe(true);
    expect(delivery!.headers['x-request-id']).toBe('req-create-1');
    expect(delivery!.headers['content-type']).toBe('application/json');
  });

  test('when the same key and body arrive twice, then one order, the same reference (200) and one webhook', async () => {
    const { key, body } = newOrder(receiver.url());

    const first = await bank.post(body, { 'idempotency-key': key });
    const second = await bank.post({ ...body }, { 'idempotency-key': key });

    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(asOrder(second).bank_reference).toBe(asOrder(first).bank_reference);
    await receiver.waitForDeliveries(pathOf(body.callback_url), 1);
    await sleep(100);
    expect(receiver.deliveries.filter((delivery) => delivery.path === pathOf(body.callback_url))).toHaveLength(1);
  });

  test('when the same key arrives with another body, then 422 idempotency_key_reused and the first order stands', async () => {
    const { key, body } = newOrder(receiver.url());
    const first = await bank.post(body, { 'idempotency-key': key });

    const reused = await bank.post({ ...body, amount: '100.51' }, { 'idempotency-key': key });

    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: 'idempotency_key_reused' });
    expect(asOrder(await bank.get(`/v1/payments/${key}`))).toMatchObject({
      bank_reference: asOrder(first).bank_reference,
      amount: '100.50',
    });
  });

  test('when the Idempotency-Key header is missing, then 400 and no order', async () => {
    const { body } = newOrder(receiver.url());

    const answer = await bank.post(body);

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'idempotency_key_missing' });
  });

  test('when the Idempotency-Key is too long or not printable ASCII, then 400 invalid_request', async () => {
    const { body } = newOrder(receiver.url());

    const tooLong = await bank.post(body, { 'idempotency-key': 'k'.repeat(256) });
    const control = await bank.post(body, { 'idempotency-key': 'tab\there' });

    expect(tooLong).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(control).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test.each([
    ['a float amount', { amount: 10.5 }, 'amount'],
    ['an amount with 3 decimals', { amount: '10.505' }, 'amount'],
    ['an unknown type', { type: 'refund' }, 'type'],
    ['a lower-case currency', { currency: 'usd' }, 'currency'],
    ['a non-numeric reference', { reference: 'tx-1' }, 'reference'],
    ['a callback that is not a URL', { callback_url: 'not a url' }, 'callback_url'],
    ['an unknown field', { note: 'hi' }, ''],
  ])('when the body has %s, then 400 invalid_request naming the field', async (_name, change, field) => {
    const { key, body } = newOrder(receiver.url());

    const answer = await bank.post({ ...body, ...change }, { 'idempotency-key': key });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_request' });
    expect((answer.body as { message: string }).message).toContain(field);
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test('when the body is not JSON, then 400 invalid_request', async () => {
    const answer = await send(`${bank.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'broken-json' },
      body: '{"reference":',
    });

    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('when the body is larger than the limit, then 413 payload_too_large', async () => {
    const { key, body } = newOrder(receiver.url());

    const answer = await bank.post({ ...body, padding: 'x'.repeat(70 * 1024) }, { 'idempotency-key': key });

    expect(answer).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });
});

describe('GET /health and /metrics', () => {
  test('when asked, then health is ok and metrics count orders and deliveries', async () => {
    expect(await bank.get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });

    const metrics = await bank.get('/metrics');

    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/bank_sim_orders_total\{answer="accepted"\} \d+/);
    expect(metrics.body).toMatch(/bank_sim_webhook_deliveries_total\{result="delivered"\} \d+/);
  });

  test('when a route does not exist, then 404 not_found', async () => {
    expect(await bank.get('/v2/nothing')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});
