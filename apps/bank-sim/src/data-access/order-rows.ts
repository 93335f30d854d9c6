import { assert } from '@paygate/domain';
import { isTransactionType } from '@paygate/domain/transaction-status';

import type { Order, OrderStatus, SettledStatus } from '../services/order';
import { ORDER_STATUSES } from '../services/order';

/** The columns of bank_orders every query returns, and their mapping to the plain Order the services use. */

export const ORDER_COLUMNS = [
  'bank_reference',
  'merchant_id',
  'idempotency_key',
  'fingerprint',
  'reference',
  'type',
  'amount_minor',
  'currency',
  'request_id',
  'status',
  'error_message',
  'planned_status',
  'planned_error_message',
  'created_at',
  'settle_at',
  'settled_at',
] as const;

/** `o.bank_reference, o.merchant_id, ...` for a query that names the orders table `alias`. */
export function orderColumns(alias: string): string {
  return ORDER_COLUMNS.map((column) => `${alias}.${column}`).join(', ');
}

export interface OrderRow {
  bank_reference: string;
  merchant_id: string;
  idempotency_key: string;
  fingerprint: string;
  reference: string;
  type: string;
  /** pg returns bigint as text, so no precision is lost on the way. */
  amount_minor: string;
  currency: string;
  request_id: string | null;
  status: string;
  error_message: string | null;
  planned_status: string;
  planned_error_message: string | null;
  created_at: Date;
  settle_at: Date;
  settled_at: Date | null;
}

export function orderFromRow(row: OrderRow): Order {
  const amountMinor = BigInt(row.amount_minor);
  // The same invariants the table checks, asserted again on the way out (paired assertions).
  assert(amountMinor > 0n, 'a stored order has a positive amount');
  assert(isTransactionType(row.type), 'a stored order has a known type');
  assert(isOrderStatus(row.status), 'a stored order has a known status');
  assert(isSettledStatus(row.planned_status), 'a stored order plans a final status');
  assert((row.status === 'pending') === (row.settled_at === null), 'settled_at is set exactly when settled');
  return {
    merchantId: row.merchant_id,
    bankReference: row.bank_reference,
    idempotencyKey: row.idempotency_key,
    fingerprint: row.fingerprint,
    reference: row.reference,
    type: row.type,
    amountMinor,
    currency: row.currency,
    requestId: row.request_id ?? undefined,
    status: row.status,
    errorMessage: row.error_message,
    createdAtMs: row.created_at.getTime(),
    settleAtMs: row.settle_at.getTime(),
    settledAtMs: row.settled_at === null ? null : row.settled_at.getTime(),
    plannedOutcome: { status: row.planned_status, errorMessage: row.planned_error_message },
  };
}

function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

function isSettledStatus(value: string): value is SettledStatus {
  return value === 'success' || value === 'failed';
}
