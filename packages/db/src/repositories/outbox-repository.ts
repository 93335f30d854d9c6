import type { TransactionType } from '@paygate/domain';

import type { Pool } from '../pool';
import { toId, toType } from './rows';

/** An outbox row with what the relay needs to encode its message (the transaction it names). */
export interface OutboxMessage {
  id: number;
  topic: string;
  createdAt: Date;
  transaction: {
    id: number;
    userId: number;
    type: TransactionType;
    amountMinor: bigint;
    currency: string;
    requestId: string | null;
  };
}

/**
 * The relay's side of the transactional outbox. A batch is claimed with FOR UPDATE SKIP LOCKED, handed to
 * `publish` (which must resolve only once the broker confirmed every message), and marked published in
 * the same transaction. A crash between publish and commit publishes the batch again: delivery is at
 * least once, and consumers are idempotent. Rows only name their transaction; the relay encodes the
 * message (@paygate/contracts), so no message is ever built in SQL.
 */
export class OutboxRepository {
  constructor(private readonly pool: Pool) {}

  async publishBatch(batchSizeMax: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT o.id, o.topic, o.created_at, t.id AS transaction_id, t.user_id, t.type, t.amount, t.currency, t.request_id
           FROM outbox o JOIN transactions t ON t.id = o.transaction_id
          WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
        [batchSizeMax],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const messages = rows.map(toOutboxMessage);
      const ids = messages.map((message) => message.id);
      try {
        await publish(messages);
      } catch (error) {
        await client.query('ROLLBACK');
        await this.pool.query(
          'UPDATE outbox SET publish_attempt_count = publish_attempt_count + 1 WHERE id = ANY($1)',
          [ids],
        );
        throw error;
      }
      await client.query(
        'UPDATE outbox SET published_at = now(), publish_attempt_count = publish_attempt_count + 1 WHERE id = ANY($1)',
        [ids],
      );
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
   * freshen its updated_at and, unless an unpublished outbox row for it is already waiting, insert a new
   * one and wake the relay. Returns the ids that got a new row. Rows another session holds locked are
   * skipped; the next pass sees them again.
   */
  async requeuePending(transactionIds: number[]): Promise<number[]> {
    if (transactionIds.length === 0) return [];
    const { rows } = await this.pool.query<{ transaction_id: string }>(
      `WITH stuck AS (
         SELECT t.id FROM transactions t
          WHERE t.id = ANY($1::bigint[]) AND t.status = 'pending'
          FOR UPDATE SKIP LOCKED
       ), touched AS (
         UPDATE transactions t SET updated_at = now() FROM stuck WHERE t.id = stuck.id
       ), requeued AS (
         INSERT INTO outbox (topic, transaction_id)
         SELECT 'transactions.process', stuck.id FROM stuck
          WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.published_at IS NULL AND o.transaction_id = stuck.id)
         RETURNING transaction_id
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

interface OutboxRow {
  id: string;
  topic: string;
  created_at: Date;
  transaction_id: string;
  user_id: string;
  type: string;
  amount: string;
  currency: string;
  request_id: string | null;
}

function toOutboxMessage(row: OutboxRow): OutboxMessage {
  return {
    id: toId(row.id),
    topic: row.topic,
    createdAt: row.created_at,
    transaction: {
      id: toId(row.transaction_id),
      userId: toId(row.user_id),
      type: toType(row.type),
      amountMinor: BigInt(row.amount),
      currency: row.currency,
      requestId: row.request_id,
    },
  };
}
