import type { ErrorCode } from '@paygate/domain/errors';

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
  ThroughputMinuteWire,
} from './admin';
import type { ErrorExample } from './openapi-examples';
import { REQUEST_ID_SAMPLE } from './openapi-examples';

/**
 * The operator API's examples: answers as the API gives them (payment 4182, a withdrawal whose first bank
 * call met a 503), with the errors' and repairs' messages as the code words them and the story's titles
 * as payment-story.ts writes them. Typed by the contract, so a field that drifts fails typecheck; the
 * contracts test validates each against its schema.
 */

const OPERATOR_EMAIL = 'ops@example.com';
/** The operator's request id, so the audit entries and the story agree with the answers. */
const REPAIR_REQUEST_ID = '9a1e5c3d-7b2f-4c8a-9e0d-3f6b1a2c4d5e';
/** A worker's id as the worker makes it: host, pid, a random suffix. */
const WORKER_ID = 'worker-a-41-3f9c2e1d';
const BANK_503 = 'HTTP 503 bank_unavailable: The bank is temporarily unavailable.';

export const OPERATOR_SAMPLE: OperatorWire = {
  id: 1,
  email: OPERATOR_EMAIL,
  role: 'operator',
  created_at: '2026-11-30T08:00:00.000Z',
};
export const VIEWER_SAMPLE: OperatorWire = {
  id: 2,
  email: 'viewer@example.com',
  role: 'viewer',
  created_at: '2026-11-30T08:05:00.000Z',
};

/** The session cookie as login sets it (12 hours by OPERATOR_SESSION_ABSOLUTE_HOURS). */
export const SESSION_COOKIE_SAMPLE =
  'paygate_operator_session=O23eNWd9VM5RR3lH4c8m-zWvhlipuZvpnPs43D1t4pw; Path=/api/v1/admin; Expires=Mon, 30 Nov 2026 20:00:00 GMT; HttpOnly; SameSite=Strict';

const CREATED_AT = '2026-11-30T09:12:03.412Z';

export const STUCK_PAYMENT: AdminPaymentWire = {
  id: 4182,
  user_id: 7,
  type: 'withdrawal',
  status: 'processing',
  amount: '1250.50',
  currency: 'USD',
  bank_reference: null,
  error_code: null,
  error_message: null,
  idempotency_key: 'c2b1a0f9-8e7d-4c6b-9a5f-4e3d2c1b0a99',
  created_at: CREATED_AT,
  updated_at: '2026-11-30T09:12:03.448Z',
  completed_at: null,
  user_email: 'alice@example.com',
  request_id: REQUEST_ID_SAMPLE,
  bank_order_key: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b',
  submitted_at: '2026-11-30T09:12:03.448Z',
};

const SETTLED_AT = '2026-11-30T09:31:40.207Z';
export const SETTLED_PAYMENT: AdminPaymentWire = {
  ...STUCK_PAYMENT,
  status: 'success',
  bank_reference: 'BNK-7Q2M9XK4',
  updated_at: SETTLED_AT,
  completed_at: SETTLED_AT,
};

const FAILED_AT = '2026-11-30T09:31:40.207Z';
export const FAILED_PAYMENT: AdminPaymentWire = {
  ...STUCK_PAYMENT,
  status: 'failed',
  error_code: 'operator_failed',
  error_message:
    'This withdrawal was cancelled by our support team. No money moved, and the held amount is available again.',
  updated_at: FAILED_AT,
  completed_at: FAILED_AT,
};

export const DEPOSIT_SETTLED_ADMIN: AdminPaymentWire = {
  id: 4180,
  user_id: 7,
  type: 'deposit',
  status: 'success',
  amount: '100.50',
  currency: 'USD',
  bank_reference: 'BNK-9F3K2Q7M',
  error_code: null,
  error_message: null,
  idempotency_key: 'b7f3c1e2-4d5a-4f6b-9c8d-0e1f2a3b4c5d',
  created_at: '2026-11-30T09:10:41.020Z',
  updated_at: '2026-11-30T09:10:45.377Z',
  completed_at: '2026-11-30T09:10:45.377Z',
  user_email: 'alice@example.com',
  request_id: '0d7e3a51-6c4b-4f2a-8e9d-1b5c7a3f2e60',
  bank_order_key: '3e8a6b1f-2c7d-4d9e-8f0a-5b4c3d2e1f00',
  submitted_at: '2026-11-30T09:10:41.061Z',
};

