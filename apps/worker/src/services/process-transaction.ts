import type { BankOrder } from '@paygate/contracts';
import type { SettlementRepository, TransactionsRepository } from '@paygate/db';
import type { CircuitBreaker, Transaction, TransactionStatus } from '@paygate/domain';
import { formatAmount, isTerminal } from '@paygate/domain';

import type { Logger } from '../infra/logger';
import type { BankClient, BankFailure, BankResult } from './bank-client';
import { describeBankFailure, isAmbiguousFailure, isTransientFailure } from './bank-client';
import { isFinalOrder, orderMatches, settlementFromOrder } from './bank-settlement';
import type { RetryPolicy } from './retry-policy';

/**
 * Submitting one transaction to the bank: the story behind a message on the process queue. It reads the
 * transaction from the database (the message only names it), moves it pending -> processing, and submits
 * it with the transaction id as the bank's idempotency key. Every step is safe to repeat, so a redelivered
 * message, a second worker or a crash between any two steps cannot move money twice: the transitions are
 * conditional and the bank folds repeated submissions into one order.
 *
 * It returns what happened; the caller (the message handler) turns that into ack, retry or dead-letter.
 * Nothing returned asks for an ack before the database work for that outcome is committed.
 */

export interface ProcessCommand {
  transactionId: number;
  /** 0 for the outbox's message, then one more per retry (the x-attempt header). */
  attemptIndex: number;
  /** Earlier attempts whose answer we never saw (timeouts, resets): the bank may hold the order. */
  ambiguousAttemptCount: number;
  requestId: string | null;
}

export type ProcessOutcome =
  | { kind: 'unknown_transaction' }
  | { kind: 'already_final'; status: TransactionStatus }
  | { kind: 'already_submitted'; bankReference: string }
  | { kind: 'submitted'; bankReference: string }
  | { kind: 'settled'; status: 'success' | 'failed'; bankReference: string }
  | {
      kind: 'retry';
      delayMs: number;
      failureKind: SubmitFailure['kind'];
      reason: string;
      ambiguousAttemptCount: number;
    }
  /** Retries are used up but the bank may hold the order (or holds it, still pending): webhook or reconciler finish it. */
  | { kind: 'left_for_reconciler'; reason: string }
  /** We failed the transaction (committed); the message belongs in the dead-letter queue. */
  | { kind: 'failed'; errorCode: string; reason: string };

export type SubmitFailure = BankFailure | { kind: 'breaker_open'; retryInMs: number };

export interface ProcessTransactionDeps {
  transactions: TransactionsRepository;
  settlement: SettlementRepository;
  bank: BankClient;
  breaker: CircuitBreaker;
  retryPolicy: RetryPolicy;
  callbackUrl: string;
  logger: Logger;
}

export class TransactionProcessor {
  constructor(private readonly deps: ProcessTransactionDeps) {}

  async process(command: ProcessCommand): Promise<ProcessOutcome> {
    const { settlement, transactions } = this.deps;
    const started = await settlement.startProcessing(command.transactionId, 'worker.submit', command.requestId);
    if (started === undefined) return { kind: 'unknown_transaction' };
    if (isTerminal(started.status)) return { kind: 'already_final', status: started.status };
    const transaction = await transactions.findById(command.transactionId);
    if (transaction === undefined) return { kind: 'unknown_transaction' };

    if (!started.moved) {
      // A redelivery or a retry. Once the bank has accepted the order, its webhook (or the reconciler)
      // finishes the job; another submission would only be folded into the same order.
      if (transaction.bankReference !== null)
        return { kind: 'already_submitted', bankReference: transaction.bankReference };
      // Freshen updated_at: the reconciler leaves alone what a worker is visibly still working on.
      await settlement.touch(transaction.id);
    }

    const submitted = await this.#submit(transaction, command.requestId);
    if (submitted.ok) return this.#accepted(transaction, submitted.value, 'worker.bank_order', command.requestId);
    const { failure } = submitted;
    if (failure.kind !== 'breaker_open' && !isTransientFailure(failure))
      return this.#rejected(transaction, failure, command.requestId);
    return this.#transientFailure(transaction, command, failure);
  }

