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

  /** Bank attempts started long ago: the payment's story keeps its status and ledger, only this detail goes. */
  async deleteOldBankAttempts(olderThanDays: number, batchSizeMax: number): Promise<number> {
    // In id order, which follows started_at: the scan meets the old rows first and stops at the limit.
    const result = await this.pool.query(
      `DELETE FROM bank_attempts WHERE id IN (
         SELECT id FROM bank_attempts WHERE started_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)`,
      [olderThanDays, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }

  /** Dead letters an operator replayed long ago; one never replayed stays until someone looks at it. */
  async deleteReplayedDeadLetters(olderThanDays: number, batchSizeMax: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM dead_letters WHERE id IN (
         SELECT id FROM dead_letters WHERE replayed_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)`,
      [olderThanDays, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }

  async deleteOldLedgerChecks(olderThanDays: number, batchSizeMax: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM ledger_checks WHERE id IN (
         SELECT id FROM ledger_checks WHERE checked_at < now() - make_interval(days => $1) ORDER BY checked_at LIMIT $2)`,
      [olderThanDays, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }

  /** Operator sessions that expired or were revoked long ago; they open nothing any more. */
  async deleteEndedOperatorSessions(olderThanDays: number, batchSizeMax: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM operator_sessions WHERE id IN (
         SELECT id FROM operator_sessions
          WHERE least(expires_at, coalesce(revoked_at, expires_at)) < now() - make_interval(days => $1)
          ORDER BY id LIMIT $2)`,
      [olderThanDays, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }

  /** Web app sessions that expired or were ended (logout, key revoked) long ago; they open nothing any more. */
  async deleteEndedUserSessions(olderThanDays: number, batchSizeMax: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM user_sessions WHERE id IN (
         SELECT id FROM user_sessions
          WHERE least(expires_at, coalesce(revoked_at, expires_at)) < now() - make_interval(days => $1)
          ORDER BY id LIMIT $2)`,
      [olderThanDays, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }
}
