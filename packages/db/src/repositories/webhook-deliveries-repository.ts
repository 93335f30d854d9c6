import type { Transaction, WebhookDelivery, WebhookDeliveryAttempt } from '@paygate/domain';
import { assert } from '@paygate/domain';

import type { Pool } from '../pool';
import { withTransaction } from '../pool';
import { toId, transactionFromSnapshot } from './rows';
import type { AttemptRow, DeliveryRow } from './webhook-rows';
import { DELIVERY_COLUMNS, toAttempt, toDelivery } from './webhook-rows';

/** A delivery with its most recent attempts, newest first. */
export interface DeliveryWithAttempts {
  delivery: WebhookDelivery;
  attempts: WebhookDeliveryAttempt[];
}

export interface DeliveryPage {
  items: DeliveryWithAttempts[];
  /** The id to pass as `beforeId` for the next page, or null on the last page. */
  nextBeforeId: number | null;
}

/** A delivery the worker holds a lease on, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  endpointId: number;
  eventId: number;
  url: string;
  secretCiphertext: string;
  /** Null when the stored row does not decode (a bug, never a receiver's fault): the worker fails it. */
  transaction: Transaction | null;
  eventCreatedAt: Date;
  /** Attempts made before this one. */
  attemptCount: number;
  /** Null: the worker's retry schedule decides; set by a manual retry. */
  attemptCountMax: number | null;
  /** The previous lease ran out without an answer recorded: this claim recorded that attempt as lost. */
  lostAttempt: boolean;
}

/** What one attempt came to, and what happens next. */
export type AttemptResult =
  | { outcome: 'delivered'; statusCode: number }
  | { outcome: 'failed'; statusCode: number | null; error: string; retryDelayS: number | null };

export interface RecordAttemptInput {
  deliveryId: number;
  endpointId: number;
  startedAt: Date;
  durationMs: number;
  result: AttemptResult;
  /** The endpoint is disabled when it has been failing at least this long and a delivery just ran out. */
  scheduleTotalS: number;
}

export type RecordAttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'endpoint_disabled' | 'gone';

/** Attempts kept with each delivery in a page (the schedule has 8; manual retries add more). */
const ATTEMPTS_PER_DELIVERY_MAX = 20;
const ERROR_LENGTH_MAX = 500;
const LOST_ATTEMPT_ERROR =
  'No answer recorded: the worker stopped or stalled during this attempt (the receiver may have got it); sent again.';

export class WebhookDeliveriesRepository {
  constructor(private readonly pool: Pool) {}

  /** An endpoint's deliveries, newest first, keyset on id. The endpoint must be the user's. */
  async page(userId: number, endpointId: number, limit: number, beforeId: number | null): Promise<DeliveryPage> {
    const { rows } = await this.pool.query<DeliveryRow & { attempts: AttemptRow[] }>(
      `SELECT ${prefixed('d', DELIVERY_COLUMNS)},
              coalesce((SELECT jsonb_agg(a ORDER BY a.id DESC) FROM (
                 SELECT id, attempt_count, started_at, duration_ms, outcome, status_code, error
                   FROM webhook_delivery_attempts WHERE delivery_id = d.id ORDER BY id DESC LIMIT $5) a), '[]') AS attempts
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE e.user_id = $1 AND d.endpoint_id = $2 AND ($3::bigint IS NULL OR d.id < $3)
        ORDER BY d.id DESC LIMIT $4`,
      [userId, endpointId, beforeId, limit + 1, ATTEMPTS_PER_DELIVERY_MAX],
    );
    const items = rows.slice(0, limit).map((row) => ({
      delivery: toDelivery(row),
      attempts: row.attempts.map((attempt) => toAttempt({ ...attempt, started_at: new Date(attempt.started_at) })),
    }));
    const last = items.at(-1);
    return { items, nextBeforeId: rows.length > limit && last ? last.delivery.id : null };
  }

