import type { Balance, CursorPosition, Transaction, TransactionEvent, TransactionStatus, TransactionType } from '@paygate/domain';
import { encodeCursor } from '@paygate/domain';

import type { Pool } from '../pool';
import { OutboxWakeUp } from './outbox-wake-up';
import type { EventRow, TransactionRow } from './rows';
import { toEvent, toId, toTransaction, TRANSACTION_COLUMNS } from './rows';

export type CreateOutcome = 'created' | 'replayed' | 'insufficient_balance' | 'key_reused' | 'in_progress' | 'no_wallet';

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

export interface CreateTransactionResult {
  outcome: CreateOutcome;
  /** The stored answer for created, replayed and insufficient_balance: its status and its body. */
  responseStatus: number;
  responseBody: unknown;
  transactionId: number | null;
}

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
  cursor?: CursorPosition | undefined;
}

export interface TransactionPageResult {
  items: Transaction[];
  total: number;
  hasMore: boolean;
  nextCursor: string | null;
}

export class TransactionsRepository {
  private readonly wakeUp: OutboxWakeUp;

  constructor(
    private readonly pool: Pool,
    onWakeUpError?: (error: unknown) => void,
  ) {
    this.wakeUp = new OutboxWakeUp(pool, onWakeUpError);
  }

  /**
   * One round trip: the whole create flow runs in paygate_create_transaction (see its migration). After a
   * commit that wrote an outbox row, the relay is woken so the message leaves within milliseconds.
   */
  async create(input: CreateTransactionInput): Promise<CreateTransactionResult> {
    const { rows } = await this.pool.query<{ outcome: CreateOutcome; response_status: number; response_body: unknown; transaction_id: string | null }>(
      'SELECT * FROM paygate_create_transaction($1, $2, $3, $4, $5, $6, $7, $8, $9, make_interval(hours => $10))',
      [
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
    );
    const row = rows[0];
    if (!row) throw new Error('paygate_create_transaction returned no row');
    if (row.outcome === 'created') this.wakeUp.poke();
    return {
      outcome: row.outcome,
      responseStatus: row.response_status,
      responseBody: row.response_body,
      transactionId: row.transaction_id === null ? null : toId(row.transaction_id),
    };
  }

  /** A user's transaction of the given type with its events in order, or undefined (also for other users'). */
  async findWithEvents(userId: number, id: number, type: TransactionType): Promise<{ transaction: Transaction; events: TransactionEvent[] } | undefined> {
    const { rows } = await this.pool.query<TransactionRow & { events: EventRow[] }>(
      `SELECT ${TRANSACTION_COLUMNS},
              coalesce((SELECT json_agg(json_build_object(
                          'from_status', e.from_status, 'to_status', e.to_status, 'cause', e.cause,
                          'bank_reference', e.bank_reference, 'error_code', e.error_code,
                          'error_message', e.error_message, 'request_id', e.request_id,
                          'created_at', paygate_iso_time(e.created_at)) ORDER BY e.id)
                        FROM transaction_events e WHERE e.transaction_id = t.id), '[]'::json) AS events
         FROM transactions t
        WHERE t.id = $1 AND t.user_id = $2 AND t.type = $3`,
      [id, userId, type],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { transaction: toTransaction(row), events: row.events.map(toEvent) };
  }

  async findById(id: number): Promise<Transaction | undefined> {
    const { rows } = await this.pool.query<TransactionRow>(`SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE id = $1`, [id]);
    return rows[0] ? toTransaction(rows[0]) : undefined;
  }

  /** Newest first. With a cursor the page is a keyset range (offset ignored); total counts the whole filter. */
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
    const [itemsResult, countResult] = await Promise.all([
      this.pool.query<TransactionRow>(
        `SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE ${where.join(' AND ')}
          ORDER BY created_at DESC, id DESC LIMIT $${values.length - 1} OFFSET $${values.length}`,
        values,
      ),
      this.pool.query<{ total: string }>(`SELECT count(*) AS total FROM transactions WHERE ${filterWhere}`, filterValues),
    ]);
    const hasMore = itemsResult.rows.length > page.limit;
    const items = itemsResult.rows.slice(0, page.limit).map(toTransaction);
    const last = items.at(-1);
    return {
      items,
      total: Number(countResult.rows[0]?.total ?? 0),
      hasMore,
      nextCursor: hasMore && last ? encodeCursor({ createdAtMs: last.createdAt.getTime(), id: last.id }) : null,
    };
  }

  async balance(userId: number): Promise<Balance | undefined> {
    const { rows } = await this.pool.query<{ balance: string; held: string; currency: string }>(
      "SELECT balance, held, currency FROM accounts WHERE user_id = $1 AND kind = 'wallet' ORDER BY id LIMIT 1",
      [userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const balanceMinor = BigInt(row.balance);
    return { userId, balanceMinor, availableMinor: balanceMinor - BigInt(row.held), currency: row.currency };
  }
}