/** Payment 4182's story while it waits: the request, its transitions, the publish, the 503 and the wait. */
export const STUCK_STORY: PaymentStoryWire = {
  payment: STUCK_PAYMENT,
  user: { id: 7, email: 'alice@example.com' },
  failure: null,
  bank_attempt_count: 2,
  available_repairs: ['reconcile', 'retry', 'fail'],
  story: [
    {
      at: CREATED_AT,
      kind: 'request',
      title: 'Withdrawal of 1250.50 USD requested by alice@example.com',
      detail: null,
      data: {
        request_id: REQUEST_ID_SAMPLE,
        idempotency_key: STUCK_PAYMENT.idempotency_key,
        user_id: 7,
        user_email: 'alice@example.com',
      },
    },
    {
      at: CREATED_AT,
      kind: 'transition',
      title: 'new → pending (api.create)',
      detail: null,
      data: {
        from_status: null,
        to_status: 'pending',
        cause: 'api.create',
        bank_reference: null,
        error_code: null,
        error_message: null,
        request_id: REQUEST_ID_SAMPLE,
      },
    },
    {
      at: '2026-11-30T09:12:03.431Z',
      kind: 'outbox_published',
      title: 'Published to the worker after 19 ms',
      detail: null,
      data: {
        outbox_id: 9120,
        queued_at: CREATED_AT,
        published_at: '2026-11-30T09:12:03.431Z',
        publish_attempt_count: 1,
      },
    },
    {
      at: '2026-11-30T09:12:03.448Z',
      kind: 'transition',
      title: 'pending → processing (worker.submit)',
      detail: null,
      data: {
        from_status: 'pending',
        to_status: 'processing',
        cause: 'worker.submit',
        bank_reference: null,
        error_code: null,
        error_message: null,
        request_id: REQUEST_ID_SAMPLE,
      },
    },
    {
      at: '2026-11-30T09:12:03.452Z',
      kind: 'bank_attempt',
      title: 'Order sent to the bank (attempt 1): answered 503 (unavailable) after 1.2 s; retry in 3.7 s',
      detail: BANK_503,
      data: {
        operation: 'submit',
        attempt_index: 0,
        outcome: 'unavailable',
        http_status: 503,
        latency_ms: 1204,
        bank_reference: null,
        retry_delay_ms: 3712,
        request_id: REQUEST_ID_SAMPLE,
        worker_id: WORKER_ID,
      },
    },
    {
      at: '2026-11-30T09:12:08.371Z',
      kind: 'bank_attempt',
      title: 'Bank not called: circuit breaker open; retry in 30.0 s',
      detail: BANK_503,
      data: {
        operation: 'breaker_wait',
        attempt_index: 1,
        outcome: 'breaker_open',
        http_status: null,
        latency_ms: null,
        bank_reference: null,
        retry_delay_ms: 30000,
        request_id: REQUEST_ID_SAMPLE,
        worker_id: WORKER_ID,
      },
    },
  ],
};

