import type {
  Balance,
  CursorPosition,
  Transaction,
  TransactionEvent,
  TransactionStatus,
  TransactionType,
} from '@paygate/domain';
import { assert, encodeCursor } from '@paygate/domain';

import type { Pool } from '../pool';
import { EventsWakeUp } from './events-wake-up';
import { OutboxWakeUp } from './outbox-wake-up';
import type { EventRow, TransactionRow } from './rows';
import { toEvent, toTransaction, TRANSACTION_COLUMNS, transactionFromSnapshot } from './rows';

export interface CreateTransactionInput {
  userId: number;
  type: TransactionType;
  amountMinor: bigint;
  currency: string;
  idempotencyKey: string;
  method: string;
  path: string;
  fingerprint: string;
  requestId: string | null;
  idempotencyTtlHours: number;
}

/** A withdrawal refused for want of money, as it was decided (kept for replays). */
export interface InsufficientBalance {
  availableMinor: bigint;
  requestedMinor: bigint;
  currency: string;
  /** The request that was refused: a replay answers with its id, as the first answer did. */
  requestId: string | null;
}

/**
 * What paygate_create_transaction decided. `isReplay` marks the outcome stored by the first request with
 * the key, handed back unchanged.
 */
export type CreateTransactionResult =
  | { outcome: 'created'; isReplay: boolean; transaction: Transaction }
  | { outcome: 'insufficient_balance'; isReplay: boolean; refusal: InsufficientBalance }
  | { outcome: 'key_reused' | 'in_progress' | 'no_wallet' };

export interface TransactionFilter {
  userId: number;
  type?: TransactionType | undefined;
  status?: TransactionStatus | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  amountMinMinor?: bigint | undefined;
  amountMaxMinor?: bigint | undefined;
}

export interface PageRequest {
  limit: number;
  offset: number;
  /** Past this many matches `total` is the planner's estimate (flagged); undefined counts exactly. */
  exactTotalMax?: number | undefined;
  cursor?: CursorPosition | undefined;
}

export interface TransactionPageResult {
  items: Transaction[];
  total: number;
  totalIsEstimate: boolean;
  hasMore: boolean;
  nextCursor: string | null;
}

export interface TransactionsRepositoryOptions {
  onWakeUpError?: (error: unknown) => void;
  /** Shortest time between two relay wake-ups (NOTIFYs) from this process; 0 sends one per round trip. */
  wakeUpIntervalMs?: number;
  /** Lists: past this many matches `total` is an estimate (see list); a page's own bound wins. */
  exactTotalMax?: number;
}

export class TransactionsRepository {
  private readonly wakeUp: OutboxWakeUp;
  private readonly eventsWakeUp: EventsWakeUp;

  constructor(
    private readonly pool: Pool,
    private readonly options: TransactionsRepositoryOptions = {},
  ) {
    this.wakeUp = new OutboxWakeUp(pool, options.onWakeUpError, options.wakeUpIntervalMs);
    this.eventsWakeUp = new EventsWakeUp(pool, options.onWakeUpError);
  }

  /**
   * One round trip: the whole create flow runs in paygate_create_transaction (see its migration). After a
   * commit that wrote an outbox row, the relay is woken so the message leaves within milliseconds, and the
   * api processes' event streams are told the transaction changed.
   */
  async create(input: CreateTransactionInput): Promise<CreateTransactionResult> {
    const { rows } = await this.pool.query<{ outcome: string; replayed: boolean; snapshot: unknown }>({
      // Prepared once per connection: PostgreSQL parses and plans it once, not on every call.
      name: 'paygate_create_transaction',
      text: `SELECT * FROM paygate_create_transaction(
         p_user_id => $1, p_type => $2, p_amount => $3, p_currency => $4, p_idempotency_key => $5, p_method => $6,
         p_path => $7, p_fingerprint => $8, p_request_id => $9, p_key_ttl => make_interval(hours => $10))`,
      values: [
        input.userId,
        input.type,
        input.amountMinor.toString(),
        input.currency,
        input.idempotencyKey,
        input.method,
        input.path,
        input.fingerprint,
        input.requestId,
        input.idempotencyTtlHours,
      ],
    });
    const row = rows[0];
    assert(row !== undefined, 'paygate_create_transaction returns one row');
    switch (row.outcome) {
      case 'created': {
        const transaction = transactionFromSnapshot(row.snapshot);
        if (!row.replayed) {
          this.wakeUp.poke();
          this.eventsWakeUp.poke(transaction.id);
        }
        return { outcome: 'created', isReplay: row.replayed, transaction };
      }
      case 'insufficient_balance':
        return { outcome: 'insufficient_balance', isReplay: row.replayed, refusal: refusalFromSnapshot(row.snapshot) };
      case 'key_reused':
      case 'in_progress':
      case 'no_wallet':
        return { outcome: row.outcome };
      default:
        assert(false, `unknown create outcome ${row.outcome}`);
    }
  }

