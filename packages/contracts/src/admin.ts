import { z } from 'zod';

import { EMAIL_LENGTH_MAX, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, PAGE_LIMIT_MIN } from '@paygate/domain/limits';
import { AUDIT_ACTIONS, OPERATOR_ROLES } from '@paygate/domain/operator';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from '@paygate/domain/transaction-status';

import { AmountText, CurrencyCode, EntityId, ISO_TIME } from './common';
import { AmountFilter, Time, TransactionWire } from './transactions';

/**
 * The operator API under /api/v1/admin, used by the operator console (apps/console). Operators are their
 * own accounts (email + password, roles viewer and operator) with their own session cookie,
 * `paygate_operator_session` (Path=/api/v1/admin); a user's API key never opens these routes. `viewer`
 * may read everything; `operator` may also repair payments, replay dead letters and manage users' keys.
 * Every action that changes something takes a `reason` and is written to the audit log.
 */

export const OPERATOR_SESSION_COOKIE = 'paygate_operator_session';
export const OPERATOR_PASSWORD_LENGTH_MIN = 12;
export const OPERATOR_PASSWORD_LENGTH_MAX = 256;
/** A repair's reason: long enough to say why, short enough to read in a list. */
export const REPAIR_REASON_LENGTH_MIN = 3;
export const REPAIR_REASON_LENGTH_MAX = 500;

const Reason = z
  .string()
  .trim()
  .min(REPAIR_REASON_LENGTH_MIN, `reason: say why, in at least ${REPAIR_REASON_LENGTH_MIN} characters`)
  .max(REPAIR_REASON_LENGTH_MAX)
  .meta({
    description: 'Why the operator does this; kept in the audit log.',
    example: 'Customer called: bank confirmed the payout',
  });

const AdminLimit = z.coerce.number().int().min(PAGE_LIMIT_MIN).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT);
const Cursor = z.string().max(128).optional().meta({ description: 'Opaque keyset cursor from `next_cursor`.' });

// --- auth ---

export const OperatorLoginBody = z
  .strictObject({
    email: z.email().max(EMAIL_LENGTH_MAX),
    password: z.string().min(1).max(OPERATOR_PASSWORD_LENGTH_MAX),
  })
  .meta({
    id: 'OperatorLoginRequest',
    example: { email: 'ops@example.com', password: 'correct horse battery staple' },
  });

export const OperatorWire = z
  .object({ id: EntityId, email: z.string(), role: z.enum(OPERATOR_ROLES), created_at: ISO_TIME })
  .meta({
    id: 'Operator',
    example: { id: 1, email: 'ops@example.com', role: 'operator', created_at: '2026-11-30T08:00:00.000Z' },
  });
export type OperatorWire = z.infer<typeof OperatorWire>;

// --- overview ---