/** Payment 4180: settled by the bank's callback, a forged-looking callback refused, the ledger posting. */
export const SETTLED_STORY: PaymentStoryWire = {
  payment: DEPOSIT_SETTLED_ADMIN,
  user: { id: 7, email: 'alice@example.com' },
  failure: null,
  bank_attempt_count: 1,
  available_repairs: [],
  story: [
    {
      at: '2026-11-30T09:10:41.020Z',
      kind: 'request',
      title: 'Deposit of 100.50 USD requested by alice@example.com',
      detail: null,
      data: {
        request_id: DEPOSIT_SETTLED_ADMIN.request_id,
        idempotency_key: DEPOSIT_SETTLED_ADMIN.idempotency_key,
        user_id: 7,
        user_email: 'alice@example.com',
      },
    },
    {
      at: '2026-11-30T09:10:41.061Z',
      kind: 'bank_attempt',
      title: 'Order sent to the bank (attempt 1): answered 202 (ok) after 38 ms',
      detail: null,
      data: {
        operation: 'submit',
        attempt_index: 0,
        outcome: 'ok',
        http_status: 202,
        latency_ms: 38,
        bank_reference: 'BNK-9F3K2Q7M',
        retry_delay_ms: null,
        request_id: DEPOSIT_SETTLED_ADMIN.request_id,
        worker_id: WORKER_ID,
      },
    },
    {
      at: '2026-11-30T09:10:44.902Z',
      kind: 'webhook_rejected',
      title: 'Signed bank callback refused: amount mismatch',
      detail: 'It does not match the order the gateway placed for this payment (amount_mismatch).',
      data: {
        reason: 'amount_mismatch',
        received_count: 1,
        last_received_at: '2026-11-30T09:10:44.902Z',
        source_address: '203.0.113.50',
        request_id: '1c9f0e7d-5a3b-4e21-9c8d-7f6e5d4c3b2a',
        payload: { transaction_id: 4180, status: 'success', amount: '1000.50', bank_reference: 'BNK-9F3K2Q7M' },
      },
    },
    {
      at: '2026-11-30T09:10:45.377Z',
      kind: 'webhook',
      title: 'Bank callback "success" received: applied',
      detail: null,
      data: {
        status: 'success',
        outcome: 'applied',
        bank_reference: 'BNK-9F3K2Q7M',
        request_id: '2b8e4f6a-0c1d-4e3f-a5b7-c9d1e3f5a7b9',
      },
    },
    {
      at: '2026-11-30T09:10:45.377Z',
      kind: 'transition',
      title: 'processing → success (bank.webhook)',
      detail: null,
      data: {
        from_status: 'processing',
        to_status: 'success',
        cause: 'bank.webhook',
        bank_reference: 'BNK-9F3K2Q7M',
        error_code: null,
        error_message: null,
        request_id: '2b8e4f6a-0c1d-4e3f-a5b7-c9d1e3f5a7b9',
      },
    },
    {
      at: '2026-11-30T09:10:45.377Z',
      kind: 'posting',
      title: 'Ledger: 100.50 USD from bank_clearing #1 to wallet #8',
      detail: null,
      data: {
        posting_id: 3051,
        kind: 'deposit',
        amount: '100.50',
        currency: 'USD',
        debit_account_id: 1,
        credit_account_id: 8,
      },
    },
  ],
};

function repair(
  action: RepairResultWire['action'],
  outcome: string,
  message: string,
  payment: AdminPaymentWire | null,
  auditId: number,
): RepairResultWire {
  return { action, outcome, message, payment, audit_id: auditId };
}

const PENDING_AT_BANK: AdminPaymentWire = { ...STUCK_PAYMENT, bank_reference: 'BNK-7Q2M9XK4' };

/** What each repair answers when it did something (200); refusals are 409 repair_refused, below. */
export const REPAIR_RESULTS = {
  reconcile: {
    settled: repair(
      'reconcile',
      'settled_success',
      'The bank settled payment 4182 as success (BNK-7Q2M9XK4); settled here the same way.',
      SETTLED_PAYMENT,
      31,
    ),
    pending: repair(
      'reconcile',
      'bank_pending',
      'The bank holds the order of payment 4182 (BNK-7Q2M9XK4) and has not settled it yet; its webhook, or a later reconcile, settles it.',
      PENDING_AT_BANK,
      32,
    ),
  },
  retry: {
    requeued: repair(
      'retry',
      'requeued',
      'Payment 4182 was sent to the worker again; it goes to the bank under its own order key.',
      STUCK_PAYMENT,
      33,
    ),
    alreadyQueued: repair(
      'retry',
      'already_queued',
      'Payment 4182 already has a message waiting for the worker; nothing more was queued.',
      STUCK_PAYMENT,
      34,
    ),
  },
  fail: {
    failed: repair(
      'fail',
      'failed',
      'Payment 4182 failed; its hold was released and the amount is available again.',
      FAILED_PAYMENT,
      35,
    ),
  },
  replay: {
    requeued: repair('replay_dead_letter', 'requeued', 'Payment 4182 was sent to the worker again.', STUCK_PAYMENT, 36),
  },
  revoke: {
    revoked: repair('revoke_key', 'revoked', 'Key pgk_mvI1Qw revoked.', null, 38),
  },
} as const;

