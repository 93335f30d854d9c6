import type { BankOrder } from '@paygate/contracts';
import type { BankAttemptRecord, SettlementRepository, TransactionSubmission, WorkerRecords } from '@paygate/db';
import type { CircuitBreaker, GatewayFailureCode, TransactionStatus } from '@paygate/domain';
import { assert, formatAmount } from '@paygate/domain';
import type { BankAnswer, BankClient, BankFailure } from '@paygate/payments';
import {
  applyBankOrder,
  describeBankFailure,
  failTransaction,
  isAmbiguousFailure,
  isCredentialRefused,
  isTransientFailure,
  startProcessing,
} from '@paygate/payments';

import type { Logger } from '../infra/logger';
import type { RetryPolicy } from './retry-policy';

/**
 * Submitting one transaction to the bank: the story behind a message on the process queue. It moves the
 * transaction pending -> processing (which mints its order key, a UUID, and notes when it was first
 * submitted) and places the order at the bank under that key. Every step is safe to repeat, so a
 * redelivered message, a second worker or a crash between any two steps cannot move money twice: the
 * transitions are conditional and the bank folds repeated orders under one key into one order.
 *
 * Transient failures are retried until RETRY_HORIZON_MS after the first submission; a message that meets
 * an open breaker waits for the half-open probe and has not made an attempt. It returns what happened; the
 * caller (the message handler) turns that into ack, retry or dead-letter. Nothing returned asks for an ack
 * before the database work for that outcome is committed.
 */

export interface ProcessCommand {
  transactionId: number;
  /** Bank calls made for this transaction before this message (0 for the outbox's message). */
  attemptIndex: number;
  /** Earlier attempts whose answer we never saw (timeouts, resets): the bank may hold the order. */
  ambiguousAttemptCount: number;
  /** Why the previous attempt failed, for the operator's detail when the horizon is reached. */
  lastFailure: string | null;
  requestId: string | null;
}

export type ProcessOutcome =
  | { kind: 'unknown_transaction' }
  | { kind: 'already_final'; status: TransactionStatus }
  | { kind: 'already_submitted'; bankReference: string }
  | { kind: 'submitted'; bankReference: string }
  | { kind: 'settled'; status: 'success' | 'failed'; bankReference: string }
  /** The bank call failed and may succeed later: one more attempt after `delayMs`. */
  | { kind: 'retry'; delayMs: number; failureKind: BankFailure['kind']; reason: string; ambiguousAttemptCount: number }
  /** The breaker is open: the bank was not called; come back when its probe may go. Not an attempt. */
  | { kind: 'wait_for_breaker'; delayMs: number }
  /** Past the horizon, but the bank may hold the order (or holds it, still pending): webhook or reconciler finish it. */
  | { kind: 'left_for_reconciler'; reason: string }
  /** We failed the transaction (committed); the message belongs in the dead-letter queue. */
  | { kind: 'failed'; errorCode: GatewayFailureCode; reason: string };

export interface ProcessTransactionDeps {
  settlement: SettlementRepository;
  /** Where each bank call (and each wait for the breaker) is recorded for the operator console. */
  records: WorkerRecords;
  workerId: string;
  bank: BankClient;
  breaker: CircuitBreaker;
  retryPolicy: RetryPolicy;
  logger: Logger;
  nowMs: () => number;
}

export class TransactionProcessor {
  constructor(private readonly deps: ProcessTransactionDeps) {}

  async process(command: ProcessCommand): Promise<ProcessOutcome> {
    const { retryPolicy } = this.deps;
    const started = await startProcessing(this.deps.settlement, command);
    if (started.kind !== 'submit') return started;
    const { submission } = started;
    if (!retryPolicy.isWithinHorizon(submission.submittedAt.getTime(), this.deps.nowMs())) {
      return this.#horizonReached(submission, command, command.lastFailure ?? 'no earlier failure was recorded');
    }

    const submitted = await this.#submit(submission, command.requestId);
    if (submitted.kind === 'breaker_open') {
      const delayMs = retryPolicy.waitForBreakerMs(submitted.retryInMs);
      await this.#recordWait(submission, command, delayMs);
      return { kind: 'wait_for_breaker', delayMs };
    }
    const outcome = await this.#answered(submission, command, submitted.result);
    await this.#recordCall(submission, command, submitted.result, outcome.kind === 'retry' ? outcome.delayMs : null);
    return outcome;
  }

