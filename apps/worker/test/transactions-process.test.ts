// Goal: a transaction created the way the API creates it is published by the outbox relay, submitted to the
// bank once, retried through the delay queues on transient failures, failed (with its hold voided and its
// message dead-lettered) when the bank is down for good or refuses the order, and poison never loops.
// Method: the real worker on a per-suite database and AMQP prefix, the bank simulator in-process steered
// through /control, a webhook receiver applying webhooks as the API would, and a tap queue on the exchange.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';

import type { SeenMessage } from './setup/amqp';
import { transactionIdOf } from './setup/amqp';
import {
  eventsOf,
  givenTransaction,
  givenUserWithWallet,
  sleep,
  transactionOf,
  waitFor,
  waitForStatus,
  walletOf,
} from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;
const deadLetters: SeenMessage[] = [];

beforeAll(async () => {
  world = await startWorld('process', { RETRY_COUNT_MAX: '5' });
});

afterAll(async () => {
  await world.stop();
});

beforeEach(async () => {
  await world.bank.control({ reset: true });
  world.receiver.setMode('apply');
});

/** Every dead letter seen so far in this file whose transaction (or raw body) matches. */
async function deadLettersMatching(match: (message: SeenMessage) => boolean, count = 1): Promise<SeenMessage[]> {
  return waitFor(async () => {
    deadLetters.push(...(await world.probe.takeDeadLetters()));
    const found = deadLetters.filter(match);
    return found.length >= count ? found : undefined;
  }, `${count} dead letter(s)`);
}

function attemptsOf(messages: SeenMessage[]): unknown[] {
  return messages.map((message) => message.headers['x-attempt']);
}