function minutes(): ThroughputMinuteWire[] {
  const start = Date.parse('2026-11-30T09:00:00.000Z');
  return Array.from({ length: 60 }, (_unused, index) => ({
    minute: new Date(start + index * 60_000).toISOString(),
    pending: index === 59 ? 3 : 0,
    processing: index >= 56 ? 2 : 0,
    success: 40 + ((index * 7) % 13),
    failed: index % 6 === 0 ? 2 : 0,
  }));
}

export const OVERVIEW_SAMPLE: OverviewWire = {
  generated_at: '2026-11-30T09:59:31.208Z',
  throughput: minutes(),
  success_rate: 0.9731,
  settle_latency_ms: { p50: 2350.5, p99: 9812 },
  queues: [
    { name: 'transactions.dlq', messages: 3, consumers: 0 },
    { name: 'transactions.process', messages: 4, consumers: 2 },
  ],
  dead_letters: { recorded: 5, waiting_replay: 3 },
  outbox: { unpublished: 1, oldest_age_s: 0.08 },
  workers: [
    {
      worker_id: WORKER_ID,
      version: '0.1.0',
      hostname: 'worker-a',
      started_at: '2026-11-30T08:00:02.114Z',
      last_seen_at: '2026-11-30T09:59:28.990Z',
      in_flight: 3,
      breaker_state: 'closed',
      is_alive: true,
    },
    {
      worker_id: 'worker-9b2c',
      version: '0.1.0',
      hostname: 'worker-b',
      started_at: '2026-11-30T08:00:02.530Z',
      last_seen_at: '2026-11-30T09:40:11.402Z',
      in_flight: 0,
      breaker_state: 'open',
      is_alive: false,
    },
  ],
  stuck: { count: 4, pending: 1, processing: 3, threshold_s: 300 },
  webhooks_rejected_last_hour: 1,
  ledger_ok: true,
  ledger_checked_at: '2026-11-30T09:55:00.031Z',
};

/** A fresh stack: nothing created yet, no worker has beaten, no ledger check has run. */
export const OVERVIEW_EMPTY: OverviewWire = {
  ...OVERVIEW_SAMPLE,
  throughput: minutes().map((minute) => ({ ...minute, pending: 0, processing: 0, success: 0, failed: 0 })),
  success_rate: null,
  settle_latency_ms: { p50: null, p99: null },
  queues: [],
  dead_letters: { recorded: 0, waiting_replay: 0 },
  outbox: { unpublished: 0, oldest_age_s: null },
  workers: [],
  stuck: { count: 0, pending: 0, processing: 0, threshold_s: 300 },
  webhooks_rejected_last_hour: 0,
  ledger_ok: null,
  ledger_checked_at: null,
};

/** A message the worker could not handle (poison): its payment is still processing, so a replay re-drives it. */
export const DEAD_LETTER_WAITING: DeadLetterWire = {
  id: 12,
  transaction_id: 4182,
  reason: 'handler_error',
  payload: {
    transaction_id: 4182,
    user_id: 7,
    type: 'withdrawal',
    amount_minor: '125050',
    currency: 'USD',
    request_id: REQUEST_ID_SAMPLE,
  },
  headers: { 'x-attempt': 3, 'x-request-id': REQUEST_ID_SAMPLE, 'x-failure-reason': 'handler_error' },
  dead_lettered_at: '2026-11-30T09:42:05.118Z',
  replayed_at: null,
  replay_outcome: null,
  payment_status: 'processing',
};

/** A payment the bank refused: failed before it was dead-lettered, so its replay was refused. */
export const DEAD_LETTER_REPLAYED: DeadLetterWire = {
  ...DEAD_LETTER_WAITING,
  id: 9,
  transaction_id: 4077,
  reason: 'bank_rejected: HTTP 422 invalid_request: amount exceeds the order limit',
  payload: { ...(DEAD_LETTER_WAITING.payload as Record<string, unknown>), transaction_id: 4077 },
  headers: {
    'x-attempt': 0,
    'x-request-id': '7d2c9b8a-1e0f-4a3b-8c7d-6e5f4a3b2c1d',
    'x-failure-reason': 'bank_rejected: HTTP 422 invalid_request: amount exceeds the order limit',
  },
  dead_lettered_at: '2026-11-30T08:51:17.660Z',
  replayed_at: '2026-11-30T09:02:44.310Z',
  replay_outcome: 'already_final',
  payment_status: 'failed',
};

