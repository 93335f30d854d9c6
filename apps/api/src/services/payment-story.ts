import type { PaymentStoryWire, RepairAction, StoryEntryWire } from '@paygate/contracts';
import { encodeAdminPayment } from '@paygate/contracts';
import type { StoryRecords } from '@paygate/db';
import { formatAmount, isTerminal } from '@paygate/domain';

/**
 * One payment's whole story, in time order, from what each part of the system recorded: the request, each
 * status change, the outbox publish, each bank attempt with its answer and the delay chosen, every bank
 * callback (applied, duplicate or refused), the ledger postings, dead letters, operators' actions and each
 * outgoing webhook attempt.
 * Pure: the records in, the page's answer out.
 */
export function buildPaymentStory(records: StoryRecords): PaymentStoryWire {
  const { payment } = records;
  const transaction = payment.transaction;
  const entries: { at: Date; order: number; entry: Omit<StoryEntryWire, 'at'> }[] = [];
  const add = (at: Date, entry: Omit<StoryEntryWire, 'at'>) => entries.push({ at, order: entries.length, entry });

  add(transaction.createdAt, {
    kind: 'request',
    title: `${transaction.type === 'deposit' ? 'Deposit' : 'Withdrawal'} of ${formatAmount(transaction.amountMinor)} ${transaction.currency} requested by ${payment.userEmail}`,
    detail: null,
    data: {
      request_id: payment.requestId,
      idempotency_key: transaction.idempotencyKey,
      user_id: transaction.userId,
      user_email: payment.userEmail,
    },
  });

  for (const event of records.events) {
    add(event.at, {
      kind: 'transition',
      title: `${event.fromStatus ?? 'new'} → ${event.toStatus} (${event.cause})`,
      detail:
        event.detail ?? (event.errorMessage === null ? null : `${event.errorCode ?? 'error'}: ${event.errorMessage}`),
      data: {
        from_status: event.fromStatus,
        to_status: event.toStatus,
        cause: event.cause,
        bank_reference: event.bankReference,
        error_code: event.errorCode,
        error_message: event.errorMessage,
        request_id: event.requestId,
      },
    });
  }

  for (const row of records.outbox) {
    add(row.publishedAt ?? row.createdAt, {
      kind: 'outbox_published',
      title:
        row.publishedAt === null
          ? `Queued for the worker, not published yet (${row.publishAttemptCount} attempts so far)`
          : `Published to the worker after ${durationText(row.publishedAt.getTime() - row.createdAt.getTime())}`,
      detail: null,
      data: {
        outbox_id: row.id,
        queued_at: row.createdAt.toISOString(),
        published_at: row.publishedAt?.toISOString() ?? null,
        publish_attempt_count: row.publishAttemptCount,
      },
    });
  }

  for (const attempt of records.bankAttempts) {
    add(attempt.startedAt, {
      kind: 'bank_attempt',
      title: bankAttemptTitle(attempt),
      detail: attempt.error,
      data: {
        operation: attempt.operation,
        attempt_index: attempt.attemptIndex,
        outcome: attempt.outcome,
        http_status: attempt.httpStatus,
        latency_ms: attempt.latencyMs,
        bank_reference: attempt.bankReference,
        retry_delay_ms: attempt.retryDelayMs,
        request_id: attempt.requestId,
        worker_id: attempt.workerId,
      },
    });
  }

  for (const webhook of records.webhooks) {
    add(webhook.receivedAt, {
      kind: 'webhook',
      title: `Bank callback "${webhook.status}" received: ${webhookOutcomeText(webhook.outcome)}`,
      detail: webhook.errorMessage,
      data: {
        status: webhook.status,
        outcome: webhook.outcome,
        bank_reference: webhook.bankReference,
        request_id: webhook.requestId,
      },
    });
  }

  for (const rejected of records.rejectedWebhooks) {
    add(rejected.firstReceivedAt, {
      kind: 'webhook_rejected',
      title: `Signed bank callback refused: ${rejected.reason.replaceAll('_', ' ')}${rejected.receivedCount > 1 ? ` (received ${rejected.receivedCount} times)` : ''}`,
      detail: `It does not match the order the gateway placed for this payment (${rejected.reason}).`,
      data: {
        reason: rejected.reason,
        received_count: rejected.receivedCount,
        last_received_at: rejected.lastReceivedAt.toISOString(),
        source_address: rejected.sourceAddress,
        request_id: rejected.requestId,
        payload: rejected.payload,
      },
    });
  }

  for (const posting of records.postings) {
    add(posting.at, {
      kind: 'posting',
      title: `Ledger: ${formatAmount(posting.amountMinor)} ${posting.currency} from ${posting.debitKind} #${posting.debitAccountId} to ${posting.creditKind} #${posting.creditAccountId}`,
      detail: null,
      data: {
        posting_id: posting.id,
        kind: posting.kind,
        amount: formatAmount(posting.amountMinor),
        currency: posting.currency,
        debit_account_id: posting.debitAccountId,
        credit_account_id: posting.creditAccountId,
      },
    });
  }

  for (const letter of records.deadLetters) {
    add(letter.at, {
      kind: 'dead_letter',
      title:
        letter.replayedAt === null
          ? 'Message dead-lettered, waiting for an operator'
          : `Message dead-lettered; replayed (${letter.replayOutcome ?? 'done'})`,
      detail: letter.reason,
      data: {
        dead_letter_id: letter.id,
        replayed_at: letter.replayedAt?.toISOString() ?? null,
        replay_outcome: letter.replayOutcome,
      },
    });
  }

  for (const row of records.deliveries) {
    const target = `endpoint #${row.endpointId} (${row.url})`;
    const attempt = row.attempt;
    add(attempt?.startedAt ?? row.createdAt, {
      kind: 'delivery',
      title:
        attempt === null
          ? `Webhook to ${target} queued, ${row.status === 'pending' ? `first attempt due ${row.nextAttemptAt.toISOString()}` : row.status}`
          : `Webhook to ${target} (attempt ${attempt.count}): ${attempt.outcome}${attempt.statusCode === null ? '' : ` ${attempt.statusCode}`} after ${durationText(attempt.durationMs)}`,
      detail: attempt?.error ?? null,
      data: {
        delivery_id: row.deliveryId,
        endpoint_id: row.endpointId,
        url: row.url,
        event_id: row.eventId,
        delivery_status: row.status,
        attempt: attempt?.count ?? null,
        status_code: attempt?.statusCode ?? null,
        duration_ms: attempt?.durationMs ?? null,
      },
    });
  }

  for (const action of records.audit) {
    add(action.at, {
      kind: 'operator_action',
      title: `${action.operatorEmail}: ${action.action.replaceAll('_', ' ')} → ${action.outcome}`,
      detail: action.reason,
      data: { audit_id: action.id, action: action.action, outcome: action.outcome, request_id: action.requestId },
    });
  }

  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  const failing = transaction.status === 'failed' ? records.events.findLast((e) => e.toStatus === 'failed') : undefined;
  return {
    payment: encodeAdminPayment(payment),
    user: { id: transaction.userId, email: payment.userEmail },
    failure:
      transaction.status === 'failed'
        ? {
            code: transaction.errorCode ?? 'unknown',
            user_message: transaction.errorMessage,
            operator_detail: failing?.detail ?? null,
          }
        : null,
    bank_attempt_count: records.bankAttempts.length,
    available_repairs: availableRepairs(transaction.status),
    story: entries.map(({ at, entry }) => ({ at: at.toISOString(), ...entry })),
  };
}

