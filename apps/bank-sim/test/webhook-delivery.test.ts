// Goal: the bank keeps posting a webhook until it gets a 2xx, re-signing each retry, and gives up after
// BANK_WEBHOOK_ATTEMPT_COUNT_MAX attempts. Method: a real receiver told which statuses to answer with; the
// bank's own webhook records say when no further attempt can come.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { verifySignature } from '@paygate/domain';

import {
  asOrder,
  createTestRun,
  newOrder,
  startBank,
  TEST_WEBHOOK_SECRET,
  waitForSettled,
  waitForWebhooksFinished,
} from './setup/bank';
import type { TestBank, TestRun } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let run: TestRun;
let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [run, receiver] = await Promise.all([createTestRun('webhook_delivery'), startReceiver()]);
  bank = await startBank({
    databaseUrl: run.bankDatabaseUrl,
    callbackUrl: receiver.url,
    env: { BANK_WEBHOOK_ATTEMPT_COUNT_MAX: '4' },
  });
});

afterEach(() => receiver.answerWith([]));

afterAll(async () => {
  await bank.stop();
  await Promise.all([receiver.stop(), run.cleanup()]);
});

describe('webhook delivery', () => {
  test('when the receiver answers 500 twice then 200, then the webhook is delivered on the 3rd attempt, each signed afresh', async () => {
    receiver.answerWith([500, 500, 200]);
    const { key, body } = newOrder();
    const order = asOrder(await bank.post(body, { 'idempotency-key': key, 'x-request-id': 'req-retry' }));

    expect(await waitForWebhooksFinished(bank, order.bank_reference)).toEqual([
      { attemptCount: 3, isDelivered: true, isGivenUp: false },
    ]);
    const deliveries = receiver.webhooksFor(key);
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) {
      expect(delivery.body).toMatchObject({ bank_reference: order.bank_reference, status: 'success', order_key: key });
      expect(verifySignature(delivery.body, delivery.body.signature, TEST_WEBHOOK_SECRET)).toBe(true);
      expect(delivery.headers['x-request-id']).toBe('req-retry');
    }
  });

  test('when the receiver never answers 2xx, then the bank stops after the attempt limit', async () => {
    receiver.answerWith([], 503);
    const { key, body } = newOrder();
    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    expect(await waitForWebhooksFinished(bank, order.bank_reference)).toEqual([
      { attemptCount: 4, isDelivered: false, isGivenUp: true },
    ]);
    expect(receiver.webhooksFor(key)).toHaveLength(4);
    const metrics = String((await bank.get('/metrics')).body);
    expect(metrics).toMatch(/bank_sim_webhook_deliveries_total\{result="gave_up"\} 1/);
  });
});

describe('webhook delivery to a callback that refuses connections', () => {
  test('when the callback host refuses connections, then the order still settles and GET shows it', async () => {
    const deadRun = await createTestRun('webhook_dead');
    const dead = await startBank({ databaseUrl: deadRun.bankDatabaseUrl, callbackUrl: 'http://127.0.0.1:1/hook' });
    try {
      const { key, body } = newOrder();
      const order = asOrder(await dead.post(body, { 'idempotency-key': key }));

      expect((await waitForSettled(dead, order.bank_reference)).status).toBe('success');
    } finally {
      await dead.stop();
      await deadRun.cleanup();
    }
  });
});
