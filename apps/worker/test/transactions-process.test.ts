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
    // The console's record of each call: the answer, how long it took, and the delay chosen after it.
    const attempts = await bankAttemptsOf(id, 4);
    expect(attempts.map((attempt) => [attempt.operation, attempt.attempt_index, attempt.http_status])).toEqual([
      ['submit', 0, 503],
      ['submit', 1, 503],
      ['submit', 2, 503],
      ['submit', 3, 202],
    ]);
    for (const failed of attempts.slice(0, 3)) {
      expect(failed).toMatchObject({ outcome: 'unavailable', bank_reference: null, worker_id: world.worker.workerId });
      expect(failed.error).toMatch(/HTTP 503/);
      expect(failed.retry_delay_ms).toBeGreaterThanOrEqual(0);
      expect(failed.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(attempts[3]).toMatchObject({ outcome: 'ok', bank_reference: settled.bankReference, retry_delay_ms: null });
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
    // Also recorded in the database, for the console, without draining the queue.
    const [recorded] = await recordedDeadLetters('transaction_id = $1', [id]);
    expect(recorded).toMatchObject({ transaction_id: String(id), replayed_at: null });
    expect(recorded?.reason).toMatch(/^bank_rejected: /);
    expect(recorded?.payload).toMatchObject({ transaction_id: id, type: 'withdrawal' });
    // The operator's detail ends its sentence once, even when the bank's message ends with a period.
    const { rows } = await world.pool.query<{ detail: string }>(
      'SELECT detail FROM transaction_events WHERE transaction_id = $1 AND to_status = $2',
      [id, 'failed'],
    );
    expect(rows[0]?.detail).toMatch(/^The bank refused the order: HTTP 400 invalid_request: .*[^.]\.$/);
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
    const recorded = await recordedDeadLetters("payload->>'raw' = $1", [raw]);
    expect(recorded).toEqual([expect.objectContaining({ transaction_id: null, reason: 'invalid_json' })]);
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
    const recorded = await recordedDeadLetters("(payload->>'transaction_id')::bigint = $1", [missingId]);
    expect(recorded).toEqual([expect.objectContaining({ transaction_id: null, reason: 'unknown_transaction' })]);
  });
});

describe('worker heartbeat', () => {
  test('when a worker beats, then its row says what it runs and the depth and consumers of each queue; when it stops, the row goes', async () => {
    const another = await world.startAnotherWorker();
    await another.worker.beat();

    const row = await heartbeatOf(another.worker.workerId);
    expect(row).toMatchObject({ version: '0.1.0', in_flight: 0, breaker_state: 'closed' });
    const queues = row?.queues ?? [];
    const names = queues.map((queue) => queue.name);
    const { processQueue, deadLetterQueue, retryQueues } = world.worker.topology;
    expect(names).toEqual([processQueue, deadLetterQueue, ...retryQueues.map((retry) => retry.queue)]);
    // Two workers consume the process queue; nothing consumes the delay queues.
    expect(queues.find((queue) => queue.name === processQueue)?.consumers).toBe(2);
    expect(queues.find((queue) => queue.name === retryQueues[0]?.queue)?.consumers).toBe(0);

    await another.stop();
    expect(await heartbeatOf(another.worker.workerId)).toBeUndefined();
    expect(await heartbeatOf(world.worker.workerId)).toBeDefined();
  });
});

describe('ledger check', () => {
  test('when a cached balance drifts from its postings, then the check finds it, stores it and the gauge says so; once repaired, it is back to 0', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 1_000n);
    expect(await world.worker.checkLedger()).toBe(0);
    expect(await world.metric('paygate_worker_ledger_violations')).toBe(0);

    // Drift made by hand (no code path can do this): one cent more than the postings say.
    await world.pool.query("UPDATE accounts SET balance = balance + 1 WHERE user_id = $1 AND kind = 'wallet'", [
      userId,
    ]);
    try {
      // The wallet differs from its postings, and the currency no longer sums to zero.
      expect(await world.worker.checkLedger()).toBe(2);
      expect(await world.metric('paygate_worker_ledger_violations')).toBe(2);
      const { rows } = await world.pool.query<{ is_balanced: boolean; violation_count: number; summary: unknown }>(
        'SELECT is_balanced, violation_count, summary FROM ledger_checks ORDER BY id DESC LIMIT 1',
      );
      expect(rows[0]).toMatchObject({
        is_balanced: false,
        violation_count: 2,
        summary: { sum_minor_by_currency: { USD: '1' }, balance_drift_count: 1 },
      });
    } finally {
      await world.pool.query("UPDATE accounts SET balance = balance - 1 WHERE user_id = $1 AND kind = 'wallet'", [
        userId,
      ]);
    }
    expect(await world.worker.checkLedger()).toBe(0);
  });
});

interface AttemptRow {
  operation: string;
  attempt_index: number;
  outcome: string;
  http_status: number | null;
  latency_ms: number | null;
  retry_delay_ms: number | null;
  bank_reference: string | null;
  error: string | null;
  worker_id: string | null;
}

async function bankAttemptsOf(transactionId: number, count: number): Promise<AttemptRow[]> {
  return waitFor(async () => {
    const { rows } = await world.pool.query<AttemptRow>(
      'SELECT * FROM bank_attempts WHERE transaction_id = $1 ORDER BY id',
      [transactionId],
    );
    return rows.length >= count ? rows : undefined;
  }, `${count} bank attempt(s) recorded`);
}

interface DeadLetterRow {
  transaction_id: string | null;
  reason: string;
  payload: unknown;
  replayed_at: Date | null;
}

async function recordedDeadLetters(where: string, values: unknown[]): Promise<DeadLetterRow[]> {
  return waitFor(async () => {
    const { rows } = await world.pool.query<DeadLetterRow>(
      `SELECT transaction_id, reason, payload, replayed_at FROM dead_letters WHERE ${where} ORDER BY id`,
      values,
    );
    return rows.length > 0 ? rows : undefined;
  }, 'the dead letter recorded');
}

async function heartbeatOf(workerId: string) {
  const { rows } = await world.pool.query<{
    version: string;
    in_flight: number;
    breaker_state: string;
    queues: { name: string; messages: number; consumers: number }[];
  }>('SELECT version, in_flight, breaker_state, queues FROM worker_heartbeats WHERE worker_id = $1', [workerId]);
  return rows[0];
}
