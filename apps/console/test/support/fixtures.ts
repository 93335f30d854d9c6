import type {
  AdminPaymentWire,
  AdminUserDetailWire,
  AuditEntryWire,
  DeadLetterWire,
  LedgerCheckWire,
  OperatorWire,
  OverviewWire,
  PaymentStoryWire,
  RepairResultWire,
  StoryEntryWire,
  ThroughputMinuteWire,
} from '@paygate/contracts';

/**
 * Answers of the operator API as the contract describes them, typed by the contract so drift fails
 * typecheck; the console decodes each with the contract's schema too, so a fixture that the schema refuses
 * fails the test that serves it.
 */

export const OPERATOR: OperatorWire = {
  id: 1,
  email: 'ops@example.com',
  role: 'operator',
  created_at: '2026-11-30T08:00:00.000Z',
};
export const VIEWER: OperatorWire = { ...OPERATOR, id: 2, email: 'viewer@example.com', role: 'viewer' };

export const NOW = '2026-12-01T10:00:00.000Z';

export function payment(overrides: Partial<AdminPaymentWire> = {}): AdminPaymentWire {
  return {
    id: 4182,
    user_id: 7,
    type: 'withdrawal',
    status: 'processing',
    amount: '1250.50',
    currency: 'USD',
    bank_reference: 'BNK-7Q2M9X',
    error_code: null,
    error_message: null,
    idempotency_key: 'idem-4182',
    created_at: '2026-12-01T09:00:00.000Z',
    updated_at: '2026-12-01T09:00:02.000Z',
    completed_at: null,
    user_email: 'alice@example.com',
    request_id: 'req-create-4182',
    bank_order_key: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b',
    submitted_at: '2026-12-01T09:00:01.000Z',
    ...overrides,
  };
}

function entry(
  at: string,
  kind: StoryEntryWire['kind'],
  title: string,
  data: Record<string, unknown> = {},
): StoryEntryWire {
  return { at, kind, title, detail: null, data };
}

/** A withdrawal that failed after a 503 and a decline; its entries arrive out of order on purpose. */
export function failedStory(overrides: Partial<PaymentStoryWire> = {}): PaymentStoryWire {
  const failed = payment({
    status: 'failed',
    error_code: 'bank_declined',
    error_message: 'The bank declined the payment.',
    completed_at: '2026-12-01T09:00:09.000Z',
  });
  return {
    payment: failed,
    user: { id: 7, email: 'alice@example.com' },
    failure: {
      code: 'bank_declined',
      user_message: 'The bank declined the payment.',
      operator_detail: 'Bank answered 422 insufficient_funds on attempt 2 (order 6f1c2b9e).',
    },
    bank_attempt_count: 2,
    available_repairs: [],
    story: [
      entry('2026-12-01T09:00:05.000Z', 'bank_attempt', 'Bank answered 422 insufficient_funds after 0.3 s', {
        attempt: 2,
        status: 422,
      }),
      entry('2026-12-01T09:00:00.000Z', 'request', 'POST /api/v1/withdrawals from 203.0.113.9', {
        request_id: 'req-create-4182',
      }),
      entry('2026-12-01T09:00:01.000Z', 'bank_attempt', 'Bank answered 503 after 1.2 s; retry in 4 s', {
        attempt: 1,
        status: 503,
        latency_ms: 1200,
      }),
      entry('2026-12-01T09:00:00.500Z', 'outbox_published', 'Published to transactions.process'),
      { ...entry('2026-12-01T09:00:09.000Z', 'transition', 'processing → failed'), detail: 'bank_declined' },
    ],
    ...overrides,
  };
}

/** A processing payment that an operator may reconcile, retry or fail. */
export function stuckStory(overrides: Partial<PaymentStoryWire> = {}): PaymentStoryWire {
  return {
    payment: payment(),
    user: { id: 7, email: 'alice@example.com' },
    failure: null,
    bank_attempt_count: 1,
    available_repairs: ['reconcile', 'retry', 'fail'],
    story: [
      entry('2026-12-01T09:00:00.000Z', 'request', 'POST /api/v1/withdrawals'),
      entry('2026-12-01T09:00:01.000Z', 'bank_attempt', 'Bank accepted the order after 0.2 s', { status: 202 }),
    ],
    ...overrides,
  };
}

export function repairResult(overrides: Partial<RepairResultWire> = {}): RepairResultWire {
  return {
    action: 'reconcile',
    outcome: 'settled_success',
    message: 'The bank says the payment succeeded; it is now settled.',
    payment: payment({ status: 'success', completed_at: NOW }),
    audit_id: 31,
    ...overrides,
  };
}