  /**
   * Due again now, for one more attempt beyond whatever was made. A delivery of a disabled endpoint
   * re-enables it: asking for a retry is the owner saying the receiver is back.
   */
  async retry(userId: number, endpointId: number, deliveryId: number): Promise<DeliveryWithAttempts | null> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<DeliveryRow>(
        `UPDATE webhook_deliveries d
            SET status = 'pending', delivered_at = NULL, next_attempt_at = now(), leased_until = NULL,
                attempt_count_max = CASE WHEN d.status = 'pending' THEN d.attempt_count_max ELSE d.attempt_count + 1 END
           FROM webhook_endpoints e
          WHERE e.id = d.endpoint_id AND e.user_id = $1 AND d.endpoint_id = $2 AND d.id = $3
          RETURNING ${prefixed('d', DELIVERY_COLUMNS)}`,
        [userId, endpointId, deliveryId],
      );
      const row = rows[0];
      if (row === undefined) return null;
      await client.query(
        'UPDATE webhook_endpoints SET disabled_at = NULL, failing_since = NULL WHERE id = $1 AND disabled_at IS NOT NULL',
        [endpointId],
      );
      return { delivery: toDelivery(row), attempts: [] };
    });
  }

  /**
   * Leases up to `count` due deliveries: their next attempt moves `leaseMs` ahead, so a worker that dies
   * mid-attempt leaves them due again when the lease runs out (at least once), and SKIP LOCKED lets
   * several workers claim side by side. A delivery still holding a lease that ran out lost its attempt (the
   * worker stopped or stalled before recording an answer): that attempt is recorded as 'lost' and counted,
   * in the same statement, so the deliveries log shows every attempt made.
   */
  async claimDue(count: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    assert(count > 0 && leaseMs > 0, 'a claim takes at least one delivery for some time');
    const { rows } = await this.pool.query<{
      id: string;
      endpoint_id: string;
      event_id: string;
      payload: unknown;
      event_created_at: Date;
      attempt_count: number;
      attempt_count_max: number | null;
      url: string;
      secret_ciphertext: string;
      lost_attempt: boolean;
    }>(
      `WITH due AS (
         SELECT id, leased_until AS lost_until, coalesce(lease_started_at, leased_until) AS lost_started_at
           FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1
          FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE webhook_deliveries d
            SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
                leased_until = now() + make_interval(secs => $2::double precision / 1000),
                lease_started_at = now(),
                attempt_count = d.attempt_count + (due.lost_until IS NOT NULL)::int,
                last_status_code = CASE WHEN due.lost_until IS NULL THEN d.last_status_code END,
                last_error = CASE WHEN due.lost_until IS NULL THEN d.last_error ELSE $3 END
           FROM due, webhook_endpoints e
          WHERE d.id = due.id AND e.id = d.endpoint_id
          RETURNING d.id, d.endpoint_id, d.event_id, d.payload, d.event_created_at, d.attempt_count,
                    d.attempt_count_max, e.url, e.secret_ciphertext, due.lost_until IS NOT NULL AS lost_attempt,
                    due.lost_until, due.lost_started_at),
       lost AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, attempt_count, started_at, duration_ms, outcome, error)
         SELECT id, attempt_count, lost_started_at,
                greatest(0, round(extract(epoch FROM lost_until - lost_started_at) * 1000))::int, 'lost', $3
           FROM claimed WHERE lost_attempt)
       SELECT id, endpoint_id, event_id, payload, event_created_at, attempt_count, attempt_count_max, url,
              secret_ciphertext, lost_attempt
         FROM claimed`,
      [count, leaseMs, LOST_ATTEMPT_ERROR],
    );
    return rows.map((row) => ({
      id: toId(row.id),
      endpointId: toId(row.endpoint_id),
      eventId: toId(row.event_id),
      url: row.url,
      secretCiphertext: row.secret_ciphertext,
      transaction: decodeSnapshot(row.payload),
      eventCreatedAt: row.event_created_at,
      attemptCount: row.attempt_count,
      attemptCountMax: row.attempt_count_max,
      lostAttempt: row.lost_attempt,
    }));
  }

  /**
   * The attempt, the delivery's new state and the endpoint's health, in one transaction. A success clears
   * the endpoint's failing_since; a failure sets it if unset; a delivery that ran out of attempts disables
   * the endpoint when it has been failing for the whole schedule, and fails its other pending deliveries.
   */
  async recordAttempt(input: RecordAttemptInput): Promise<RecordAttemptOutcome> {
    const { result } = input;
    if (result.outcome === 'delivered') return this.#recordDelivered(input, result.statusCode);
    const error = result.error.slice(0, ERROR_LENGTH_MAX);
    return withTransaction(this.pool, async (client) => {
      const updated = await client.query<{ attempt_count: number }>(
        `UPDATE webhook_deliveries
            SET attempt_count = attempt_count + 1, leased_until = NULL,
                last_status_code = $2, last_error = $3,
                status = CASE WHEN $4::integer IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = CASE WHEN $4::integer IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $4::integer) END
          WHERE id = $1 AND status = 'pending'
          RETURNING attempt_count`,
        [input.deliveryId, result.statusCode, error, result.retryDelayS],
      );
      const attemptCount = updated.rows[0]?.attempt_count;
      // Deleted with its endpoint, or finished by another worker whose lease overlapped: nothing to record.
      if (attemptCount === undefined) return 'gone';
      await client.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt_count, started_at, duration_ms, outcome, status_code, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [input.deliveryId, attemptCount, input.startedAt, input.durationMs, result.outcome, result.statusCode, error],
      );
      // The CTE reads the row as it was before this UPDATE: "disabled" means disabled by this attempt.
      const endpoint = await client.query<{ disabled: boolean }>(
        `WITH before AS (SELECT disabled_at FROM webhook_endpoints WHERE id = $1)
         UPDATE webhook_endpoints
            SET failing_since = coalesce(failing_since, now()),
                disabled_at = CASE
                  WHEN disabled_at IS NULL AND $2::boolean
                   AND coalesce(failing_since, now()) <= now() - make_interval(secs => $3::integer) THEN now()
                  ELSE disabled_at END
          WHERE id = $1
          RETURNING disabled_at IS NOT NULL AND (SELECT disabled_at FROM before) IS NULL AS disabled`,
        [input.endpointId, result.retryDelayS === null, input.scheduleTotalS],
      );
      if (endpoint.rows[0]?.disabled === true) {
        await client.query(
          `UPDATE webhook_deliveries SET status = 'failed', leased_until = NULL, last_error = 'endpoint disabled'
            WHERE endpoint_id = $1 AND status = 'pending'`,
          [input.endpointId],
        );
        return 'endpoint_disabled';
      }
      return result.retryDelayS === null ? 'failed' : 'retrying';
    });
  }

  /**
   * The common case in one statement, so one round trip and one commit: the delivery done, its attempt, and
   * the endpoint healthy again. Data-modifying CTEs all run, in one snapshot.
   */
  async #recordDelivered(input: RecordAttemptInput, statusCode: number): Promise<RecordAttemptOutcome> {
    const { rows } = await this.pool.query<{ recorded: number }>(
      `WITH done AS (
         UPDATE webhook_deliveries
            SET attempt_count = attempt_count + 1, leased_until = NULL, last_status_code = $2, last_error = NULL,
                status = 'delivered', delivered_at = now()
          WHERE id = $1 AND status = 'pending'
          RETURNING id, attempt_count),
       attempt AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, attempt_count, started_at, duration_ms, outcome, status_code)
         SELECT id, attempt_count, $3, $4, 'delivered', $2 FROM done),
       healthy AS (
         UPDATE webhook_endpoints SET failing_since = NULL
          WHERE id = $5 AND failing_since IS NOT NULL AND EXISTS (SELECT 1 FROM done))
       SELECT count(*)::int AS recorded FROM done`,
      [input.deliveryId, statusCode, input.startedAt, input.durationMs, input.endpointId],
    );
    return rows[0]?.recorded === 1 ? 'delivered' : 'gone';
  }
}

function decodeSnapshot(payload: unknown): Transaction | null {
  try {
    return transactionFromSnapshot(payload);
  } catch {
    return null;
  }
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}
