import type { OutboxRepository, SettlementRepository, TransactionSubmission, WorkerRecords } from '@paygate/db';
import type { CircuitBreaker } from '@paygate/domain';
import type { BankClient } from '@paygate/payments';
import { applyBankOrder, describeBankFailure, failTransaction } from '@paygate/payments';

import type { Logger } from '../infra/logger';
import type { WorkerMetrics } from '../infra/metrics';

/**
 * The safety net for the asynchronous half. A webhook can be lost, a message can be lost, a worker can die:
 * whatever went wrong, a transaction that has sat unfinished for too long is looked at again.
 *
 * - processing for longer than RECONCILE_PROCESSING_AFTER_MS: ask the bank for the order (by its order
 *   key, our idempotency key at the bank). Final there -> settle it here; still pending there -> look again
 *   later; the bank has never heard of it -> look again later, and fail it once it was first submitted
 *   more than RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS ago (config.ts checks that no retry of ours can still
 *   place it by then); the bank does not answer -> leave it.
 * - pending for longer than RECONCILE_PENDING_AFTER_MS although its outbox message was published: the
 *   message is lost (or dead-lettered); enqueue a new one through the outbox.
 */

export type ReconcileResult =
  | 'settled_success'
  | 'settled_failed'
  | 'already_final'
  | 'bank_pending'
  | 'unknown_order'
  | 'failed_unknown_order'
  | 'bank_error'
  | 'mismatch'
  | 'skipped_breaker_open'
  | 'requeued'
  | 'pending_touched';

export interface ReconcilerOptions {
  processingAfterMs: number;
  pendingAfterMs: number;
  unknownOrderFailAfterMs: number;
  batchSize: number;
  concurrency: number;
}

export interface ReconcilerDeps {
  settlement: SettlementRepository;
  outbox: OutboxRepository;
  bank: BankClient;
  /** Each status question is recorded for the console, like the worker's submissions. */
  records: WorkerRecords;
  workerId: string;
  breaker: CircuitBreaker;
  metrics: WorkerMetrics;
  logger: Logger;
  nowMs: () => number;
  options: ReconcilerOptions;
}

export class Reconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  /** One pass over both kinds of stuck transaction; returns how many ended how. */
  async runOnce(): Promise<Partial<Record<ReconcileResult, number>>> {
    const results = [...(await this.#reconcileProcessing()), ...(await this.#reconcilePending())];
    const summary: Partial<Record<ReconcileResult, number>> = {};
    for (const result of results) {
      summary[result] = (summary[result] ?? 0) + 1;
      this.deps.metrics.reconciled.inc({ result });
    }
    if (results.length > 0) this.deps.logger.info({ summary }, 'reconciler: pass done');
    return summary;
  }

  async #reconcileProcessing(): Promise<ReconcileResult[]> {
    const { settlement, breaker, options } = this.deps;
    const stuck = await settlement.findStuck(
      'processing',
      new Date(this.deps.nowMs() - options.processingAfterMs),
      options.batchSize,
    );
    // A bank the breaker has given up on would only time out on every question; ask again next pass.
    if (breaker.state === 'open') return stuck.map(() => 'skipped_breaker_open');
    return mapWithConcurrency(stuck, options.concurrency, (transaction) => this.#reconcileProcessingOne(transaction));
  }

  async #reconcileProcessingOne(submission: TransactionSubmission): Promise<ReconcileResult> {
    const { settlement, bank, logger } = this.deps;
    const { transaction, requestId, orderKey } = submission;
    const log = logger.child({ request_id: requestId, transactionId: transaction.id });
    // Without an order key the gateway never placed an order (a row from before order keys existed).
    if (orderKey === null) return this.#unknownOrder(submission);
    const found = await bank.findOrder(orderKey, requestId);
    await this.deps.records
      .recordBankAttempt({
        transactionId: transaction.id,
        operation: 'status',
        attemptIndex: null,
        startedAt: found.call.startedAt,
        latencyMs: found.call.latencyMs,
        outcome: found.call.outcome,
        httpStatus: found.call.httpStatus,
        bankReference: found.ok ? (found.value?.bank_reference ?? null) : null,
        error: found.ok ? null : describeBankFailure(found.failure),
        retryDelayMs: null,
        requestId,
        workerId: this.deps.workerId,
      })
      .catch((error: unknown) => log.warn({ err: error }, 'reconciler: could not record the bank question'));
    if (!found.ok) {
      log.warn(
        { error: describeBankFailure(found.failure) },
        'reconciler: the bank did not answer; trying again next pass',
      );
      return 'bank_error';
    }
    const order = found.value;
    if (order === null) return this.#unknownOrder(submission);
    const applied = await applyBankOrder(settlement, { submission, order, cause: 'worker.reconcile', requestId });
    switch (applied.kind) {
      case 'mismatch':
        log.error(
          { bankReference: order.bank_reference },
          'reconciler: the bank order does not match the transaction; not settling it',
        );
        await settlement.touch(transaction.id);
        return 'mismatch';
      case 'pending':
        await settlement.touch(transaction.id);
        return 'bank_pending';
      case 'already_final':
        return 'already_final';
      case 'settled':
        log.info(
          { status: applied.status, bankReference: applied.bankReference },
          'reconciler: settled from the bank order',
        );
        return applied.status === 'success' ? 'settled_success' : 'settled_failed';
    }
  }

  async #unknownOrder(submission: TransactionSubmission): Promise<ReconcileResult> {
    const { settlement, options } = this.deps;
    const { transaction, requestId } = submission;
    const since = submission.submittedAt ?? transaction.createdAt;
    const ageMs = this.deps.nowMs() - since.getTime();
    if (ageMs < options.unknownOrderFailAfterMs) {
      await settlement.touch(transaction.id);
      return 'unknown_order';
    }
    const failed = await failTransaction(settlement, {
      transactionId: transaction.id,
      type: transaction.type,
      code: 'bank_unknown_order',
      detail: `The bank has no order under key ${submission.orderKey ?? '(none)'} ${Math.round(ageMs / 60_000)} minute(s) after the first submission.`,
      cause: 'worker.reconcile',
      requestId,
    });
    return failed.kind === 'failed' ? 'failed_unknown_order' : 'already_final';
  }

  async #reconcilePending(): Promise<ReconcileResult[]> {
    const { settlement, outbox, options } = this.deps;
    const stuck = await settlement.findStuck(
      'pending',
      new Date(this.deps.nowMs() - options.pendingAfterMs),
      options.batchSize,
    );
    if (stuck.length === 0) return [];
    const requeued = new Set(await outbox.requeuePending(stuck.map(({ transaction }) => transaction.id)));
    return stuck.map(({ transaction }) => (requeued.has(transaction.id) ? 'requeued' : 'pending_touched'));
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time, keeping the results in order. */
async function mapWithConcurrency<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let nextIndex = 0;
  const lane = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const index = nextIndex;
      nextIndex += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