export const ThroughputMinuteWire = z.object({
  minute: ISO_TIME.meta({ description: 'Start of the minute (UTC).' }),
  pending: z.number().int().nonnegative(),
  processing: z.number().int().nonnegative(),
  success: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type ThroughputMinuteWire = z.infer<typeof ThroughputMinuteWire>;

export const QueueWire = z.object({
  name: z.string(),
  messages: z.number().int().nonnegative(),
  consumers: z.number().int().nonnegative(),
});

export const WorkerHeartbeatWire = z.object({
  worker_id: z.string(),
  version: z.string(),
  hostname: z.string(),
  started_at: ISO_TIME,
  last_seen_at: ISO_TIME,
  in_flight: z.number().int().nonnegative(),
  breaker_state: z.enum(['closed', 'half_open', 'open']),
  is_alive: z.boolean().meta({ description: 'Seen within the last few heartbeat intervals.' }),
});
export type WorkerHeartbeatWire = z.infer<typeof WorkerHeartbeatWire>;

export const OverviewWire = z
  .object({
    generated_at: ISO_TIME,
    throughput: z.array(ThroughputMinuteWire).meta({
      description: 'Payments created per minute over the last hour, by their status now, oldest minute first.',
    }),
    success_rate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'success / (success + failed) over the last hour; null when nothing finished.' }),
    settle_latency_ms: z
      .object({ p50: z.number().nullable(), p99: z.number().nullable() })
      .meta({ description: 'Create-to-final latency over the last hour.' }),
    queues: z.array(QueueWire),
    dead_letters: z.object({
      recorded: z.number().int().nonnegative(),
      waiting_replay: z.number().int().nonnegative(),
    }),
    outbox: z.object({
      unpublished: z.number().int().nonnegative(),
      oldest_age_s: z.number().nonnegative().nullable(),
    }),
    workers: z.array(WorkerHeartbeatWire),
    stuck: z.object({
      count: z.number().int().nonnegative(),
      pending: z.number().int().nonnegative(),
      processing: z.number().int().nonnegative(),
      threshold_s: z.number().int().positive(),
    }),
    webhooks_rejected_last_hour: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'Signed bank callbacks refused (not bound to an order of ours) in the last hour.' }),
    ledger_ok: z
      .boolean()
      .nullable()
      .meta({ description: 'The last ledger check found no drift; null before the first check.' }),
    ledger_checked_at: ISO_TIME.nullable(),
  })
  .meta({ id: 'AdminOverview' });
export type OverviewWire = z.infer<typeof OverviewWire>;

// --- payments ---

export const AdminPaymentListQuery = z.strictObject({
  q: z.string().trim().max(255).optional().meta({
    description: 'A payment id, an idempotency key, a bank reference (BNK-...), a request id, or a user email.',
  }),
  status: z.enum(TRANSACTION_STATUSES).optional(),
  type: z.enum(TRANSACTION_TYPES).optional(),
  amount_min: AmountFilter.optional().meta({ description: 'At least this amount (a decimal string).' }),
  amount_max: AmountFilter.optional().meta({ description: 'At most this amount (a decimal string).' }),
  created_from: Time.optional().meta({ description: 'Created at or after; a date alone means its start, UTC.' }),
  created_to: Time.optional().meta({ description: 'Created before (exclusive); a date alone means its start, UTC.' }),
  stuck: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: '`true`: only pending or processing for longer than the stuck threshold.' }),
  limit: AdminLimit,
  cursor: Cursor,
});
export type AdminPaymentListQuery = z.infer<typeof AdminPaymentListQuery>;

export const AdminPaymentWire = TransactionWire.extend({
  user_email: z.string(),
  request_id: z.string().nullable(),
  bank_order_key: z.string().nullable(),
  submitted_at: ISO_TIME.nullable(),
}).meta({ id: 'AdminPayment' });
export type AdminPaymentWire = z.infer<typeof AdminPaymentWire>;

export const AdminPaymentPage = z
  .object({
    items: z.array(AdminPaymentWire),
    limit: z.number().int(),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'AdminPaymentPage' });
export type AdminPaymentPage = z.infer<typeof AdminPaymentPage>;

/** One entry of a payment's story, in time order. `kind` says which of the shapes below `data` has. */
export const STORY_KINDS = [
  'request',
  'transition',
  'outbox_published',
  'bank_attempt',
  'webhook',
  'webhook_rejected',
  'posting',
  'dead_letter',
  'operator_action',
  'delivery',
] as const;
export type StoryKind = (typeof STORY_KINDS)[number];

export const StoryEntryWire = z
  .object({
    at: ISO_TIME,
    kind: z.enum(STORY_KINDS),
    title: z.string().meta({ description: 'One line for people, e.g. "Bank answered 503 after 1.2 s; retry in 4 s".' }),
    detail: z.string().nullable().meta({ description: 'The operator detail, if any (errors, reasons).' }),
    data: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The raw facts of the entry (status codes, ids, latencies, bodies).' }),
  })
  .meta({ id: 'StoryEntry' });
