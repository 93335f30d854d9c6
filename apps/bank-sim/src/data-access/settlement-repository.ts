import { assert } from '@paygate/domain';

import type { Order } from '../services/order';
import type { Pool } from './database';
import { orderColumns, orderFromRow } from './order-rows';
import type { OrderRow } from './order-rows';

/** What happens to the webhooks of the orders one statement settles (the control switches of that moment). */
export type WebhookPlan =
  | { kind: 'drop' }
  /** `heldUntilMs` is set when out_of_order is on: the first attempt waits for the window to close. */
  | { kind: 'send'; copyCount: 1 | 2; heldUntilMs: number | null };

export class SettlementRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Settles the due orders, earliest first, and queues their webhooks, in one statement. SKIP LOCKED lets
   * several bank processes share the work without waiting on each other, and the `status = 'pending'`
   * guard means an order settles once whoever gets there.
   */
  async settleDue(batchSizeMax: number, plan: WebhookPlan): Promise<Order[]> {
    assert(Number.isInteger(batchSizeMax) && batchSizeMax > 0, 'a settle batch has a positive size');
    const isSent = plan.kind === 'send';
    const settled = await this.pool.query<OrderRow>(
      `WITH due AS (
         SELECT bank_reference FROM bank_orders
         WHERE status = 'pending' AND settle_at <= now()
         ORDER BY settle_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       ), settled AS (
         UPDATE bank_orders AS o
         SET status = o.planned_status, error_message = o.planned_error_message, settled_at = now()
         FROM due
         WHERE o.bank_reference = due.bank_reference AND o.status = 'pending'
         RETURNING ${orderColumns('o')}
       ), queued AS (
         INSERT INTO bank_webhooks (bank_reference, copy_count, is_out_of_order, next_attempt_at)
         SELECT bank_reference, $3::smallint, $4::timestamptz IS NOT NULL, coalesce($4::timestamptz, now())
         FROM settled
         WHERE $2::boolean
       )
       SELECT * FROM settled`,
      [
        batchSizeMax,
        isSent,
        isSent ? plan.copyCount : 1,
        isSent && plan.heldUntilMs !== null ? new Date(plan.heldUntilMs) : null,
      ],
    );
    return settled.rows.map(orderFromRow);
  }

  /**
   * How long until the next order is due or, when `isWebhookDueCounted`, the next webhook attempt (or
   * lease end) comes up, by the database's clock, which every bank process shares; null when nothing waits.
   */
  async nextDueInMs(options: { isWebhookDueCounted: boolean }): Promise<number | null> {
    const due = await this.pool.query<{ order_due_in_ms: number | null; webhook_due_in_ms: number | null }>(
      `SELECT
         (SELECT (extract(epoch FROM min(settle_at) - now()) * 1000)::float8
            FROM bank_orders WHERE status = 'pending') AS order_due_in_ms,
         (SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8
            FROM bank_webhooks WHERE delivered_at IS NULL AND given_up_at IS NULL AND $1::boolean) AS webhook_due_in_ms`,
      [options.isWebhookDueCounted],
    );
    const row = due.rows[0];
    assert(row !== undefined, 'an aggregate query returns one row');
    const candidates = [row.order_due_in_ms, row.webhook_due_in_ms].filter((value) => value !== null);
    return candidates.length === 0 ? null : Math.min(...candidates);
  }
}
