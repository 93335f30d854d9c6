import { assert } from '@paygate/domain';

import type { Order } from '../services/order';
import type { Pool } from './database';
import { orderColumns, orderFromRow } from './order-rows';
import type { OrderRow } from './order-rows';
import { claimedWebhookOf } from './webhook-repository';
import type { ClaimedColumns, ClaimedWebhook } from './webhook-repository';

/** What happens to the webhooks of the orders one statement settles (the control switches of that moment). */
export type WebhookPlan =
  | { kind: 'drop' }
  /** `heldUntilMs` is set when out_of_order is on: the first attempt waits for the window to close. */
  | { kind: 'send'; copyCount: 1 | 2; heldUntilMs: number | null };

/** The webhook columns of the settle statement: null when the order's webhook was dropped. */
type QueuedColumns = { [Column in keyof ClaimedColumns]: ClaimedColumns[Column] | null };

export interface SettleResult {
  settled: Order[];
  /** Webhooks of those orders claimed by the same statement, up to the count asked for, in settle order. */
  claimed: ClaimedWebhook[];
}

export class SettlementRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Settles the due orders, earliest first, queues their webhooks and claims the first `claimCountMax`
   * of them for this process, in one statement: at zero delay the webhook leaves one round trip after
   * the settlement. SKIP LOCKED lets several bank processes share the work without waiting on each
   * other, and the `status = 'pending'` guard means an order settles once whoever gets there.
   */
  async settleDue(
    batchSizeMax: number,
    plan: WebhookPlan,
    claim: { countMax: number; leaseMs: number },
  ): Promise<SettleResult> {
    assert(Number.isInteger(batchSizeMax) && batchSizeMax > 0, 'a settle batch has a positive size');
    assert(Number.isInteger(claim.countMax) && claim.countMax >= 0, 'a claim count is a whole number');
    const isSent = plan.kind === 'send';
    const heldUntil = isSent && plan.heldUntilMs !== null ? new Date(plan.heldUntilMs) : null;
    // A held (out-of-order) webhook waits for its window: none is claimed now.
    const claimCountMax = heldUntil === null ? claim.countMax : 0;
    const rows = await this.pool.query<OrderRow & QueuedColumns>(
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
       ), ranked AS (
         SELECT bank_reference, row_number() OVER (ORDER BY settle_at, bank_reference) AS claim_rank FROM settled
       ), queued AS (
         INSERT INTO bank_webhooks (bank_reference, copy_count, is_out_of_order, attempt_count, next_attempt_at)
         SELECT bank_reference, $3::smallint, $4::timestamptz IS NOT NULL,
                CASE WHEN claim_rank <= $5 THEN 1 ELSE 0 END,
                CASE WHEN claim_rank <= $5 THEN now() + $6::integer * interval '1 millisecond'
                     ELSE coalesce($4::timestamptz, now()) END
         FROM ranked
         WHERE $2::boolean
         RETURNING id::text AS webhook_id, bank_reference, attempt_count, copy_count, is_out_of_order
       )
       SELECT settled.*, queued.webhook_id, queued.attempt_count, queued.copy_count, queued.is_out_of_order
       FROM settled LEFT JOIN queued USING (bank_reference)
       ORDER BY settled.settle_at, settled.bank_reference`,
      [batchSizeMax, isSent, isSent ? plan.copyCount : 1, heldUntil, claimCountMax, claim.leaseMs],
    );
    const settled = rows.rows.map(orderFromRow);
    const claimed = rows.rows.flatMap((row, index) => {
      const order = settled[index];
      assert(order !== undefined, 'one order per row');
      const { webhook_id, attempt_count, copy_count, is_out_of_order } = row;
      // No webhook (dropped), or queued without being claimed (no free slot, or held back).
      if (webhook_id === null || attempt_count === null || attempt_count === 0) return [];
      assert(copy_count !== null && is_out_of_order !== null, 'a queued webhook has all its columns');
      return [claimedWebhookOf({ webhook_id, attempt_count, copy_count, is_out_of_order }, order)];
    });
    assert(claimed.length <= claimCountMax, 'no more webhooks claimed than asked for');
    return { settled, claimed };
  }

  /**
   * How long until the next order is due and the next webhook attempt (or lease end) comes up, by the
   * database's clock, which every bank process shares; null where nothing waits. The sweep's question.
   */
  async nextDueInMs(): Promise<{ orderDueInMs: number | null; webhookDueInMs: number | null }> {
    const due = await this.pool.query<{ order_due_in_ms: number | null; webhook_due_in_ms: number | null }>(
      `SELECT
         (SELECT (extract(epoch FROM min(settle_at) - now()) * 1000)::float8
            FROM bank_orders WHERE status = 'pending') AS order_due_in_ms,
         (SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8
            FROM bank_webhooks WHERE delivered_at IS NULL AND given_up_at IS NULL) AS webhook_due_in_ms`,
    );
    const row = due.rows[0];
    assert(row !== undefined, 'an aggregate query returns one row');
    return { orderDueInMs: row.order_due_in_ms, webhookDueInMs: row.webhook_due_in_ms };
  }
}
