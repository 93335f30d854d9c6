import type { Transaction } from '@paygate/domain';
import { assert } from '@paygate/domain';

import type { Pool } from '../pool';
import { toId, transactionFromSnapshot } from './rows';

/** One transaction change as a stream sends it: its event id and the transaction right after it. */
export interface TransactionChange {
  eventId: number;
  transaction: Transaction;
}

/**
 * The reads behind GET /api/v1/events: a user's transaction events in id order, from the copy of the row
 * each event keeps (transaction_events.snapshot, filled by a trigger), through the index (user_id, id).
 */
export class TransactionEventsRepository {
  constructor(private readonly pool: Pool) {}

  /** The id of the user's newest event, or 0: where a stream that resumes nothing starts. */
  async latestId(userId: number): Promise<number> {
    const { rows } = await this.pool.query<{ id: string | null }>(
      'SELECT max(id) AS id FROM transaction_events WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.id == null ? 0 : toId(rows[0].id);
  }

  /**
   * The user's events after `afterId` (at most `limit`), and also the late ones: events at or below
   * `afterId` but above `floorId`, recorded within `lookbackMs`, and not among `sentIds`. Two of a user's
   * transactions can commit out of id order, so an event with a lower id may become visible after a higher
   * one was sent; the look back catches it.
   */
  async changesAfter(input: {
    userId: number;
    floorId: number;
    afterId: number;
    sentIds: number[];
    lookbackMs: number;
    limit: number;
  }): Promise<{ changes: TransactionChange[]; newCount: number }> {
    assert(input.floorId <= input.afterId, 'a stream never reads below where it started');
    assert(input.limit > 0, 'a page holds at least one event');
    const { rows } = await this.pool.query<{ id: string; snapshot: unknown; late: boolean }>(
      `(SELECT id, snapshot, true AS late FROM transaction_events
         WHERE user_id = $1 AND id > $2 AND id <= $3
           AND created_at > now() - make_interval(secs => $4::double precision / 1000)
           AND NOT (id = ANY($5::bigint[])))
       UNION ALL
       (SELECT id, snapshot, false AS late FROM transaction_events
         WHERE user_id = $1 AND id > $3 ORDER BY id LIMIT $6)
       ORDER BY id`,
      [input.userId, input.floorId, input.afterId, input.lookbackMs, input.sentIds, input.limit],
    );
    return {
      changes: rows.map((row) => ({ eventId: toId(row.id), transaction: transactionFromSnapshot(row.snapshot) })),
      newCount: rows.filter((row) => !row.late).length,
    };
  }

  /** Which users the changed transactions belong to (a NOTIFY names transactions). */
  async ownersOf(transactionIds: number[]): Promise<number[]> {
    if (transactionIds.length === 0) return [];
    const { rows } = await this.pool.query<{ user_id: string }>(
      'SELECT DISTINCT user_id FROM transactions WHERE id = ANY($1::bigint[])',
      [transactionIds],
    );
    return rows.map((row) => toId(row.user_id));
  }
}
