// Goal: the bank keeps posting a webhook until it gets a 2xx, re-signing each retry, and gives up after
// BANK_WEBHOOK_ATTEMPT_COUNT_MAX attempts. Method: a real receiver told which statuses to answer with.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { verifySignature } from '@paygate/domain';

import { asOrder, newOrder, sleep, startBank, TEST_WEBHOOK_SECRET, waitFor } from './setup/bank';
import type { TestBank } from './setup/bank';
import { pathOf, startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [bank, receiver] = await Promise.all([startBank({ BANK_WEBHOOK_ATTEMPT_COUNT_MAX: '4' }), startReceiver()]);
});

afterEach(() => receiver.answerWith([]));

afterAll(async () => {
  await Promise.all([bank.stop(), receiver.stop()]);
});

describe('webhook delivery', () => {
  test('when the receiver answers 500 twice then 200, then the webhook is delivered on the 3rd attempt, each signed', async () => {
    receiver.answerWith([500, 500, 200]);
    const { key, body } = newOrder(receiver.url());
    const order = asOrder(await bank.post(body, { 'idempotency-key': key, 'x-request-id': 'req-retry' }));

    const deliveries = await receiver.waitForDeliveries(pathOf(body.callback_url), 3);
    await sleep(150);

    expect(receiver.deliveries.filter((delivery) => delivery.path === pathOf(body.callback_url))).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery.body).toMatchObject({ bank_reference: order.bank_reference, status: 'success' });
      expect(verifySignature(delivery.body, delivery.body.signature, TEST_WEBHOOK_SECRET)).toBe(true);
      expect(delivery.headers['x-request-id']).toBe('req-retry');
    }
  });

  test('when the receiver never answers 2xx, then the bank stops after the attempt limit', async () => {
    receiver.answerWith(Array.from({ length: 20 }, () => 503));
    const { key, body } = newOrder(receiver.url());
    await bank.post(body, { 'idempotency-key': key });

    await receiver.waitForDeliveries(pathOf(body.callback_url), 4);
    await sleep(300);

    expect(receiver.deliveries.filter((delivery) => delivery.path === pathOf(body.callback_url))).toHaveLength(4);
    const metrics = String((await bank.get('/metrics')).body);
    expect(metrics).toMatch(/bank_sim_webhook_deliveries_total\{result="gave_up"\} 1/);
  });

  test('when the callback host refuses connections, then the order still settles and GET shows it', async () => {
    const { key, body } = newOrder('http://127.0.0.1:1/hook');
    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    const settled = await waitFor(async () => {
      const current = asOrder(await bank.get(`/v1/payments/${order.bank_reference}`));
      return current.status === 'pending' ? undefined : current;
    });

    expect(settled.status).toBe('success');
  });
});
