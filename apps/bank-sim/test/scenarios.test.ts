// Goal: the configured error-scenario weights shape POST answers: 503 and 400 create nothing, a "timeout"
// accepts the order and holds the answer; a full order book refuses new orders but answers repeats.
// Method: weights of 1, so every request takes the scenario; each bank on a database of its own.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { asOrder, createTestRun, newOrder, startBank, waitForSettled } from './setup/bank';
import type { TestBank } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.stop();
});

/** A bank with its own empty database for one test, stopped and dropped afterwards. */
async function withBank(label: string, env: Record<string, string>, use: (bank: TestBank) => Promise<void>) {
  const run = await createTestRun(label);
  const bank = await startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url, env });
  try {
    await use(bank);
  } finally {
    await bank.stop();
    await run.cleanup();
  }
}

describe('error scenarios from the environment', () => {
  test('when BANK_UNAVAILABLE_RATE is 1, then 503 unavailable and no order', async () => {
    await withBank('unavailable', { BANK_UNAVAILABLE_RATE: '1' }, async (bank) => {
      const { key, body } = newOrder();
      expect(await bank.post(body, { 'idempotency-key': key })).toMatchObject({
        status: 503,
        body: { error: 'unavailable' },
      });
      expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
    });
  });

  test('when BANK_INVALID_RATE is 1, then 400 invalid_request and no order', async () => {
    await withBank('invalid', { BANK_INVALID_RATE: '1' }, async (bank) => {
      const { key, body } = newOrder();
      expect(await bank.post(body, { 'idempotency-key': key })).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
      expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
    });
  });

  test('when BANK_TIMEOUT_RATE is 1, then the caller times out but the order exists and settles', async () => {
    await withBank('timeout', { BANK_TIMEOUT_RATE: '1', BANK_HANG_MS: '5000' }, async (bank) => {
      const { key, body } = newOrder();
      await expect(bank.post(body, { 'idempotency-key': key }, { signal: AbortSignal.timeout(100) })).rejects.toThrow();

      const found = await waitFor(async () => {
        const answer = await bank.get(`/v1/payments/${key}`);
        return answer.status === 200 ? answer : undefined;
      }, 'the held order');
      expect(await waitForSettled(bank, asOrder(found).bank_reference)).toMatchObject({ status: 'success' });
      await receiver.waitForWebhooks(key, 1);
    });
  });

  test('when the order book is full, then a new order gets 503 and a repeat of an old one still answers', async () => {
    await withBank('book_full', { BANK_ORDER_COUNT_MAX: '1' }, async (bank) => {
      const first = newOrder();
      const second = newOrder();
      expect((await bank.post(first.body, { 'idempotency-key': first.key })).status).toBe(202);

      expect(await bank.post(second.body, { 'idempotency-key': second.key })).toMatchObject({
        status: 503,
        body: { error: 'order_book_full' },
      });
      expect((await bank.post(first.body, { 'idempotency-key': first.key })).status).toBe(200);
      expect((await bank.get(`/v1/payments/${second.key}`)).status).toBe(404);
    });
  });
});