export type StoryEntryWire = z.infer<typeof StoryEntryWire>;

export const REPAIR_ACTIONS = ['reconcile', 'retry', 'fail'] as const;
export type RepairAction = (typeof REPAIR_ACTIONS)[number];

export const PaymentStoryWire = z
  .object({
    payment: AdminPaymentWire,
    user: z.object({ id: EntityId, email: z.string() }),
    failure: z
      .object({ code: z.string(), user_message: z.string().nullable(), operator_detail: z.string().nullable() })
      .nullable()
      .meta({ description: 'For a failed payment: the plain text the user reads, and the operator detail.' }),
    bank_attempt_count: z.number().int().nonnegative(),
    available_repairs: z
      .array(z.enum(REPAIR_ACTIONS))
      .meta({ description: 'Repairs that apply to the payment in its current state (none when it is final).' }),
    story: z.array(StoryEntryWire),
  })
  .meta({ id: 'PaymentStory' });
export type PaymentStoryWire = z.infer<typeof PaymentStoryWire>;

export const RepairBody = z.strictObject({ reason: Reason }).meta({ id: 'RepairRequest' });

export const RepairResultWire = z
  .object({
    action: z.enum([...REPAIR_ACTIONS, 'replay_dead_letter', 'issue_key', 'revoke_key']),
    outcome: z
      .string()
      .meta({ description: 'What happened, e.g. settled_success, requeued, failed, already_final, bank_pending.' }),
    message: z.string(),
    // A union, not .nullable(): zod-to-openapi writes a nullable $ref as allOf [$ref, {type: [object, null]}],
    // which refuses null; the union is anyOf [$ref, {type: null}].
    payment: z.union([AdminPaymentWire, z.null()]),
    audit_id: EntityId,
  })
  .meta({ id: 'RepairResult' });
export type RepairResultWire = z.infer<typeof RepairResultWire>;

// --- dead letters ---

export const DeadLetterWire = z
  .object({
    id: EntityId,
    transaction_id: EntityId.nullable(),
    reason: z.string(),
    payload: z.unknown(),
    headers: z.record(z.string(), z.unknown()),
    dead_lettered_at: ISO_TIME,
    replayed_at: ISO_TIME.nullable(),
    replay_outcome: z.string().nullable(),
    payment_status: z.enum(TRANSACTION_STATUSES).nullable(),
  })
  .meta({ id: 'DeadLetter' });
export type DeadLetterWire = z.infer<typeof DeadLetterWire>;

export const DeadLetterListQuery = z.strictObject({
  state: z.enum(['all', 'waiting', 'replayed']).default('all'),
  limit: AdminLimit,
  cursor: Cursor,
});
export const DeadLetterPage = z
  .object({
    items: z.array(DeadLetterWire),
    limit: z.number().int(),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'DeadLetterPage' });
export type DeadLetterPage = z.infer<typeof DeadLetterPage>;

// --- users ---

export const AdminUserListQuery = z.strictObject({
  q: z.string().trim().max(EMAIL_LENGTH_MAX).optional().meta({ description: 'A user id or part of an email.' }),
  limit: AdminLimit,
  cursor: Cursor,
});

export const ApiKeyWire = z.object({ prefix: z.string(), created_at: ISO_TIME, revoked_at: ISO_TIME.nullable() });

export const AdminUserWire = z
  .object({
    id: EntityId,
    email: z.string(),
    currency: CurrencyCode,
    balance: AmountText,
    available_balance: AmountText,
    held: AmountText,
    created_at: ISO_TIME,
    active_key_count: z.number().int().nonnegative(),
  })
  .meta({ id: 'AdminUser' });
export type AdminUserWire = z.infer<typeof AdminUserWire>;

export const AdminUserPage = z
  .object({
    items: z.array(AdminUserWire),
    limit: z.number().int(),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'AdminUserPage' });
