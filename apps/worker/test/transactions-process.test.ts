// Goal: a transaction created the way the API creates it is published by the outbox relay, submitted to the
// bank once under its order key, retried through the delay queues on transient failures, failed (with its
// hold voided and its message dead-lettered) when the bank is down past the retry horizon or refuses the
// order, and poison never loops.
// Method: the real worker on a per-suite database and AMQP prefix, the bank simulator in-process steered
// through /control, a webhook receiver applying webhooks as the API would, and a tap queue on the exchange.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import type { SeenMessage } from './setup/amqp';
import { transactionIdOf } from './setup/amqp';
import {
  eventsOf,
  givenTransaction,
  givenUserWithWallet,
  transactionOf,
  waitForStatus,
  walletOf,
} from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;
const deadLetters: SeenMessage[] = [];

beforeAll(async () => {
  // A short horizon: a bank that is down for good fails a transaction within seconds here.
  world = await startWorld('process', { RETRY_HORIZON_MS: '1500' });
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
    const submittedBefore = (await world.metric('paygate_worker_processed_total', { outcome: 'submitted' })) ?? 0;
    const bankCallsBefore =
      (await world.metric('paygate_worker_bank_request_duration_seconds_count', {
        operation: 'submit',
        outcome: 'ok',
      })) ?? 0;
    world.receiver.setMode('refuse');
    const id = await givenTransaction(world.pool, userId, 'deposit', 2_550n, 'req-happy-path');

    const processing = await waitFor(async () => {
      const transaction = await transactionOf(world.pool, id);
      return transaction.status === 'processing' && transaction.bankReference !== null ? transaction : undefined;
    }, 'the bank reference');
    expect(processing.bankReference).toMatch(/^BNK-/);
    const orderKey = (
      await world.pool.query('SELECT bank_order_key::text AS key FROM transactions WHERE id = $1', [id])
    ).rows[0]?.key;
    expect(orderKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await world.orderAtBank(id)).toMatchObject({
      reference: String(id),
      amountMinor: 2_550n,
      type: 'deposit',
      currency: 'USD',
      idempotencyKey: orderKey,
    });
    expect(await world.postsFor(id)).toEqual([
      { method: 'POST', path: '/v1/payments', idempotencyKey: orderKey, requestId: 'req-happy-path' },
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
    expect(await world.metric('paygate_worker_processed_total', { outcome: 'submitted' })).toBe(submittedBefore + 1);
    expect(
      await world.metric('paygate_worker_bank_request_duration_seconds_count', { operation: 'submit', outcome: 'ok' }),
    ).toBe(bankCallsBefore + 1);
  });

  test('when the same message arrives three times at once, then the bank has one order and money moves once', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
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
    // One more copy after the end: the worker sees it, finds the transaction final, and does nothing.
    const finalSeenBefore = (await world.metric('paygate_worker_processed_total', { outcome: 'already_final' })) ?? 0;
    await world.probe.publish(message, { 'x-attempt': 0 });
    await waitFor(
      async () =>
        ((await world.metric('paygate_worker_processed_total', { outcome: 'already_final' })) ?? 0) > finalSeenBefore
          ? true
          : undefined,
      'the late copy to be handled',
    );

    expect((await world.postsFor(id)).length).toBeGreaterThanOrEqual(1);
    expect(await world.bank.orderCountFor(id)).toBe(1);
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
    expect(await world.postsFor(id)).toHaveLength(4);
    expect(attemptsOf(world.probe.tappedFor(id))).toEqual([0, 1, 2, 3]);
    expect(world.probe.tappedFor(id)[1]?.headers['x-retry-reason']).toMatch(/HTTP 503 unavailable/);
    expect(await world.metric('paygate_worker_retries_total', { kind: 'http' })).toBe(retriesBefore + 3);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 700n, heldMinor: 0n });
  });

  test('when the bank is down past the retry horizon, then the withdrawal fails bank_unavailable, its hold is voided, and one message is dead-lettered', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 5_000n);
    await world.bank.control({ mode: 'always_503' });
    const id = await givenTransaction(world.pool, userId, 'withdrawal', 1_000n);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 5_000n, heldMinor: 1_000n });

    const failed = await waitForStatus(world.pool, id, ['failed', 'success']);

    expect(failed).toMatchObject({ status: 'failed', errorCode: 'bank_unavailable', bankReference: null });
    expect(failed.errorMessage).toMatch(
      /^The bank could not be reached for too long, so this withdrawal was cancelled\./,
    );
    const { rows } = await world.pool.query<{ detail: string }>(
      "SELECT detail FROM transaction_events WHERE transaction_id = $1 AND to_status = 'failed'",
      [id],
    );
    expect(rows[0]?.detail).toMatch(
      /^The bank could not be reached: \d+ attempt\(s\) over 0 min since the first submission; last failure: HTTP 503 unavailable/,
    );
    const posts = await world.postsFor(id);
    // Retried while within the horizon: more than the seed's five retries would have allowed in 1.5 s.
    expect(posts.length).toBeGreaterThan(2);
    const orderKey = posts[0]?.idempotencyKey ?? '';
    expect(
      world.bank.requests.filter((request) => request.method === 'GET' && request.path === `/v1/payments/${orderKey}`),
    ).toHaveLength(1);
    expect(attemptsOf(world.probe.tappedFor(id))).toEqual(posts.map((_post, index) => index).concat([posts.length]));
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 5_000n, heldMinor: 0n });
    const dead = await deadLettersMatching((message) => transactionIdOf(message) === id);
    expect(dead[0]?.headers['x-failure-reason']).toMatch(/^bank_unavailable: /);
    expect(dead[0]?.headers['x-attempt']).toBe(posts.length);
    // Nothing else arrives for it: exactly one dead letter once the queues are idle.
    await waitFor(
      async () => ((await world.probe.messageCount(world.worker.topology.processQueue)) === 0 ? true : undefined),
      'an idle queue',
    );
    expect(await deadLettersMatching((message) => transactionIdOf(message) === id)).toHaveLength(1);
  });

  test('when the bank refuses the order as invalid (4xx), then the transaction fails at once and is dead-lettered', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 3_000n);
    await world.bank.control({ mode: 'invalid_request' });
    const id = await givenTransaction(world.pool, userId, 'withdrawal', 3_000n);

    const failed = await waitForStatus(world.pool, id, ['failed', 'success']);

    expect(failed).toMatchObject({ status: 'failed', errorCode: 'bank_rejected' });
    expect(failed.errorMessage).toBe(
      'The bank refused this withdrawal. No money moved, and the held amount is available again.',
    );
    expect(await world.postsFor(id)).toHaveLength(1);
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
    await waitFor(async () => ((await world.postsFor(id)).length > 0 ? true : undefined), 'the first POST');
    await world.bank.control({ mode: 'invalid_request' });

    const settled = await waitForStatus(world.pool, id, ['success', 'failed']);

    expect(settled).toMatchObject({ status: 'success', errorCode: null });
    expect(settled.bankReference).toBe((await world.orderAtBank(id))?.bankReference);
    expect(await world.postsFor(id)).toHaveLength(2);
    expect(world.probe.tappedFor(id)[1]?.headers).toMatchObject({ 'x-attempt': 1, 'x-ambiguous-attempt-count': 1 });
    expect((await eventsOf(world.pool, id)).at(-1)).toMatchObject({ to_status: 'success', cause: 'worker.bank_order' });
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 4_400n, heldMinor: 0n });
  });

  test('when a message is not JSON, then it is dead-lettered once and never requeued', async () => {
    const poisonBefore = (await world.metric('paygate_worker_processed_total', { outcome: 'poison' })) ?? 0;
    const raw = `not json {${Date.now()}`;
    await world.probe.publish(raw);

    const [dead] = await deadLettersMatching((message) => message.raw === raw);
    await waitFor(
      async () => ((await world.probe.messageCount(world.worker.topology.processQueue)) === 0 ? true : undefined),
      'the poison to leave the queue',
    );

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
