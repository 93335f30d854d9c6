import type { TransactionType } from '@paygate/domain/transaction-status';

/** An order as the bank keeps it: what the merchant asked for, what the bank planned, and where it stands. */

export const ORDER_STATUSES = ['pending', 'success', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type SettledStatus = Exclude<OrderStatus, 'pending'>;

export interface Outcome {
  status: SettledStatus;
  errorMessage: string | null;
}

/** What the merchant asked for, decoded at the edge. */
export interface OrderRequest {
  reference: string;
  type: TransactionType;
  amountMinor: bigint;
  currency: string;
}

export interface Order extends OrderRequest {
  merchantId: string;
  bankReference: string;
  /** The merchant's Idempotency-Key, unique within the merchant; the webhook carries it as `order_key`. */
  idempotencyKey: string;
  /** Canonical hash of the request: the same key with another body is a reused key. */
  fingerprint: string;
  /** The caller's X-Request-ID, carried back on the webhook. */
  requestId: string | undefined;
  status: OrderStatus;
  errorMessage: string | null;
  createdAtMs: number;
  /** When the bank settles it: acceptance time plus the drawn delay. */
  settleAtMs: number;
  settledAtMs: number | null;
  /** Drawn at acceptance, so a seeded run repeats itself whatever the timers and restarts do. */
  plannedOutcome: Outcome;
}

/** What the bank writes when it accepts an order; the database adds the times and the status. */
export interface NewOrder extends OrderRequest {
  merchantId: string;
  bankReference: string;
  idempotencyKey: string;
  fingerprint: string;
  requestId: string | undefined;
  settleDelayMs: number;
  plannedOutcome: Outcome;
}