export type AdminUserPage = z.infer<typeof AdminUserPage>;

export const AdminUserDetailWire = AdminUserWire.extend({
  keys: z.array(ApiKeyWire),
  open_withdrawals: z.number().int().nonnegative(),
  recent_payments: z.array(AdminPaymentWire),
}).meta({ id: 'AdminUserDetail' });
export type AdminUserDetailWire = z.infer<typeof AdminUserDetailWire>;

export const IssuedKeyWire = z
  .object({
    api_key: z.string().meta({ description: 'Shown once: store it now.' }),
    prefix: z.string(),
    audit_id: EntityId,
  })
  .meta({ id: 'IssuedKey' });
export type IssuedKeyWire = z.infer<typeof IssuedKeyWire>;

// --- ledger ---

export const LedgerCheckWire = z
  .object({
    checked_at: ISO_TIME,
    is_balanced: z.boolean().meta({ description: 'Every invariant holds.' }),
    sum_minor_by_currency: z
      .record(z.string(), z.string())
      .meta({ description: 'Sum over all accounts per currency, in minor units; "0" when balanced.' }),
    account_count: z.number().int().nonnegative(),
    balance_drift: z.array(
      z.object({
        account_id: EntityId,
        user_id: EntityId.nullable(),
        email: z.string().nullable(),
        cached: AmountText,
        postings: AmountText,
      }),
    ),
    hold_drift: z.array(
      z.object({
        account_id: EntityId,
        user_id: EntityId,
        email: z.string(),
        held: AmountText,
        open_withdrawals: AmountText,
      }),
    ),
    negative_available: z.array(
      z.object({ account_id: EntityId, user_id: EntityId, email: z.string(), available: AmountText }),
    ),
  })
  .meta({ id: 'LedgerCheck' });
export type LedgerCheckWire = z.infer<typeof LedgerCheckWire>;

// --- audit ---

export const AuditEntryWire = z
  .object({
    id: EntityId,
    at: ISO_TIME,
    operator_email: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    payment_id: EntityId.nullable(),
    user_id: EntityId.nullable(),
    dead_letter_id: EntityId.nullable(),
    reason: z.string().nullable(),
    outcome: z.string(),
    request_id: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryWire = z.infer<typeof AuditEntryWire>;

export const AuditListQuery = z.strictObject({
  payment_id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number)
    .optional(),
  user_id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number)
    .optional(),
  limit: AdminLimit,
  cursor: Cursor,
});
export const AuditPage = z
  .object({
    items: z.array(AuditEntryWire),
    limit: z.number().int(),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;

/**
 * The operator API's routes (all under /api/v1/admin). GETs need any operator session; everything else
 * needs the `operator` role, except login and logout.
 */
export const ADMIN_ROUTES = {
  login: 'POST /api/v1/admin/auth/login',
  logout: 'POST /api/v1/admin/auth/logout',
  me: 'GET /api/v1/admin/auth/me',
  overview: 'GET /api/v1/admin/overview',
  payments: 'GET /api/v1/admin/payments',
  paymentStory: 'GET /api/v1/admin/payments/{id}',
  reconcile: 'POST /api/v1/admin/payments/{id}/reconcile',
  retry: 'POST /api/v1/admin/payments/{id}/retry',
  fail: 'POST /api/v1/admin/payments/{id}/fail',
  deadLetters: 'GET /api/v1/admin/dead-letters',
  replayDeadLetter: 'POST /api/v1/admin/dead-letters/{id}/replay',
  users: 'GET /api/v1/admin/users',
  user: 'GET /api/v1/admin/users/{id}',
  issueKey: 'POST /api/v1/admin/users/{id}/keys',
  revokeKey: 'POST /api/v1/admin/users/{id}/keys/{prefix}/revoke',
  ledger: 'GET /api/v1/admin/ledger',
  audit: 'GET /api/v1/admin/audit',
} as const;
