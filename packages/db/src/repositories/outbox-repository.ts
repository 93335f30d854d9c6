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

  /** Age in ms of the oldest unpublished message (0 when none): the relay's lag. */
  async oldestUnpublishedAgeMs(): Promise<number> {
    const { rows } = await this.pool.query<{ age_ms: string | null }>(
      'SELECT (extract(epoch FROM now() - min(created_at)) * 1000)::bigint AS age_ms FROM outbox WHERE published_at IS NULL',
    );
    return Math.max(0, Number(rows[0]?.age_ms ?? 0));
  }
}
