import { AMQP_HEADERS, TransactionMessage } from '@paygate/contracts';
import { REQUEST_ID_LENGTH_MAX } from '@paygate/domain/limits';

import type { Logger } from '../../infra/logger';
import type { WorkerMetrics } from '../../infra/metrics';
import type { ProcessCommand, ProcessOutcome, TransactionProcessor } from '../../services/process-transaction';
import type { RetryPolicy } from '../../services/retry-policy';
import type { HandlerResult, IncomingMessage } from './consumers';
import { RETRY_HEADERS } from './consumers';

/**
 * transactions.process: decode the message (a message that does not decode is poison), run the service,
 * and say what to do with the delivery. It never touches the channel; consumers.ts does.
 */
/**
 * Our own trouble (the database down, most likely) is retried with backoff this many times before the
 * message is dead-lettered; the reconciler still owns the transaction, so nothing is lost.
 */
export const INTERNAL_ERROR_RETRY_COUNT_MAX = 20;

export function createProcessTransactionHandler(deps: {
  processor: TransactionProcessor;
  retryPolicy: RetryPolicy;
  metrics: WorkerMetrics;
  logger: Logger;
}): (message: IncomingMessage) => Promise<HandlerResult> {
  return async (message) => {
    const decoded = decodeMessage(message);
    if (!decoded.ok) {
      deps.metrics.processed.inc({ outcome: 'poison' });
      deps.logger.warn(
        { reason: decoded.reason, messageId: message.messageId },
        'poison message: dead-lettered, never requeued',
      );
      return { kind: 'poison', reason: decoded.reason };
    }
    const command = decoded.command;
    const logger = deps.logger.child({
      request_id: command.requestId,
      transactionId: command.transactionId,
      attemptIndex: command.attemptIndex,
    });
    let outcome: ProcessOutcome;
    try {
      outcome = await deps.processor.process(command);
    } catch (error) {
      // Not the bank's answer but our own trouble (the database, most likely). It counts as an attempt, so
      // a message that always fails ends in the dead-letter queue; the reconciler still owns the transaction.
      logger.error({ err: error }, 'processing failed unexpectedly');
      deps.metrics.processed.inc({ outcome: 'error' });
      return onUnexpectedError(deps.retryPolicy, message, command, deps.metrics);
    }
    deps.metrics.processed.inc({ outcome: outcomeLabel(outcome) });
    return toHandlerResult(outcome, command, deps.metrics, logger);
  };
}

function toHandlerResult(
  outcome: ProcessOutcome,
  command: ProcessCommand,
  metrics: WorkerMetrics,
  logger: Logger,
): HandlerResult {
  switch (outcome.kind) {
    case 'unknown_transaction':
      logger.warn('message names no transaction: dead-lettered');
      return { kind: 'poison', reason: 'unknown_transaction' };
    case 'already_final':
    case 'already_submitted':
      logger.debug({ outcome: outcome.kind }, 'nothing to do');
      return 'ack';
    case 'submitted':
    case 'settled':
      logger.info({ outcome: outcome.kind, bankReference: outcome.bankReference }, 'order accepted by the bank');
      return 'ack';
    case 'left_for_reconciler':
      logger.warn({ reason: outcome.reason }, 'left for the webhook or the reconciler');
      return 'ack';
    case 'wait_for_breaker':
      metrics.breakerWaits.inc();
      logger.debug({ delayMs: outcome.delayMs }, 'circuit breaker open: the bank was not called; waiting');
      // Not an attempt: the attempt count and the last failure travel on unchanged.
      return {
        kind: 'retry',
        delayMs: outcome.delayMs,
        reason: command.lastFailure ?? 'waiting for the circuit breaker',
        headers: {
          [AMQP_HEADERS.attempt]: command.attemptIndex,
          [RETRY_HEADERS.ambiguousAttemptCount]: command.ambiguousAttemptCount,
        },
      };
    case 'retry':
      metrics.retries.inc({ kind: outcome.failureKind });
      logger.info({ reason: outcome.reason, delayMs: outcome.delayMs }, 'transient bank failure: retrying later');
      return {
        kind: 'retry',
        delayMs: outcome.delayMs,
        reason: outcome.reason,
        headers: {
          [AMQP_HEADERS.attempt]: command.attemptIndex + 1,
          [RETRY_HEADERS.ambiguousAttemptCount]: outcome.ambiguousAttemptCount,
        },
      };
    case 'failed':
      logger.warn({ errorCode: outcome.errorCode }, 'transaction failed: dead-lettered');
      return { kind: 'dead_letter', reason: outcome.reason };
  }
}

function onUnexpectedError(
  retryPolicy: RetryPolicy,
  message: IncomingMessage,
  command: ProcessCommand,
  metrics: WorkerMetrics,
): HandlerResult {
  const internalErrorCount = (countHeader(message.headers[RETRY_HEADERS.internalErrorCount]) ?? 0) + 1;
  if (internalErrorCount > INTERNAL_ERROR_RETRY_COUNT_MAX)
    return { kind: 'dead_letter', reason: 'internal_error: processing kept failing' };
  metrics.retries.inc({ kind: 'internal_error' });
  return {
    kind: 'retry',
    delayMs: retryPolicy.delayMs(internalErrorCount - 1),
    reason: command.lastFailure ?? 'internal_error',
    headers: {
      [AMQP_HEADERS.attempt]: command.attemptIndex,
      [RETRY_HEADERS.ambiguousAttemptCount]: command.ambiguousAttemptCount,
      [RETRY_HEADERS.internalErrorCount]: internalErrorCount,
    },
  };
}

function outcomeLabel(outcome: ProcessOutcome): string {
  return outcome.kind === 'settled' ? `settled_${outcome.status}` : outcome.kind;
}

type Decoded = { ok: true; command: ProcessCommand } | { ok: false; reason: string };

function decodeMessage(message: IncomingMessage): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(message.content.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  const parsed = TransactionMessage.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'invalid_message' };
  const attemptIndex = countHeader(message.headers[AMQP_HEADERS.attempt]);
  const ambiguousAttemptCount = countHeader(message.headers[RETRY_HEADERS.ambiguousAttemptCount]);
  if (attemptIndex === undefined || ambiguousAttemptCount === undefined)
    return { ok: false, reason: 'invalid_headers' };
  const requestId = requestIdOf(message.headers[AMQP_HEADERS.requestId]) ?? requestIdOf(parsed.data.request_id);
  const lastFailure = message.headers[RETRY_HEADERS.retryReason];
  return {
    ok: true,
    command: {
      transactionId: parsed.data.transaction_id,
      attemptIndex,
      ambiguousAttemptCount,
      lastFailure: typeof lastFailure === 'string' && lastFailure.length > 0 ? lastFailure : null,
      requestId,
    },
  };
}

/** Absent is 0; a header table may carry numbers or numeric strings; anything else is unreadable. */
function countHeader(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  const count = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

function requestIdOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return value.length > 0 && value.length <= REQUEST_ID_LENGTH_MAX && /^[\x21-\x7e]+$/.test(value) ? value : null;
}
