import type { Pool } from '../pool';

/** Sessions that expired or were revoked before the cutoff: they open nothing any more. */
const SESSION_ENDED = 'least(expires_at, coalesce(revoked_at, expires_at)) < now() - make_interval(days => $1)';

/**
 * What each kind of record may be deleted after: its table, the condition on its age ($1, in the unit the
 * condition names) and the order that meets the oldest rows first, so a batch's scan stops at its limit.
 * The operator audit log has no entry: it is never deleted.
 */
const POLICIES = {
  /** Past the TTL promised to clients (DESIGN.md: 24 h). */
  idempotency_key: {
    table: 'idempotency_keys',
    olderThan: 'created_at < now() - make_interval(hours => $1)',
    order: 'created_at',
  },
  outbox: { table: 'outbox', olderThan: 'published_at < now() - make_interval(hours => $1)', order: 'published_at' },
  /** The payment's story keeps its status and ledger, only this detail goes. Id order follows started_at. */
  bank_attempt: { table: 'bank_attempts', olderThan: 'started_at < now() - make_interval(days => $1)', order: 'id' },
  /** Only replayed ones: a dead letter never replayed stays until someone looks at it. */
  dead_letter: { table: 'dead_letters', olderThan: 'replayed_at < now() - make_interval(days => $1)', order: 'id' },
  ledger_check: {
    table: 'ledger_checks',
    olderThan: 'checked_at < now() - make_interval(days => $1)',
    order: 'checked_at',
  },
  operator_session: { table: 'operator_sessions', olderThan: SESSION_ENDED, order: 'id' },
  /** Ended by expiry, logout or a revoked key. */
  user_session: { table: 'user_sessions', olderThan: SESSION_ENDED, order: 'id' },
} as const;

export type RetentionKind = keyof typeof POLICIES;

export const RETENTION_KINDS = Object.keys(POLICIES) as RetentionKind[];

/** Deletes what has outlived its purpose, in bounded batches so no statement holds locks for long. */
export class RetentionRepository {
  constructor(private readonly pool: Pool) {}

  /** One batch of `kind`: at most `batchSizeMax` of its oldest rows past `age` (hours or days, per kind). */
  async deleteBatch(kind: RetentionKind, age: number, batchSizeMax: number): Promise<number> {
    // Table, condition and order are the constants above, never input.
    const { table, olderThan, order } = POLICIES[kind];
    const result = await this.pool.query(
      `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${olderThan} ORDER BY ${order} LIMIT $2)`,
      [age, batchSizeMax],
    );
    return result.rowCount ?? 0;
  }
}