  async #answered(
    submission: TransactionSubmission,
    command: ProcessCommand,
    result: BankAnswer<BankOrder>,
  ): Promise<ProcessOutcome> {
    if (result.ok) return this.#accepted(submission, result.value, command.requestId);
    const { failure } = result;
    if (!isTransientFailure(failure)) return this.#rejected(submission, command, failure);
    return this.#transientFailure(command, failure);
  }

  /** The breaker decides whether the bank is called at all, and hears how the call went. */
  async #submit(
    submission: TransactionSubmission,
    requestId: string | null,
  ): Promise<{ kind: 'called'; result: BankAnswer<BankOrder> } | { kind: 'breaker_open'; retryInMs: number }> {
    const { bank, breaker } = this.deps;
    const { transaction, orderKey } = submission;
    assert(orderKey !== null, 'an order is placed under its order key');
    if (!breaker.tryAcquire()) return { kind: 'breaker_open', retryInMs: breaker.retryInMs };
    const result = await bank.submitOrder(
      {
        reference: String(transaction.id),
        type: transaction.type,
        amount: formatAmount(transaction.amountMinor),
        currency: transaction.currency,
      },
      orderKey,
      requestId,
    );
    // A refusal (4xx) is an answer: the bank is up, whatever it thought of this order.
    if (result.ok || !isTransientFailure(result.failure)) breaker.onSuccess();
    else breaker.onFailure();
    if (!result.ok && isCredentialRefused(result.failure)) {
      this.deps.logger.error(
        { transactionId: transaction.id, status: result.failure.kind === 'http' ? result.failure.status : null },
        'the bank refused our merchant credential: check BANK_API_KEY (orders are retried meanwhile)',
      );
    }
    return { kind: 'called', result };
  }

  /**
   * A 4xx fails the transaction at once, unless the bank already holds an order under our key: a refusal
   * of a repeat must not void money the bank is moving. One status query settles it.
   */
  async #rejected(
    submission: TransactionSubmission,
    command: ProcessCommand,
    failure: BankFailure,
  ): Promise<ProcessOutcome> {
    const { requestId } = command;
    const existing = await this.#findOrder(submission, command);
    if (existing.ok && existing.value !== null) return this.#accepted(submission, existing.value, requestId);
    return this.#fail(
      submission,
      'bank_rejected',
      asSentence(`The bank refused the order: ${describeBankFailure(failure)}`),
      requestId,
    );
  }

  #transientFailure(command: ProcessCommand, failure: BankFailure): ProcessOutcome {
    return {
      kind: 'retry',
      delayMs: this.deps.retryPolicy.delayMs(command.attemptIndex),
      failureKind: failure.kind,
      reason: describeBankFailure(failure),
      ambiguousAttemptCount: command.ambiguousAttemptCount + (isAmbiguousFailure(failure) ? 1 : 0),
    };
  }

  /**
   * The horizon has passed. Before failing the transaction, ask the bank whether it has the order after all
   * (an earlier attempt may have reached it). The status query goes around the breaker: it is one read per
   * message, and failing money on a guess is worse than one more call.
   */
  async #horizonReached(
    submission: TransactionSubmission,
    command: ProcessCommand,
    lastFailure: string,
  ): Promise<ProcessOutcome> {
    const { transaction } = submission;
    const found = await this.#findOrder(submission, command);
    if (found.ok && found.value !== null) return this.#accepted(submission, found.value, command.requestId);
    const horizonMinutes = Math.round(this.deps.retryPolicy.horizonMs / 60_000);
    const history = `${command.attemptIndex} attempt(s) over ${horizonMinutes} min since the first submission; last failure: ${lastFailure}`;
    if (!found.ok && command.ambiguousAttemptCount > 0) {
      this.deps.logger.warn(
        { transactionId: transaction.id, attemptCount: command.attemptIndex },
        'retry horizon reached with an ambiguous attempt: left processing for the reconciler',
      );
      return {
        kind: 'left_for_reconciler',
        reason: `${history}; the bank may hold the order and its status is unknown (${describeBankFailure(found.failure)})`,
      };
    }
    return this.#fail(submission, 'bank_unavailable', `The bank could not be reached: ${history}.`, command.requestId);
  }

  /**
   * The bank has the order: remember its reference, and settle at once if the bank already did (an
   * idempotent replay of an order the bank settled already: its webhook may be long gone).
   */
  async #accepted(
    submission: TransactionSubmission,
    order: BankOrder,
    requestId: string | null,
  ): Promise<ProcessOutcome> {
    const applied = await applyBankOrder(this.deps.settlement, {
      submission,
      order,
      cause: 'worker.bank_order',
      requestId,
    });
    switch (applied.kind) {
      case 'mismatch':
        this.deps.logger.error(
          { transactionId: submission.transaction.id, bankReference: order.bank_reference },
          'the bank order does not match the transaction; not settling it',
        );
        return {
          kind: 'left_for_reconciler',
          reason: `bank order ${order.bank_reference} does not match the transaction`,
        };
      case 'pending':
        return { kind: 'submitted', bankReference: applied.bankReference };
      case 'settled':
      case 'already_final':
        return applied;
    }
  }

  async #findOrder(submission: TransactionSubmission, command: ProcessCommand): Promise<BankAnswer<BankOrder | null>> {
    assert(submission.orderKey !== null, 'only a submitted transaction is looked up at the bank');
    const found = await this.deps.bank.findOrder(submission.orderKey, command.requestId);
    await this.#recordCall(submission, command, found, null);
    return found;
  }

  /** One bank call for the console's story of the payment, with the delay chosen after it. */
  async #recordCall(
    submission: TransactionSubmission,
    command: ProcessCommand,
    answer: BankAnswer<BankOrder | null>,
    retryDelayMs: number | null,
  ): Promise<void> {
    const { call } = answer;
    await this.#record({
      transactionId: submission.transaction.id,
      operation: call.operation,
      attemptIndex: command.attemptIndex,
      startedAt: call.startedAt,
      latencyMs: call.latencyMs,
      outcome: call.outcome,
      httpStatus: call.httpStatus,
      bankReference: answer.ok ? (answer.value?.bank_reference ?? null) : null,
      error: answer.ok ? null : describeBankFailure(answer.failure),
      retryDelayMs,
      requestId: command.requestId,
      workerId: this.deps.workerId,
    });
  }

  /** The breaker was open: no call, and the wait chosen instead. */
  async #recordWait(submission: TransactionSubmission, command: ProcessCommand, delayMs: number): Promise<void> {
    await this.#record({
      transactionId: submission.transaction.id,
      operation: 'breaker_wait',
      attemptIndex: command.attemptIndex,
      startedAt: new Date(this.deps.nowMs()),
      latencyMs: null,
      outcome: 'breaker_open',
      httpStatus: null,
      bankReference: null,
      error: command.lastFailure,
      retryDelayMs: delayMs,
      requestId: command.requestId,
      workerId: this.deps.workerId,
    });
  }

  /** The record is for people; failing to write it must not change what happens to the payment. */
  async #record(attempt: BankAttemptRecord): Promise<void> {
    try {
      await this.deps.records.recordBankAttempt(attempt);
    } catch (error) {
      this.deps.logger.warn({ err: error, transactionId: attempt.transactionId }, 'could not record a bank attempt');
    }
  }

  async #fail(
    submission: TransactionSubmission,
    errorCode: GatewayFailureCode,
    detail: string,
    requestId: string | null,
  ): Promise<ProcessOutcome> {
    const { transaction } = submission;
    const failed = await failTransaction(this.deps.settlement, {
      transactionId: transaction.id,
      type: transaction.type,
      code: errorCode,
      detail,
      cause: errorCode === 'bank_unavailable' ? 'worker.retry_horizon' : 'worker.bank_rejected',
      requestId,
    });
    switch (failed.kind) {
      case 'failed':
        return { kind: 'failed', errorCode, reason: `${errorCode}: ${detail}` };
      // Someone settled it first (a webhook raced us): theirs stands, and there is nothing to dead-letter.
      case 'already_final':
        return failed;
      case 'not_ready':
      case 'unknown_transaction':
        assert(false, `a submitted transaction cannot be ${failed.kind}`);
    }
  }
}

/** The bank's own message often ends its sentence already: the operator should not read "invalid..". */
function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
