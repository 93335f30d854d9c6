// Goal: nothing stays unfinished because a webhook or a message was lost. A processing transaction whose
// webhook never came is settled from the bank's order status; a pending one whose message was lost is
// enqueued again; one the bank never heard of is failed once old enough. Method: a worker with a 100 ms
// reconcile interval and 600 ms thresholds; the bank drops its webhooks; lost messages are made by
// marking the outbox row published in the transaction that creates it.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import {
  eventsOf,
  givenTransaction,
  givenTransactionWithLostMessage,
  givenUserWithWallet,
  transactionOf,
  waitForStatus,
  walletOf,
} from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld('reconcile', {
    BANK_TIMEOUT_MS: '500',
    RETRY_HORIZON_MS: '1000',
    BREAKER_COOLDOWN_MS: '50',
    RECONCILE_INTERVAL_MS: '100',
    RECONCILE_PROCESSING_AFTER_MS: '600',
    RECONCILE_PENDING_AFTER_MS: '600',
    RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS: '2000',
  });
});

afterAll(async () => {
  await world.stop();
});

beforeEach(async () => {
  await world.bank.control({ reset: true });
});

async function bankReferenceOf(id: number): Promise<string> {
  return waitFor(
    async () => (await transactionOf(world.pool, id)).bankReference ?? undefined,
    `a bank reference on ${id}`,
  );
}

describe('reconciler', () => {
  test('when the bank settles but drops its webhooks, then the reconciler settles from the order status', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 10_000n);
    await world.bank.control({ drop_webhooks: true });
    const deposit = await givenTransaction(world.pool, userId, 'deposit', 1_500n);
    const depositReference = await bankReferenceOf(deposit);
    await world.bank.control({ mode: 'always_fail' });
    const withdrawal = await givenTransaction(world.pool, userId, 'withdrawal', 2_000n);
    await bankReferenceOf(withdrawal);

    const [settledDeposit, failedWithdrawal] = await Promise.all([
      waitForStatus(world.pool, deposit, ['success', 'failed']),
      waitForStatus(world.pool, withdrawal, ['success', 'failed']),
    ]);

    expect(settledDeposit).toMatchObject({ status: 'success', bankReference: depositReference });
    expect(failedWithdrawal).toMatchObject({
      status: 'failed',
      errorCode: 'bank_declined',
      errorMessage: 'The bank declined the payment.',
    });
    expect((await eventsOf(world.pool, deposit)).at(-1)).toMatchObject({
      to_status: 'success',
      cause: 'worker.reconcile',
    });
    expect(world.receiver.deliveries).toHaveLength(0);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 11_500n, heldMinor: 0n });
    expect(await world.metric('paygate_worker_reconciled_total', { result: 'settled_success' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(await world.metric('paygate_worker_reconciled_total', { result: 'settled_failed' })).toBeGreaterThanOrEqual(
      1,
    );
  });

  test('when a pending transaction lost its message, then it is enqueued again and processed', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const id = await givenTransactionWithLostMessage(world.pool, userId, 'deposit', 900n);

    const settled = await waitForStatus(world.pool, id, ['success', 'failed']);

    expect(settled.status).toBe('success');
    const { rows } = await world.pool.query<{ published: boolean }>(
      'SELECT published_at IS NOT NULL AS published FROM outbox WHERE transaction_id = $1 ORDER BY id',
      [id],
    );
    expect(rows).toEqual([{ published: true }, { published: true }]);
    expect(world.probe.tappedFor(id)).toHaveLength(1);
    expect(await world.postsFor(id)).toHaveLength(1);
    expect(await world.metric('paygate_worker_reconciled_total', { result: 'requeued' })).toBeGreaterThanOrEqual(1);
  });

  test('when the bank never heard of a processing transaction, then it is looked at again and failed once old enough', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 5_000n);
    const id = await givenTransactionWithLostMessage(world.pool, userId, 'withdrawal', 5_000n, { isProcessing: true });
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 5_000n, heldMinor: 5_000n });

    await waitFor(
      async () =>
        ((await world.metric('paygate_worker_reconciled_total', { result: 'unknown_order' })) ?? 0) >= 1 || undefined,
      'an unknown_order pass',
    );
    expect((await transactionOf(world.pool, id)).status).toBe('processing');
    const failed = await waitForStatus(world.pool, id, ['failed', 'success']);

    expect(failed).toMatchObject({ status: 'failed', errorCode: 'bank_unknown_order' });
    expect(failed.errorMessage).toBe(
      'The bank never received this withdrawal, so it was cancelled. No money moved, and the held amount is available again.',
    );
    expect(Date.now() - failed.createdAt.getTime()).toBeGreaterThanOrEqual(2_000);
    expect(await walletOf(world.pool, userId)).toEqual({ balanceMinor: 5_000n, heldMinor: 0n });
    expect(await world.postsFor(id)).toHaveLength(0);
  });
});
