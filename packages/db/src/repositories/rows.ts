import type { Transaction, TransactionEvent, TransactionStatus, TransactionType } from '@paygate/domain';
import { assert, isTransactionStatus, isTransactionType } from '@paygate/domain';

/** pg returns bigint columns as text; ids fit a JS number (asserted), amounts become bigint. */

export interface TransactionRow {
  id: string;
  user_id: string;
  type: string;
  status: string;
  amount: string;
  currency: string;
  bank_reference: string | null;
  error_code: string | null;
  error_message: string | null;
  idempotency_key: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface EventRow {
  from_status: string | null;
  to_status: string;
  cause: string;
  bank_reference: string | null;
  error_code: string | null;
  error_message: string | null;
  request_id: string | null;
  created_at: Date | string;
}

export const TRANSACTION_COLUMNS =
  'id, user_id, type, status, amount, currency, bank_reference, error_code, error_message, idempotency_key, created_at, updated_at, completed_at';

/** The columns of a transaction's trip to the bank, beside TRANSACTION_COLUMNS. */
export const SUBMISSION_COLUMNS = 'bank_order_key, submitted_at, request_id';

export interface SubmissionRow extends TransactionRow {
  bank_order_key: string | null;
  submitted_at: Date | null;
  request_id: string | null;
}

/**
 * A transaction as the worker and the reconciler see it: with the order key it is (or will be) placed
 * under at the bank, when it was first submitted, and the request id that travels with it.
 */
export interface TransactionSubmission {
  transaction: Transaction;
  orderKey: string | null;
  submittedAt: Date | null;
  requestId: string | null;
}

export function toSubmission(row: SubmissionRow): TransactionSubmission {
  assert((row.bank_order_key === null) === (row.submitted_at === null), 'an order key comes with its submission time');
  return {
    transaction: toTransaction(row),
    orderKey: row.bank_order_key,
    submittedAt: row.submitted_at,
    requestId: row.request_id,
  };
}

export function toId(value: string | number): number {
  const id = Number(value);
  assert(Number.isSafeInteger(id) && id > 0, `id out of range: ${value}`);
  return id;
}

export function toTransaction(row: TransactionRow): Transaction {
  const amountMinor = BigInt(row.amount);
  assert(amountMinor > 0n, 'a stored transaction has a positive amount');
  return {
    id: toId(row.id),
    userId: toId(row.user_id),
    type: toType(row.type),
    status: toStatus(row.status),
    amountMinor,
    currency: row.currency,
    bankReference: row.bank_reference,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

/**
 * A transaction as snapshotted in jsonb (to_jsonb of its row): what the idempotency record keeps of a
 * created transaction, so a replay answers with the transaction as it was then.
 */
export function transactionFromSnapshot(snapshot: unknown): Transaction {
  assert(typeof snapshot === 'object' && snapshot !== null, 'a transaction snapshot is an object');
  const value = snapshot as Record<string, unknown>;
  const text = (key: string): string => {
    const field = value[key];
    assert(typeof field === 'string', `snapshot field ${key} is text`);
    return field;
  };
  const nullableText = (key: string): string | null => (value[key] === null ? null : text(key));
  const integer = (key: string): string => {
    const field = value[key];
    assert(typeof field === 'number' && Number.isSafeInteger(field), `snapshot field ${key} is a safe integer`);
    return String(field);
  };
  const completedAt = nullableText('completed_at');
  return toTransaction({
    id: integer('id'),
    user_id: integer('user_id'),
    type: text('type'),
    status: text('status'),
    amount: integer('amount'),
    currency: text('currency'),
    bank_reference: nullableText('bank_reference'),
    error_code: nullableText('error_code'),
    error_message: nullableText('error_message'),
    idempotency_key: nullableText('idempotency_key'),
    created_at: new Date(text('created_at')),
    updated_at: new Date(text('updated_at')),
    completed_at: completedAt === null ? null : new Date(completedAt),
  });
}

export function toEvent(row: EventRow): TransactionEvent {
  return {
    fromStatus: row.from_status === null ? null : toStatus(row.from_status),
    toStatus: toStatus(row.to_status),
    cause: row.cause,
    bankReference: row.bank_reference,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    requestId: row.request_id,
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}

export function toStatus(value: string): TransactionStatus {
  assert(isTransactionStatus(value), `unknown status in database: ${value}`);
  return value;
}

export function toType(value: string): TransactionType {
  assert(isTransactionType(value), `unknown type in database: ${value}`);
  return value;
}
