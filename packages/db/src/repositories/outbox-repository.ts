import type { Pool } from '../pool';
import { toId } from './rows';

export interface OutboxMessage {
  id: number;
  topic: string;
  payload: unknown;
  headers: Record<string, string>;
  createdAt: Date;
}

/**
 * The relay's side of the transactional outbox. A batch is claimed with FOR UPDATE SKIP LOCKED, handed to
 * `publish` (which must resolve only once the broker confirmed every message), and marked published in
 * the same transaction. A crash between publish and commit publishes the batch again: delivery is at
 * least once, and consumers are idempotent.
 */
export class OutboxRepository {
  constructor(private readonly pool: Pool) {}

  async publishBatch(batchSizeMax: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; topic: string; payload: unknown; headers: Record<string, string>; created_at: Date }>(
        `SELECT id, topic, payload, headers, created_at FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSizeMax],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const messages = rows.map((row) => ({ id: toId(row.id), topic: row.topic, payload: row.payload, headers: row.headers, createdAt: row.created_at }));
      try {
        await publish(messages);
      } catch (error) {
        await client.query('ROLLBACK');
        await this.pool.query('UPDATE outbox SET publish_attempt_count = publish_attempt_count + 1 WHERE id = ANY($1)', [messages.map((m) => m.id)]);
        throw error;
      }
      await client.query('UPDATE outbox SET published_at = now(), publish_attempt_count = publish_attempt_count + 1 WHERE id = ANY($1)', [
        messages.map((message) => message.id),
      ]);
      await client.query('COMMIT');
      return messages.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * The reconciler's way to recover a lost message: for each given transaction that is still pending,
   * freshen its updated_at and, unless an unpublished outbox message for it is already waiting, insert a
   * new one (the same payload paygate_create_transaction writes) and wake the relay. Returns the ids that
   * got a new message. Rows another session holds locked are skipped; the next pass sees them again.
   */
  async requeuePending(transactionIds: number[]): Promise<number[]> {
    if (transactionIds.length === 0) return [];
    const { rows } = await this.pool.query<{ transaction_id: string }>(
      `WITH stuck AS (
         SELECT t.id, t.user_id, t.type, t.amount, t.currency, t.request_id FROM transactions t
          WHERE t.id = ANY($1::bigint[]) AND t.status = 'pending'
          FOR UPDATE SKIP LOCKED
       ), touched AS (
         UPDATE transactions t SET updated_at = now() FROM stuck WHERE t.id = stuck.id
       ), requeued AS (
         INSERT INTO outbox (topic, payload, headers)
         SELECT 'transactions.process',
                jsonb_build_object('transaction_id', stuck.id, 'user_id', stuck.user_id, 'type', stuck.type,
                                   'amount_minor', stuck.amount::text, 'currency', stuck.currency, 'request_id', stuck.request_id),
                jsonb_strip_nulls(jsonb_build_object('x-request-id', stuck.request_id))
           FROM stuck
          WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.published_at IS NULL AND o.payload->>'transaction_id' = stuck.id::text)
         RETURNING payload->>'transaction_id' AS transaction_id
       )
       SELECT transaction_id, pg_notify('paygate_outbox', '') FROM requeued`,
      [transactionIds],
    );
    return rows.map((row) => toId(row.transaction_id));
  }

  /** Age in ms of the oldest unpublished message (0 when none): the relay's lag. */
  async oldestUnpublishedAgeMs(): Promise<number> {
    const { rows } = await this.pool.query<{ age_ms: string | null }>(
      'SELECT (extract(epoch FROM now() - min(created_at)) * 1000)::bigint AS age_ms FROM outbox WHERE published_at IS NULL',
    );
    return Math.max(0, Number(rows[0]?.age_ms ?? 0));
  }
}