function minutes(): ThroughputMinuteWire[] {
  const start = Date.parse('2026-12-01T09:00:00.000Z');
  return Array.from({ length: 60 }, (_unused, index) => ({
    minute: new Date(start + index * 60_000).toISOString(),
    pending: index === 59 ? 2 : 0,
    processing: index >= 57 ? 1 : 0,
    success: 3 + (index % 5),
    failed: index % 10 === 0 ? 1 : 0,
  }));
}

export function overview(overrides: Partial<OverviewWire> = {}): OverviewWire {
  return {
    generated_at: NOW,
    throughput: minutes(),
    success_rate: 0.973,
    settle_latency_ms: { p50: 2350, p99: 9800 },
    queues: [
      { name: 'transactions.process', messages: 4, consumers: 2 },
      { name: 'transactions.dlq', messages: 3, consumers: 0 },
    ],
    dead_letters: { recorded: 5, waiting_replay: 3 },
    outbox: { unpublished: 0, oldest_age_s: null },
    workers: [
      {
        worker_id: 'worker-1f3a',
        version: '0.1.0',
        hostname: 'worker-a',
        started_at: '2026-12-01T08:00:00.000Z',
        last_seen_at: '2026-12-01T09:59:58.000Z',
        in_flight: 3,
        breaker_state: 'closed',
        is_alive: true,
      },
      {
        worker_id: 'worker-9b2c',
        version: '0.1.0',
        hostname: 'worker-b',
        started_at: '2026-12-01T08:00:00.000Z',
        last_seen_at: '2026-12-01T09:40:00.000Z',
        in_flight: 0,
        breaker_state: 'open',
        is_alive: false,
      },
    ],
    stuck: { count: 4, pending: 1, processing: 3, threshold_s: 300 },
    webhooks_rejected_last_hour: 0,
    ledger_ok: true,
    ledger_checked_at: NOW,
    ...overrides,
  };
}

export function deadLetter(overrides: Partial<DeadLetterWire> = {}): DeadLetterWire {
  return {
    id: 12,
    transaction_id: 4182,
    reason: 'bank answered 422 invalid_request: amount exceeds the order limit',
    payload: { transaction_id: 4182, type: 'withdrawal' },
    headers: { 'x-request-id': 'req-create-4182', 'x-death-count': 1 },
    dead_lettered_at: '2026-12-01T09:00:09.000Z',
    replayed_at: null,
    replay_outcome: null,
    payment_status: 'failed',
    ...overrides,
  };
}

export function userDetail(overrides: Partial<AdminUserDetailWire> = {}): AdminUserDetailWire {
  return {
    id: 7,
    email: 'alice@example.com',
    currency: 'USD',
    balance: '1000.00',
    available_balance: '750.00',
    held: '250.00',
    created_at: '2026-11-01T08:00:00.000Z',
    active_key_count: 1,
    keys: [
      { prefix: 'pgk_a1b2', created_at: '2026-11-01T08:00:00.000Z', revoked_at: null },
      { prefix: 'pgk_old9', created_at: '2026-10-01T08:00:00.000Z', revoked_at: '2026-11-01T08:00:00.000Z' },
    ],
    open_withdrawals: 1,
    recent_payments: [payment()],
    ...overrides,
  };
}

export function ledger(overrides: Partial<LedgerCheckWire> = {}): LedgerCheckWire {
  return {
    checked_at: NOW,
    is_balanced: true,
    sum_minor_by_currency: { USD: '0' },
    account_count: 4,
    balance_drift: [],
    hold_drift: [],
    negative_available: [],
    ...overrides,
  };
}

export function auditEntry(overrides: Partial<AuditEntryWire> = {}): AuditEntryWire {
  return {
    id: 31,
    at: NOW,
    operator_email: OPERATOR.email,
    action: 'reconcile',
    payment_id: 4182,
    user_id: null,
    dead_letter_id: null,
    reason: 'Customer called; bank confirmed',
    outcome: 'settled_success',
    request_id: 'req-repair-1',
    ...overrides,
  };
}

export function page<T>(items: T[], overrides: { has_more?: boolean; next_cursor?: string | null } = {}) {
  return { items, limit: 25, has_more: false, next_cursor: null, ...overrides };
}

export function errorBody(error: string, message: string) {
  return { error, message, request_id: 'req-err-1' };
}