  /** A user's transaction with its events in order, or undefined (also for other users'). */
  async findWithEvents(
    userId: number,
    id: number,
  ): Promise<{ transaction: Transaction; events: TransactionEvent[] } | undefined> {
    // The events come along as the rows' own columns in one jsonb array: one round trip for the page.
    const { rows } = await this.pool.query<TransactionRow & { events: EventRow[] }>(
      `SELECT ${TRANSACTION_COLUMNS},
              coalesce((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.id) FROM transaction_events e WHERE e.transaction_id = t.id),
                       '[]'::jsonb) AS events
         FROM transactions t
        WHERE t.id = $1 AND t.user_id = $2`,
      [id, userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { transaction: toTransaction(row), events: row.events.map(toEvent) };
  }

  async findById(id: number): Promise<Transaction | undefined> {
    const { rows } = await this.pool.query<TransactionRow>(
      `SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE id = $1`,
      [id],
    );
    return rows[0] ? toTransaction(rows[0]) : undefined;
  }

  /**
   * Newest first. With a cursor the page is a keyset range (offset ignored). `total` counts the whole filter
   * exactly up to `page.exactTotalMax` matches; past it, an exact COUNT(*) would read every matching row
   * (a million for a busy user), so it is the planner's estimate instead, flagged `totalIsEstimate`. The
   * estimate (EXPLAIN, planning only) runs beside the page query; the exact count runs only when the
   * estimate is within the bound, and reads at most one row more than the bound, so a wrong estimate
   * costs a bounded count, never a full one. With no bound (neither the page's nor the repository's) the
   * count is always exact.
   */
  async list(filter: TransactionFilter, page: PageRequest): Promise<TransactionPageResult> {
    const where: string[] = ['user_id = $1'];
    const values: unknown[] = [filter.userId];
    const add = (clause: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (filter.type) add((p) => `type = ${p}`, filter.type);
    if (filter.status) add((p) => `status = ${p}`, filter.status);
    if (filter.createdFrom) add((p) => `created_at >= ${p}`, filter.createdFrom);
    if (filter.createdTo) add((p) => `created_at < ${p}`, filter.createdTo);
    if (filter.amountMinMinor !== undefined) add((p) => `amount >= ${p}`, filter.amountMinMinor.toString());
    if (filter.amountMaxMinor !== undefined) add((p) => `amount <= ${p}`, filter.amountMaxMinor.toString());
    const filterWhere = where.join(' AND ');
    const filterValues = [...values];

    if (page.cursor) {
      values.push(new Date(page.cursor.createdAtMs), page.cursor.id);
      where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(page.limit + 1, page.cursor ? 0 : page.offset);
    const [itemsResult, total] = await Promise.all([
      this.pool.query<TransactionRow>(
        `SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE ${where.join(' AND ')}
          ORDER BY created_at DESC, id DESC LIMIT $${values.length - 1} OFFSET $${values.length}`,
        values,
      ),
      this.countMatches(filterWhere, filterValues, page.exactTotalMax ?? this.options.exactTotalMax),
    ]);
    const hasMore = itemsResult.rows.length > page.limit;
    const items = itemsResult.rows.slice(0, page.limit).map(toTransaction);
    const last = items.at(-1);
    return {
      items,
      total: total.count,
      totalIsEstimate: total.isEstimate,
      hasMore,
      nextCursor: hasMore && last ? encodeCursor({ createdAtMs: last.createdAt.getTime(), id: last.id }) : null,
    };
  }

  private async countMatches(
    filterWhere: string,
    filterValues: unknown[],
    exactMax: number | undefined,
  ): Promise<{ count: number; isEstimate: boolean }> {
    if (exactMax === undefined) {
      const { rows } = await this.pool.query<{ total: string }>(
        `SELECT count(*) AS total FROM transactions WHERE ${filterWhere}`,
        filterValues,
      );
      return { count: Number(rows[0]?.total ?? 0), isEstimate: false };
    }
    assert(Number.isSafeInteger(exactMax) && exactMax >= 0, 'the exact total bound is a count');
    const { rows: plan } = await this.pool.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM transactions WHERE ${filterWhere}`,
      filterValues,
    );
    const estimated = Math.round(plan[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0);
    if (estimated > exactMax) return { count: estimated, isEstimate: true };
    const { rows } = await this.pool.query<{ total: string }>(
      `SELECT count(*) AS total FROM (SELECT 1 FROM transactions WHERE ${filterWhere} LIMIT ${exactMax + 1}) AS bounded`,
      filterValues,
    );
    const counted = Number(rows[0]?.total ?? 0);
    // More than the bound although the planner thought fewer: still an estimate, and at least the bound.
    if (counted > exactMax) return { count: Math.max(estimated, counted), isEstimate: true };
    return { count: counted, isEstimate: false };
  }

  async balance(userId: number): Promise<Balance | undefined> {
    const { rows } = await this.pool.query<{ balance: string; held: string; currency: string }>({
      // Prepared once per connection: PostgreSQL parses and plans it once, not on every call.
      name: 'paygate_wallet_balance',
      text: "SELECT balance, held, currency FROM accounts WHERE user_id = $1 AND kind = 'wallet' ORDER BY id LIMIT 1",
      values: [userId],
    });
    const row = rows[0];
    if (!row) return undefined;
    const balanceMinor = BigInt(row.balance);
    return { userId, balanceMinor, availableMinor: balanceMinor - BigInt(row.held), currency: row.currency };
  }
}

function refusalFromSnapshot(snapshot: unknown): InsufficientBalance {
  assert(typeof snapshot === 'object' && snapshot !== null, 'a refusal snapshot is an object');
  const value = snapshot as Record<string, unknown>;
  const { available_amount: available, requested_amount: requested, currency, request_id: requestId } = value;
  assert(typeof available === 'number' && Number.isSafeInteger(available), 'available_amount is a safe integer');
  assert(typeof requested === 'number' && Number.isSafeInteger(requested), 'requested_amount is a safe integer');
  assert(typeof currency === 'string', 'currency is text');
  assert(requestId === null || typeof requestId === 'string', 'request_id is text or null');
  return { availableMinor: BigInt(available), requestedMinor: BigInt(requested), currency, requestId };
}
