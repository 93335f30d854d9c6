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
