import { z } from 'zod';

import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, PAGE_LIMIT_MIN, PAGE_OFFSET_MAX } from '@paygate/domain/limits';
import { formatAmount, parseAmount } from '@paygate/domain/money';
import type { Transaction, TransactionEvent } from '@paygate/domain/transaction';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from '@paygate/domain/transaction-status';

import { AmountInput, AmountText, CurrencyCode, EntityId, ISO_TIME } from './common';

// --- requests ---

export const CreateTransactionBody = z
  .strictObject({ amount: AmountInput, currency: CurrencyCode.optional() })
  .meta({ id: 'CreateTransactionRequest', example: { amount: '100.50', currency: 'USD' } });

export interface CreateTransactionCommand {
  amountMinor: bigint;
  currency: string | undefined;
}

/** Decodes a validated body into a command; the schema already refused every bad amount. */
export function toCreateTransactionCommand(body: z.infer<typeof CreateTransactionBody>): CreateTransactionCommand {
  const parsed = parseAmount(body.amount);
  if (!parsed.ok) throw new TypeError('toCreateTransactionCommand called with an unvalidated amount');
  return { amountMinor: parsed.amountMinor, currency: body.currency };
}

const Limit = z.coerce.number().int().min(PAGE_LIMIT_MIN).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT);
const Offset = z.coerce.number().int().min(0).max(PAGE_OFFSET_MAX).default(0);
/**
 * A time filter: an ISO 8601 date-time with a zone, or a date alone, which means that day's start (UTC), so
 * created_from=2026-11-30 includes the whole day and created_to=2026-11-30 ends before it (created_to is
 * exclusive). Decoded to a date-time either way.
 */
const DateTimeText = z.iso.datetime({ offset: true });
const DateText = z.iso.date();
export const Time = z
  .string()
  .refine((value) => DateTimeText.safeParse(value).success || DateText.safeParse(value).success, {
    message: 'must be an ISO 8601 date (2026-11-30, its start in UTC) or date-time (2026-11-30T12:00:00Z)',
    params: { reason: 'invalid_format' },
  })
  .transform((value) => (DateText.safeParse(value).success ? `${value}T00:00:00.000Z` : value))
  .meta({ examples: ['2026-11-30', '2026-11-30T12:00:00Z'] });

/** An amount bound of a list filter: a decimal string like the amounts (0 is a fine lower bound). */
export const AmountFilter = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'must be a decimal amount with at most 2 decimals, e.g. 100 or 100.50')
  .meta({ example: '100.00' });

const listQueryShape = {
  limit: Limit.meta({ description: `Page size, ${PAGE_LIMIT_MIN}..${PAGE_LIMIT_MAX}.`, example: 20 }),
  offset: Offset.meta({ description: 'Rows to skip; ignored when `cursor` is given.', example: 0 }),
  cursor: z
    .string()
    .max(64)
    .optional()
    .meta({ description: 'Opaque keyset cursor from `next_cursor` of the previous page.' }),
  status: z.enum(TRANSACTION_STATUSES).optional(),
  created_from: Time.optional().meta({
    description: 'Only transactions created at or after this time. A date alone means its start, UTC.',
  }),
  created_to: Time.optional().meta({
    description: 'Only transactions created before this time (exclusive). A date alone means its start, UTC.',
  }),
  amount_min: AmountFilter.optional().meta({
    description: 'Only transactions of at least this amount (a decimal string); not above `amount_max`.',
  }),
  amount_max: AmountFilter.optional().meta({
    description: 'Only transactions of at most this amount (a decimal string).',
  }),
};

export const TransactionListQuery = z.strictObject(listQueryShape);
export const UserTransactionListQuery = z.strictObject({
  ...listQueryShape,
  type: z.enum(TRANSACTION_TYPES).optional(),
});
export type UserTransactionListQuery = z.infer<typeof UserTransactionListQuery>;

export const TransactionIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'id must be a positive integer')
    .transform(Number),
});
export const UserIdParams = z.strictObject({
  user_id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'user_id must be a positive integer')
    .transform(Number),
});

// --- responses ---

