import { assert } from '@paygate/domain';

import type { NewOrder, Order } from '../services/order';
import type { Pool } from './database';
import { orderColumns, orderFromRow } from './order-rows';
import type { OrderRow } from './order-rows';

/** Orders in the bank's own database; every statement runs alone, so none holds a lock past its commit. */

export type InsertOrderResult =
  | { kind: 'inserted'; order: Order }
  /** The merchant already placed an order with this key: it is returned as it stands. */
  | { kind: 'key_taken'; existing: Order }
  /** Another order has the drawn bank reference (a repeated seed, say); draw another. */
  | { kind: 'reference_taken' };

export class OrderRepository {
  constructor(private readonly pool: Pool) {}

  /** One round trip in the common case: the unique constraints decide, not a read before the write. */
  async insert(order: NewOrder): Promise<InsertOrderResult> {
    assert(order.amountMinor > 0n, 'an order has a positive amount');
    assert(Number.isInteger(order.settleDelayMs) && order.settleDelayMs >= 0, 'a settle delay is whole ms');
    const inserted = await this.pool.query<OrderRow>(
      `INSERT INTO bank_orders AS o (bank_reference, merchant_id, idempotency_key, fingerprint, reference, type,
         amount_minor, currency, request_id, planned_status, planned_error_message, settle_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + $12::integer * interval '1 millisecond')
       ON CONFLICT DO NOTHING
       RETURNING ${orderColumns('o')}`,
      [
        order.bankReference,
        order.merchantId,
        order.idempotencyKey,
        order.fingerprint,
        order.reference,
        order.type,
        order.amountMinor.toString(),
        order.currency,
        order.requestId ?? null,
        order.plannedOutcome.status,
        order.plannedOutcome.errorMessage,
        order.settleDelayMs,
      ],
    );
    const row = inserted.rows[0];
    if (row !== undefined) return { kind: 'inserted', order: orderFromRow(row) };
    // ON CONFLICT waited for any racing insert to commit, so the row that won is visible now.
    const existing = await this.findByKey(order.merchantId, order.idempotencyKey);
    return existing === undefined ? { kind: 'reference_taken' } : { kind: 'key_taken', existing };
  }

  async findByKey(merchantId: string, idempotencyKey: string): Promise<Order | undefined> {
    const found = await this.pool.query<OrderRow>(
      `SELECT ${orderColumns('o')} FROM bank_orders AS o WHERE o.merchant_id = $1 AND o.idempotency_key = $2`,
      [merchantId, idempotencyKey],
    );
    const row = found.rows[0];
    return row === undefined ? undefined : orderFromRow(row);
  }

  /**
   * By bank reference or by idempotency key, within the merchant only. Should a key happen to equal
   * another order's bank reference, the bank reference wins: it is the bank's own name for an order.
   */
  async findByBankReferenceOrKey(merchantId: string, referenceOrKey: string): Promise<Order | undefined> {
    const found = await this.pool.query<OrderRow>(
      `SELECT ${orderColumns('o')} FROM bank_orders AS o
       WHERE o.merchant_id = $1 AND (o.bank_reference = $2 OR o.idempotency_key = $2)
       ORDER BY o.bank_reference = $2 DESC
       LIMIT 1`,
      [merchantId, referenceOrKey],
    );
    const row = found.rows[0];
    return row === undefined ? undefined : orderFromRow(row);
  }

  /** Every order the bank keeps, for BANK_ORDER_COUNT_MAX. */
  async count(): Promise<number> {
    const counted = await this.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM bank_orders');
    return counted.rows[0]?.count ?? 0;
  }
}
