import { assert } from '@paygate/domain';

import type { Order } from '../services/order';
import type { Pool } from './database';
import { orderColumns, orderFromRow } from './order-rows';
import type { OrderRow } from './order-rows';

/** Webhooks waiting to be sent, claimed under a lease so that one process sends each attempt. */

export interface ClaimedWebhook {
  webhookId: string;
  /** Counts from 1: this attempt's number, already written when the webhook was claimed. */
  attemptCount: number;
  copyCount: number;
  isOutOfOrder: boolean;
  order: Order;
}

/** The webhook columns a claiming statement returns beside the order's. */
export interface ClaimedColumns {
  webhook_id: string;
  attempt_count: number;
  copy_count: number;
  is_out_of_order: boolean;
}

export function claimedWebhookOf(row: ClaimedColumns, order: Order): ClaimedWebhook {
  assert(row.attempt_count > 0, 'a claimed webhook has its attempt counted');
  assert(row.copy_count === 1 || row.copy_count === 2, 'a webhook is sent once or twice per attempt');
  return {
    webhookId: row.webhook_id,
    attemptCount: row.attempt_count,
    copyCount: row.copy_count,
    isOutOfOrder: row.is_out_of_order,
    order,
  };
}

export type AttemptRecord =
  | { webhookId: string; attemptCount: number; outcome: 'delivered'; error: null }
  | { webhookId: string; attemptCount: number; outcome: 'retry'; retryDelayMs: number; error: string }
  | { webhookId: string; attemptCount: number; outcome: 'given_up'; error: string };

export interface ClaimOptions {
  countMax: number;
  /** How long a claimed attempt stays this process's; past it, another process may claim it again. */
  leaseMs: number;
  /** Out-of-order webhooks are sent one after another, so their lease covers the whole group. */
  outOfOrderLeaseMs: number;
}

export class WebhookRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Claims due webhooks in one statement: the attempt is counted and the row moved to the lease's end,
   * so a process that dies mid-post leaves it due again once the lease runs out (at-least-once).
   */
  async claimDue(options: ClaimOptions): Promise<ClaimedWebhook[]> {
    assert(Number.isInteger(options.countMax) && options.countMax > 0, 'a claim takes a positive count');
    const claimed = await this.pool.query<OrderRow & ClaimedColumns>(
      `WITH due AS (
         SELECT id FROM bank_webhooks
         WHERE delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= now()
         ORDER BY next_attempt_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE bank_webhooks AS w
       SET attempt_count = w.attempt_count + 1,
           next_attempt_at = now() + (CASE WHEN w.is_out_of_order THEN $3 ELSE $2 END)::integer * interval '1 millisecond'
       FROM due, bank_orders AS o
       WHERE w.id = due.id AND o.bank_reference = w.bank_reference
       RETURNING w.id::text AS webhook_id, w.attempt_count, w.copy_count, w.is_out_of_order, ${orderColumns('o')}`,
      [options.countMax, options.leaseMs, options.outOfOrderLeaseMs],
    );
    return claimed.rows.map((row) => claimedWebhookOf(row, orderFromRow(row)));
  }

  /**
   * Writes the results of many attempts in one statement. The attempt count in the guard makes a result
   * that comes back after its lease was lost (another process claimed the webhook again) change nothing.
   */
  async recordAttempts(records: readonly AttemptRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.pool.query(
      `UPDATE bank_webhooks AS w
       SET delivered_at = CASE WHEN r.outcome = 'delivered' THEN now() END,
           given_up_at = CASE WHEN r.outcome = 'given_up' THEN now() END,
           next_attempt_at = CASE WHEN r.outcome = 'retry'
                                  THEN now() + r.retry_delay_ms * interval '1 millisecond'
                                  ELSE w.next_attempt_at END,
           last_error = r.error,
           is_out_of_order = false
       FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::integer[], $5::text[])
            AS r(id, attempt_count, outcome, retry_delay_ms, error)
       WHERE w.id = r.id AND w.attempt_count = r.attempt_count
         AND w.delivered_at IS NULL AND w.given_up_at IS NULL`,
      [
        records.map((record) => record.webhookId),
        records.map((record) => record.attemptCount),
        records.map((record) => record.outcome),
        records.map((record) => (record.outcome === 'retry' ? record.retryDelayMs : 0)),
        records.map((record) => record.error),
      ],
    );
  }

  /** Makes held out-of-order webhooks due now (out_of_order was switched off). */
  async releaseOutOfOrder(): Promise<number> {
    const released = await this.pool.query(
      `UPDATE bank_webhooks SET next_attempt_at = now()
       WHERE is_out_of_order AND attempt_count = 0 AND delivered_at IS NULL AND given_up_at IS NULL
         AND next_attempt_at > now()`,
    );
    return released.rowCount ?? 0;
  }

  /** The webhooks of one order, for the operator's questions (and the tests'). */
  async listForOrder(bankReference: string): Promise<WebhookState[]> {
    const found = await this.pool.query<{
      attempt_count: number;
      delivered_at: Date | null;
      given_up_at: Date | null;
    }>(`SELECT attempt_count, delivered_at, given_up_at FROM bank_webhooks WHERE bank_reference = $1 ORDER BY id`, [
      bankReference,
    ]);
    return found.rows.map((row) => ({
      attemptCount: row.attempt_count,
      isDelivered: row.delivered_at !== null,
      isGivenUp: row.given_up_at !== null,
    }));
  }
}

export interface WebhookState {
  attemptCount: number;
  isDelivered: boolean;
  isGivenUp: boolean;
}
