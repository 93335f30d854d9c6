import type { Pool } from '../pool';

/** Deletes what has outlived its purpose, in bounded batches so no statement holds locks for long. */
export class RetentionRepository {
  constructor(private readonly pool: Pool) {}

  async deleteExpiredIdempotencyKeys(ttlHours: number, batchSizeMax: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM idempotency_keys WHERE id IN (
         SELECT id FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) ORDER BY created_at LIMIT $2)`,
      [ttlHours, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }

  async deletePublishedOutbox(olderThanHours: number, batchSizeMax: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE published_at < now() - make_interval(hours => $1) ORDER BY published_at LIMIT $2)`,
      [olderThanHours, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }
}