export const USER_DETAIL_SAMPLE: AdminUserDetailWire = {
  id: 7,
  email: 'alice@example.com',
  currency: 'USD',
  balance: '2000.00',
  available_balance: '749.50',
  held: '1250.50',
  created_at: '2026-11-27T10:00:00.000Z',
  active_key_count: 1,
  keys: [
    { prefix: 'pgk_m_h1DE', created_at: '2026-11-27T10:00:00.112Z', revoked_at: null },
    { prefix: 'pgk_Zt0q8F', created_at: '2026-11-20T16:42:10.501Z', revoked_at: '2026-11-27T10:00:00.112Z' },
  ],
  open_withdrawals: 1,
  recent_payments: [STUCK_PAYMENT, DEPOSIT_SETTLED_ADMIN],
};

export const LEDGER_BALANCED: LedgerCheckWire = {
  checked_at: '2026-11-30T09:59:31.522Z',
  is_balanced: true,
  sum_minor_by_currency: { USD: '0' },
  account_count: 1204,
  balance_drift: [],
  hold_drift: [],
  negative_available: [],
};

/** What a red line looks like: a wallet whose cached balance is 10.00 above its postings. */
export const LEDGER_DRIFT: LedgerCheckWire = {
  ...LEDGER_BALANCED,
  is_balanced: false,
  sum_minor_by_currency: { USD: '1000' },
  balance_drift: [{ account_id: 8, user_id: 7, email: 'alice@example.com', cached: '1010.00', postings: '1000.00' }],
};

export const AUDIT_ENTRIES: AuditEntryWire[] = [
  {
    id: 35,
    at: FAILED_AT,
    operator_email: OPERATOR_EMAIL,
    action: 'fail',
    payment_id: 4182,
    user_id: 7,
    dead_letter_id: null,
    reason: 'Bank confirmed it holds no order for 4182',
    outcome: 'failed',
    request_id: REPAIR_REQUEST_ID,
  },
  {
    id: 31,
    at: '2026-11-30T09:30:12.004Z',
    operator_email: OPERATOR_EMAIL,
    action: 'reconcile',
    payment_id: 4182,
    user_id: 7,
    dead_letter_id: null,
    reason: 'Stuck in processing for 18 minutes',
    outcome: 'bank_pending',
    request_id: '4e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9',
  },
];

// --- errors ------------------------------------------------------------------------------------------------

function error(code: ErrorCode, summary: string, message: string, details?: unknown): ErrorExample {
  const value =
    details === undefined
      ? { error: code, message, request_id: REQUEST_ID_SAMPLE }
      : { error: code, message, details, request_id: REQUEST_ID_SAMPLE };
  return { code, summary, value };
}

/** A 409 repair_refused: `details` names the outcome and the audit entry the refusal wrote. */
function refusal(summary: string, message: string, outcome: string, auditId: number): ErrorExample {
  return error('repair_refused', summary, message, { outcome, audit_id: auditId });
}

const BANK_503_TEXT = BANK_503.replace(/\.$/, '');

function fieldError(summary: string, field: string, message: string, reason: string): ErrorExample {
  return error('validation_error', summary, `${field}: ${message}`, [{ field, message, reason }]);
}

