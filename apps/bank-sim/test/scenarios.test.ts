// Goal: the configured error-scenario weights shape POST answers: 503 and 400 create nothing, a "timeout"
// accepts the order and holds the answer. Method: weights of 1, so every request takes the scenario.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { newOrder, startBank, waitForSettled } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.stop();
});

describe('error scenarios from the environment', () => {
  test('when BANK_UNAVAILABLE_RATE is 1, then 503 unavailable and no order', async () => {
    const bank = await startBank({ BANK_UNAVAILABLE_RATE: '1' });
    try {
      const { key, body } = newOrder(receiver.url());
      expect(await bank.post(body, { 'idempotency-key': key })).toMatchObject({
        status: 503,
        body: { error: 'unavailable' },
      });
      expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
    } finally {
      await bank.stop();
    }
  });

  test('when BANK_INVALID_RATE is 1, then 400 invalid_request and no order', async () => {
    const bank = await startBank({ BANK_INVALID_RATE: '1' });
    try {
      const { key, body } = newOrder(receiver.url());
      expect(await bank.post(body, { 'idempotency-key': key })).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
      expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
    } finally {
      await bank.stop();
    }
  });

  test('when BANK_TIMEOUT_RATE is 1, then the caller times out but the order exists and settles', async () => {
    const bank = await startBank({ BANK_TIMEOUT_RATE: '1', BANK_HANG_MS: '5000' });
    try {
      const { key, body } = newOrder(receiver.url());
      await expect(bank.post(body, { 'idempotency-key': key }, { signal: AbortSignal.timeout(100) })).rejects.toThrow();

      const found = await bank.get(`/v1/payments/${key}`);
      expect(found.status).toBe(200);
      expect(await waitForSettled(bank, (found.body as { bank_reference: string }).bank_reference)).toMatchObject({
        status: 'success',
      });
    } finally {
      await bank.stop();
    }
  });

  test('when the order book is full, then a new order gets 503 and a repeat of an old one still answers', async () => {
    const bank = await startBank({ BANK_ORDER_COUNT_MAX: '1' });
    try {
      const first = newOrder(receiver.url());
      const second = newOrder(receiver.url());
      expect((await bank.post(first.body, { 'idempotency-key': first.key })).status).toBe(202);

      expect(await bank.post(second.body, { 'idempotency-key': second.key })).toMatchObject({
        status: 503,
        body: { error: 'order_book_full' },
      });
      expect((await bank.post(first.body, { 'idempotency-key': first.key })).status).toBe(200);
    } finally {
      await bank.stop();
    }
  });
});