  /**
   * A 4xx fails the transaction at once, unless the bank already holds an order under our key: a refusal
   * of a repeat (an idempotency conflict after our callback URL changed, say) must not void money the bank
   * is moving. One status query settles it.
   */
  async #rejected(transaction: Transaction, failure: BankFailure, requestId: string | null): Promise<ProcessOutcome> {
    const existing = await this.deps.bank.findOrder(String(transaction.id), requestId);
    if (existing.ok && existing.value !== null)
      return this.#accepted(transaction, existing.value, 'worker.bank_order', requestId);
    const message = `The bank rejected the order (${describeBankFailure(failure)}).`;
    return this.#fail(transaction, 'bank_rejected', message, 'worker.bank_rejected', requestId);
  }

  /** The breaker decides whether the bank is called at all, and hears how the call went. */
  async #submit(
    transaction: Transaction,
    requestId: string | null,
  ): Promise<BankResult<BankOrder> | { ok: false; failure: SubmitFailure }> {
    const { bank, breaker, callbackUrl } = this.deps;
    if (!breaker.tryAcquire()) return { ok: false, failure: { kind: 'breaker_open', retryInMs: breaker.retryInMs } };
    const result = await bank.submitOrder(
      {
        reference: String(transaction.id),
        type: transaction.type,
        amount: formatAmount(transaction.amountMinor),
        currency: transaction.currency,
        callback_url: callbackUrl,
      },
      String(transaction.id),
      requestId,
    );
    // A refusal (4xx) is an answer: the bank is up, whatever it thought of this order.
    if (result.ok || !isTransientFailure(result.failure)) breaker.onSuccess();
    else breaker.onFailure();
    return result;
  }

  async #transientFailure(
    transaction: Transaction,
    command: ProcessCommand,
    failure: SubmitFailure,
  ): Promise<ProcessOutcome> {
    const { retryPolicy } = this.deps;
    const isAmbiguous = failure.kind !== 'breaker_open' && isAmbiguousFailure(failure);
    const ambiguousAttemptCount = command.ambiguousAttemptCount + (isAmbiguous ? 1 : 0);
    const reason = describeSubmitFailure(failure);
    if (retryPolicy.canRetryAfter(command.attemptIndex)) {
      const delayMsMin = failure.kind === 'breaker_open' ? failure.retryInMs : 0;
      return {
        kind: 'retry',
        delayMs: retryPolicy.delayMs(command.attemptIndex, delayMsMin),
        failureKind: failure.kind,
        reason,
        ambiguousAttemptCount,
      };
    }
    return this.#retriesExhausted(transaction, { ...command, ambiguousAttemptCount }, reason);
  }

  /**
   * The last attempt failed too. Before failing the transaction, ask the bank whether it has the order
   * after all (an earlier attempt may have reached it). The status query goes around the breaker: it is
   * one read per exhausted message, and failing money on a guess is worse than one more call.
   */
  async #retriesExhausted(
    transaction: Transaction,
    command: ProcessCommand,
    lastError: string,
  ): Promise<ProcessOutcome> {
    const attemptCount = command.attemptIndex + 1;
    const found = await this.deps.bank.findOrder(String(transaction.id), command.requestId);
    if (found.ok && found.value !== null)
      return this.#accepted(transaction, found.value, 'worker.bank_order', command.requestId);
    if (!found.ok && command.ambiguousAttemptCount > 0) {
      const reason = `retries exhausted after ${attemptCount} attempts (${lastError}); the bank may hold the order and its status is unknown (${describeBankFailure(found.failure)})`;
      this.deps.logger.warn(
        { transactionId: transaction.id, attemptCount },
        'retries exhausted with an ambiguous attempt: left processing for the reconciler',
      );
      return { kind: 'left_for_reconciler', reason };
    }
    const message = `The bank could not be reached after ${attemptCount} attempts; last error: ${lastError}.`;
    return this.#fail(transaction, 'bank_unavailable', message, 'worker.retries_exhausted', command.requestId);
  }

  /** The bank has the order: remember its reference, and settle at once if the bank already did. */
  async #accepted(
    transaction: Transaction,
    order: BankOrder,
    cause: string,
    requestId: string | null,
  ): Promise<ProcessOutcome> {
    const { settlement, logger } = this.deps;
    if (!orderMatches(transaction, order)) {
      logger.error(
        { transactionId: transaction.id, bankReference: order.bank_reference },
        'the bank order does not match the transaction; not settling it',
      );
      return {
        kind: 'left_for_reconciler',
        reason: `bank order ${order.bank_reference} does not match the transaction`,
      };
    }
    await settlement.recordBankReference(transaction.id, order.bank_reference);
    if (!isFinalOrder(order)) return { kind: 'submitted', bankReference: order.bank_reference };
    // An idempotent replay of an order the bank settled already: its webhook may be long gone.
    const settled = await settlement.settle(settlementFromOrder(transaction.id, order, cause, requestId));
    if (settled.outcome !== 'applied') return { kind: 'already_final', status: settled.status ?? order.status };
    return { kind: 'settled', status: order.status, bankReference: order.bank_reference };
  }

  async #fail(
    transaction: Transaction,
    errorCode: string,
    errorMessage: string,
    cause: string,
    requestId: string | null,
  ): Promise<ProcessOutcome> {
    const settled = await this.deps.settlement.settle({
      transactionId: transaction.id,
      status: 'failed',
      bankReference: null,
      errorCode,
      errorMessage,
      cause,
      requestId,
    });
    if (settled.outcome === 'not_found') return { kind: 'unknown_transaction' };
    // Someone settled it first (a webhook raced us): theirs stands, and there is nothing to dead-letter.
    if (settled.outcome !== 'applied') return { kind: 'already_final', status: settled.status ?? 'failed' };
    return { kind: 'failed', errorCode, reason: `${errorCode}: ${errorMessage}` };
  }
}

function describeSubmitFailure(failure: SubmitFailure): string {
  if (failure.kind === 'breaker_open')
    return `circuit breaker open (bank not called; retry in ${failure.retryInMs} ms)`;
  return describeBankFailure(failure);
}