export const TransactionWire = z
  .object({
    id: EntityId,
    user_id: EntityId,
    type: z.enum(TRANSACTION_TYPES),
    status: z.enum(TRANSACTION_STATUSES),
    amount: AmountText,
    currency: CurrencyCode,
    bank_reference: z.string().nullable(),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
    idempotency_key: z.string().nullable(),
    created_at: ISO_TIME,
    updated_at: ISO_TIME,
    completed_at: ISO_TIME.nullable(),
  })
  .meta({
    id: 'Transaction',
    example: {
      id: 42,
      user_id: 1,
      type: 'deposit',
      status: 'pending',
      amount: '100.50',
      currency: 'USD',
      bank_reference: null,
      error_code: null,
      error_message: null,
      idempotency_key: 'b7f3c1e2-4d5a-4f6b-9c8d-0e1f2a3b4c5d',
      created_at: '2026-11-27T10:15:30.123Z',
      updated_at: '2026-11-27T10:15:30.123Z',
      completed_at: null,
    },
  });
export type TransactionWire = z.infer<typeof TransactionWire>;

export const TransactionEventWire = z
  .object({
    from_status: z.enum(TRANSACTION_STATUSES).nullable(),
    to_status: z.enum(TRANSACTION_STATUSES),
    cause: z.string(),
    bank_reference: z.string().nullable(),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
    request_id: z.string().nullable(),
    created_at: ISO_TIME,
  })
  .meta({ id: 'TransactionEvent' });
export type TransactionEventWire = z.infer<typeof TransactionEventWire>;

export const TransactionDetailWire = TransactionWire.extend({ events: z.array(TransactionEventWire) }).meta({
  id: 'TransactionDetail',
  example: {
    id: 42,
    user_id: 1,
    type: 'deposit',
    status: 'success',
    amount: '100.50',
    currency: 'USD',
    bank_reference: 'BNK-9F3K2Q7M',
    error_code: null,
    error_message: null,
    idempotency_key: 'b7f3c1e2-4d5a-4f6b-9c8d-0e1f2a3b4c5d',
    created_at: '2026-11-27T10:15:30.123Z',
    updated_at: '2026-11-27T10:15:34.480Z',
    completed_at: '2026-11-27T10:15:34.480Z',
    events: [
      {
        from_status: null,
        to_status: 'pending',
        cause: 'api.create',
        bank_reference: null,
        error_code: null,
        error_message: null,
        request_id: 'req-1',
        created_at: '2026-11-27T10:15:30.123Z',
      },
      {
        from_status: 'pending',
        to_status: 'processing',
        cause: 'worker.submit',
        bank_reference: null,
        error_code: null,
        error_message: null,
        request_id: 'req-1',
        created_at: '2026-11-27T10:15:30.140Z',
      },
      {
        from_status: 'processing',
        to_status: 'success',
        cause: 'bank.webhook',
        bank_reference: 'BNK-9F3K2Q7M',
        error_code: null,
        error_message: null,
        request_id: 'req-1',
        created_at: '2026-11-27T10:15:34.480Z',
      },
    ],
  },
});
export type TransactionDetailWire = z.infer<typeof TransactionDetailWire>;

export const TransactionPage = z
  .object({
    items: z.array(TransactionWire),
    total: z.number().int().nonnegative(),
    /** True when `total` is past the exact-count bound and is the database's estimate. */
    total_is_estimate: z.boolean(),
    limit: z.number().int().min(PAGE_LIMIT_MIN).max(PAGE_LIMIT_MAX),
    offset: z.number().int().nonnegative(),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'TransactionPage' });
export type TransactionPage = z.infer<typeof TransactionPage>;

// --- encoders: domain (camelCase, bigint, Date) -> wire (snake_case, decimal strings, ISO text) ---

export function encodeTransaction(transaction: Transaction): TransactionWire {
  return {
    id: transaction.id,
    user_id: transaction.userId,
    type: transaction.type,
    status: transaction.status,
    amount: formatAmount(transaction.amountMinor),
    currency: transaction.currency,
    bank_reference: transaction.bankReference,
    error_code: transaction.errorCode,
    error_message: transaction.errorMessage,
    idempotency_key: transaction.idempotencyKey,
    created_at: transaction.createdAt.toISOString(),
    updated_at: transaction.updatedAt.toISOString(),
    completed_at: transaction.completedAt?.toISOString() ?? null,
  };
}

export function encodeTransactionEvent(event: TransactionEvent): TransactionEventWire {
  return {
    from_status: event.fromStatus,
    to_status: event.toStatus,
    cause: event.cause,
    bank_reference: event.bankReference,
    error_code: event.errorCode,
    error_message: event.errorMessage,
    request_id: event.requestId,
    created_at: event.createdAt.toISOString(),
  };
}