export const ADMIN_ERROR_EXAMPLES = {
  noSession: error(
    'unauthorized',
    'No operator session (an API key is not one)',
    'Log in to the operator console first (POST /api/v1/admin/auth/login).',
  ),
  sessionEnded: error(
    'unauthorized',
    'Session ended (logged out, idle or expired)',
    'Your operator session has ended; log in again.',
  ),
  loginRefused: error(
    'unauthorized',
    'Wrong password or unknown email (the same answer)',
    'The email or password is not right.',
  ),
  viewerChanging: error(
    'forbidden',
    'A viewer asked for a change',
    'Your role (viewer) may look but not change anything; ask an operator.',
  ),
  otherOrigin: error(
    'origin_not_allowed',
    'Sent by a page outside the console',
    'Requests that change something must come from the operator console (http://localhost:5600, http://127.0.0.1:5600).',
  ),
  paymentNotFound: error('not_found', 'No such payment', 'No payment 999999.'),
  userNotFound: error('not_found', 'No such user', 'No user 999999.'),
  deadLetterNotFound: error('not_found', 'No such dead letter', 'No dead letter 999999.'),
  keyNotFound: error('not_found', 'No active key with that prefix', 'User 7 has no active key pgk_mvI1Qw.'),
  // Refusals: the repair does not apply to the payment as it is now; audited, and nothing changed.
  reconcileFinal: refusal(
    'The payment is final',
    'Payment 4182 is failed already; there is nothing to reconcile.',
    'already_final',
    40,
  ),
  reconcileNeverSent: refusal(
    'Never sent to the bank',
    'Payment 4183 was never sent to the bank; retry its submission instead.',
    'no_order',
    50,
  ),
  reconcileNoOrder: refusal(
    'The bank holds no order for it',
    'The bank holds no order for payment 4182 under its order key; retry its submission, or fail it.',
    'no_order',
    41,
  ),
  reconcileBankDown: refusal(
    'The bank did not answer',
    `The bank did not answer about payment 4182 (${BANK_503_TEXT}); nothing was changed.`,
    'bank_unreachable',
    42,
  ),
  retryFinal: refusal(
    'The payment is final',
    'Payment 4182 is failed: a final payment is never sent again.',
    'already_final',
    43,
  ),
  retryBankHolds: refusal(
    'The bank already holds its order',
    'The bank already holds the order of payment 4182: sending it again would change nothing. Reconcile it instead.',
    'bank_holds_order',
    44,
  ),
  failFinal: refusal(
    'The payment is final',
    'Payment 4182 is failed: a final payment is never changed.',
    'already_final',
    45,
  ),
  failBankHolds: refusal(
    'The bank holds an order for it',
    'The bank holds an order for payment 4182 (pending); failing it here would not stop the bank. Reconcile it instead.',
    'bank_holds_order',
    46,
  ),
  failInFlight: refusal(
    'A worker may be calling the bank right now',
    'Payment 4182 was touched by a worker less than 15 s ago and a bank call may be in flight; try again in a minute.',
    'submission_in_flight',
    47,
  ),
  replayFinal: refusal(
    "The dead letter's payment is final",
    'Payment 4077 is failed, so it is not sent again; the dead letter is marked handled.',
    'already_final',
    48,
  ),
  replayTwice: refusal(
    'Handled already',
    'Dead letter 9 was handled already; nothing was sent again.',
    'already_replayed',
    49,
  ),
  loginEmailInvalid: fieldError('email is not an email address', 'email', 'Invalid email address', 'invalid_format'),
  loginUnknownField: error('validation_error', 'A field login does not take', 'body: unknown field: role', [
    { field: 'body', message: 'unknown field: role', reason: 'unrecognized_keys' },
  ]),
  reasonMissing: fieldError(
    'No reason',
    'reason',
    'Invalid input: expected string, received undefined',
    'invalid_type',
  ),
  reasonShort: fieldError(
    'A reason under 3 characters',
    'reason',
    'reason: say why, in at least 3 characters',
    'too_small',
  ),
  statusInvalid: fieldError(
    'status is not a status',
    'status',
    'Invalid option: expected one of "pending"|"processing"|"success"|"failed"',
    'invalid_value',
  ),
  amountInvalid: fieldError(
    'amount_min with 3 decimals',
    'amount_min',
    'must be a decimal amount with at most 2 decimals, e.g. 100 or 100.50',
    'invalid_format',
  ),
  amountRange: fieldError('amount_min above amount_max', 'amount_min', 'must not be above amount_max', 'invalid_range'),
  dateRange: fieldError(
    'created_from after created_to',
    'created_from',
    'must not be after created_to',
    'invalid_range',
  ),
  stateInvalid: fieldError(
    'state is not all, waiting or replayed',
    'state',
    'Invalid option: expected one of "all"|"waiting"|"replayed"',
    'invalid_value',
  ),
  prefixInvalid: fieldError(
    'Not a key prefix',
    'prefix',
    'prefix must be a key prefix as shown, e.g. pgk_AbC123',
    'invalid_format',
  ),
  auditPaymentIdInvalid: fieldError(
    'payment_id is not a positive integer',
    'payment_id',
    'Invalid string: must match pattern /^[1-9]\\d{0,15}$/',
    'invalid_format',
  ),
  adminUserIdInvalid: fieldError(
    'Id is not a positive integer',
    'user_id',
    'user_id must be a positive integer',
    'invalid_format',
  ),
} satisfies Record<string, ErrorExample>;