describe('transactions.process', () => {
  test('when a deposit is created, then it is published, submitted once, and settled by the webhook', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    world.receiver.setMode('refuse');
    const id = await givenTransaction(world.pool, userId, 'deposit', 2_550n, 'req-happy-path');

    const processing = await waitFor(async () => {
      const transaction = await transactionOf(world.pool, id);
      return transaction.status === 'processing' && transaction.bankReference !== null ? transaction : undefined;
    }, 'the bank reference');
    expect(processing.bankReference).toMatch(/^BNK-/);
    expect(world.bank.bank.orders.findByIdempotencyKey(String(id))).toMatchObject({
      reference: String(id),
      amount: '25.50',
      type: 'deposit',
      currency: 'USD',
    });
    expect(world.bank.postsFor(id)).toEqual([
      { method: 'POST', path: '/v1/payments', idempotencyKey: String(id), requestId: 'req-happy-path' },
    ]);
    const [published] = world.probe.tappedFor(id);
    expect(published?.messageId).toMatch(/^outbox-\d+$/);
    expect(published?.headers).toMatchObject({ 'x-attempt': 0, 'x-request-id': 'req-happy-path' });

    world.receiver.setMode('apply');
    const settled = await waitForStatus(world.pool, id, ['success', 'failed']);
    expect(settled).toMatchObject({ status: 'success', bankReference: processing.bankReference, errorCode: null });
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 2_550n, heldMinor: 0n });
    expect(await eventsOf(world.pool, id)).toEqual([
      { from_status: null, to_status: 'pending', cause: 'api.create', error_code: null },
      { from_status: 'pending', to_status: 'processing', cause: 'worker.submit', error_code: null },
      { from_status: 'processing', to_status: 'success', cause: 'bank.webhook', error_code: null },
    ]);
    expect(await world.metric('paygate_worker_processed_total', { outcome: 'submitted' })).toBeGreaterThanOrEqual(1);
    expect(
      await world.metric('paygate_worker_bank_request_duration_seconds_count', { operation: 'submit', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
  });

  test('when the same message arrives three times at once, then the bank has one order and money moves once', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const orderCountBefore = world.bank.bank.orders.count;
    world.receiver.setMode('refuse');
    const id = await givenTransaction(world.pool, userId, 'deposit', 1_000n, 'req-redelivery');
    const message = JSON.stringify({
      transaction_id: id,
      user_id: userId,
      type: 'deposit',
      amount_minor: '1000',
      currency: 'USD',
      request_id: 'req-redelivery',
    });
    await Promise.all([
      world.probe.publish(message, { 'x-attempt': 0 }),
      world.probe.publish(message, { 'x-attempt': 0 }),
    ]);

    await waitFor(
      async () => ((await transactionOf(world.pool, id)).bankReference === null ? undefined : true),
      'the bank reference',
    );
    await waitFor(() => (world.probe.tappedFor(id).length >= 3 ? true : undefined), 'three copies on the exchange');
    world.receiver.setMode('apply');
    await waitForStatus(world.pool, id, ['success']);
    await world.probe.publish(message, { 'x-attempt': 0 });
    await sleep(200);

    expect(world.bank.postsFor(id).length).toBeGreaterThanOrEqual(1);
    expect(world.bank.bank.orders.count).toBe(orderCountBefore + 1);
    const { rows: postings } = await world.pool.query('SELECT amount FROM ledger_postings WHERE transaction_id = $1', [
      id,
    ]);
    expect(postings).toEqual([{ amount: '1000' }]);
    expect((await eventsOf(world.pool, id)).map((event) => event.to_status)).toEqual([
      'pending',
      'processing',
      'success',
    ]);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 1_000n, heldMinor: 0n });
  });

  test('when the bank answers 503 three times, then the message comes back with a climbing x-attempt and then succeeds', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const retriesBefore = (await world.metric('paygate_worker_retries_total', { kind: 'http' })) ?? 0;
    await world.bank.control({ fail_next_requests_with_503: 3 });
    const id = await givenTransaction(world.pool, userId, 'deposit', 700n);

    const settled = await waitForStatus(world.pool, id, ['success', 'failed']);

    expect(settled.status).toBe('success');
    expect(world.bank.postsFor(id)).toHaveLength(4);
    expect(attemptsOf(world.probe.tappedFor(id))).toEqual([0, 1, 2, 3]);
    expect(world.probe.tappedFor(id)[1]?.headers['x-retry-reason']).toMatch(/HTTP 503 unavailable/);
    expect(await world.metric('paygate_worker_retries_total', { kind: 'http' })).toBe(retriesBefore + 3);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 700n, heldMinor: 0n });
  });

  test('when the bank is down for good, then the withdrawal fails bank_unavailable after 5 retries, its hold is voided, and one message is dead-lettered', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 5_000n);
    await world.bank.control({ mode: 'always_503' });
    const id = await givenTransaction(world.pool, userId, 'withdrawal', 1_000n);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 5_000n, heldMinor: 1_000n });

    const failed = await waitForStatus(world.pool, id, ['failed', 'success'], 10_000);

    expect(failed).toMatchObject({ status: 'failed', errorCode: 'bank_unavailable', bankReference: null });
    expect(failed.errorMessage).toMatch(/after 6 attempts; last error: HTTP 503 unavailable/);
    expect(world.bank.postsFor(id)).toHaveLength(6);
    expect(
      world.bank.requests.filter((request) => request.method === 'GET' && request.path === `/v1/payments/${id}`),
    ).toHaveLength(1);
    expect(attemptsOf(world.probe.tappedFor(id))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 5_000n, heldMinor: 0n });
    const dead = await deadLettersMatching((message) => transactionIdOf(message) === id);
    await sleep(200);
    expect(await deadLettersMatching((message) => transactionIdOf(message) === id)).toHaveLength(1);
    expect(dead[0]?.headers['x-failure-reason']).toMatch(/^bank_unavailable: /);
    expect(dead[0]?.headers['x-attempt']).toBe(5);
  });

  test('when the bank refuses the order as invalid (4xx), then the transaction fails at once and is dead-lettered', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 3_000n);
    await world.bank.control({ mode: 'invalid_request' });
    const id = await givenTransaction(world.pool, userId, 'withdrawal', 3_000n);

    const failed = await waitForStatus(world.pool, id, ['failed', 'success']);

    expect(failed).toMatchObject({ status: 'failed', errorCode: 'bank_rejected' });
    expect(failed.errorMessage).toBe(
      'The bank rejected the order (HTTP 400 invalid_request: The bank refused the order as invalid.).',
    );
    expect(world.bank.postsFor(id)).toHaveLength(1);
    expect(attemptsOf(world.probe.tappedFor(id))).toEqual([0]);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 3_000n, heldMinor: 0n });
    const [dead] = await deadLettersMatching((message) => transactionIdOf(message) === id);
    expect(dead?.headers['x-failure-reason']).toMatch(/^bank_rejected: /);
  });

  // The ambiguous case: the bank took the order but its answer never arrived, and the retry is refused.
  test('when the first answer times out and the retry is refused (4xx), then the order the bank holds settles the transaction', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    world.receiver.setMode('refuse');
    await world.bank.control({ mode: 'hang' });
    const id = await givenTransaction(world.pool, userId, 'deposit', 4_400n);
    await waitFor(() => (world.bank.postsFor(id).length > 0 ? true : undefined), 'the first POST');
    await world.bank.control({ mode: 'invalid_request' });

    const settled = await waitForStatus(world.pool, id, ['success', 'failed']);

    expect(settled).toMatchObject({ status: 'success', errorCode: null });
    expect(settled.bankReference).toBe(world.bank.bank.orders.findByIdempotencyKey(String(id))?.bankReference);
    expect(world.bank.postsFor(id)).toHaveLength(2);
    expect(world.probe.tappedFor(id)[1]?.headers).toMatchObject({ 'x-attempt': 1, 'x-ambiguous-attempt-count': 1 });
    expect((await eventsOf(world.pool, id)).at(-1)).toMatchObject({ to_status: 'success', cause: 'worker.bank_order' });
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 4_400n, heldMinor: 0n });
  });

  test('when a message is not JSON, then it is dead-lettered once and never requeued', async () => {
    const poisonBefore = (await world.metric('paygate_worker_processed_total', { outcome: 'poison' })) ?? 0;
    const raw = `not json {${Date.now()}`;
    await world.probe.publish(raw);

    const [dead] = await deadLettersMatching((message) => message.raw === raw);
    await sleep(300);

    expect(dead?.headers['x-death']).toEqual([
      expect.objectContaining({ reason: 'rejected', count: 1, queue: world.worker.topology.processQueue }),
    ]);
    expect(await world.metric('paygate_worker_processed_total', { outcome: 'poison' })).toBe(poisonBefore + 1);
    expect(await world.probe.messageCount(world.worker.topology.processQueue)).toBe(0);
  });

  test('when a message names no transaction, then it is dead-lettered and the bank is not called', async () => {
    const requestCountBefore = world.bank.requests.length;
    const missingId = 1_999_999_999;
    await world.probe.publish(
      JSON.stringify({
        transaction_id: missingId,
        user_id: 1,
        type: 'deposit',
        amount_minor: '100',
        currency: 'USD',
        request_id: null,
      }),
    );

    const [dead] = await deadLettersMatching((message) => transactionIdOf(message) === missingId);

    expect(dead?.headers['x-death']).toEqual([expect.objectContaining({ reason: 'rejected', count: 1 })]);
    expect(world.bank.requests.length).toBe(requestCountBefore);
    expect(await world.metric('paygate_worker_dead_lettered_total', { reason: 'unknown_transaction' })).toBe(1);
  });
});