/** A terminal payment admits no repair; every other may be reconciled, re-sent or failed. */
export function availableRepairs(status: Parameters<typeof isTerminal>[0]): RepairAction[] {
  return isTerminal(status) ? [] : ['reconcile', 'retry', 'fail'];
}

function bankAttemptTitle(attempt: StoryRecords['bankAttempts'][number]): string {
  const retry = attempt.retryDelayMs === null ? '' : `; retry in ${durationText(attempt.retryDelayMs)}`;
  if (attempt.operation === 'breaker_wait') {
    return `Bank not called: circuit breaker open${retry}`;
  }
  const what = attempt.operation === 'submit' ? 'Order sent to the bank' : 'Order status asked of the bank';
  const answer = attempt.httpStatus === null ? attempt.outcome : `${attempt.httpStatus} (${attempt.outcome})`;
  const took = attempt.latencyMs === null ? '' : ` after ${durationText(attempt.latencyMs)}`;
  return `${what} (attempt ${attempt.attemptIndex + 1}): answered ${answer}${took}${retry}`;
}

function webhookOutcomeText(outcome: string): string {
  switch (outcome) {
    case 'applied':
      return 'applied';
    case 'ignored':
      return 'already settled, changed nothing';
    case 'conflict':
      return 'contradicts the settled outcome, changed nothing';
    default:
      return outcome;
  }
}

function durationText(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
