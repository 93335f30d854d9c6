import type { CursorPosition, Transaction, TransactionStatus, TransactionType } from '@paygate/domain';
import { assert, encodeCursor } from '@paygate/domain';

import type { Pool } from '../pool';
import type { TransactionRow } from './rows';
import { toId, toStatus, toTransaction, TRANSACTION_COLUMNS } from './rows';

/**
 * What the operator console reads: payments across all users, one payment's whole record, the overview's
 * figures, users with their wallets and keys, dead letters. Plain SQL (the read-side rule in the README:
 * the search must stay an index range at a million rows, which Prisma's keyset form is not).
 */

export interface AdminPayment {
  transaction: Transaction;
  userEmail: string;
  requestId: string | null;
  bankOrderKey: string | null;
  submittedAt: Date | null;
}

/** How the free-text search box is read: by the shape of what was typed. */
export type PaymentLookup =
  | { kind: 'id'; id: number }
  | { kind: 'email'; email: string }
  | { kind: 'uuid'; value: string }
  | { kind: 'text'; value: string };

export interface AdminPaymentFilter {
  lookup?: PaymentLookup | undefined;
  status?: TransactionStatus | undefined;
  type?: TransactionType | undefined;
  amountMinMinor?: bigint | undefined;
  amountMaxMinor?: bigint | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  /** Only pending or processing payments created before this moment. */
  stuckBefore?: Date | undefined;
}

export interface KeysetPage<T> {
  items: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

const ADMIN_PAYMENT_COLUMNS = `${TRANSACTION_COLUMNS.split(', ')
  .map((column) => `t.${column}`)
  .join(', ')}, u.email AS user_email, t.request_id, t.bank_order_key, t.submitted_at`;

type AdminPaymentRow = TransactionRow & {
  user_email: string;
  request_id: string | null;
  bank_order_key: string | null;
  submitted_at: Date | null;
};

export interface StoryRecords {
  payment: AdminPayment;
  events: {
    id: number;
    at: Date;
    fromStatus: TransactionStatus | null;
    toStatus: TransactionStatus;
    cause: string;
    bankReference: string | null;
    errorCode: string | null;
    errorMessage: string | null;
    detail: string | null;
    requestId: string | null;
  }[];
  outbox: { id: number; createdAt: Date; publishedAt: Date | null; publishAttemptCount: number }[];
  bankAttempts: {
    id: number;
    operation: string;
    attemptIndex: number;
    startedAt: Date;
    latencyMs: number | null;
    outcome: string;
    httpStatus: number | null;
    bankReference: string | null;
    error: string | null;
    retryDelayMs: number | null;
    requestId: string | null;
    workerId: string | null;
  }[];
  webhooks: {
    id: number;
    receivedAt: Date;
    status: string;
    outcome: string;
    bankReference: string;
    errorMessage: string | null;
    requestId: string | null;
  }[];
  rejectedWebhooks: {
    id: number;
    firstReceivedAt: Date;
    lastReceivedAt: Date;
    receivedCount: number;
    reason: string;
    payload: unknown;
    sourceAddress: string | null;
    requestId: string | null;
  }[];
  postings: {
    id: number;
    at: Date;
    kind: string;
    debitAccountId: number;
    debitKind: string;
    creditAccountId: number;
    creditKind: string;
    amountMinor: bigint;
    currency: string;
  }[];
  deadLetters: {
    id: number;
    at: Date;
    reason: string;
    replayedAt: Date | null;
    replayOutcome: string | null;
  }[];
  audit: {
    id: number;
    at: Date;
    operatorEmail: string;
    action: string;
    reason: string | null;
    outcome: string;
    requestId: string | null;
  }[];
}

export interface OverviewRecords {
  generatedAt: Date;
  throughput: { minute: Date; status: TransactionStatus; count: number }[];
  finishedLastHour: { success: number; failed: number };
  settleLatencyMs: { p50: number | null; p99: number | null };
  outbox: { unpublished: number; oldestAgeS: number | null };
  stuck: { pending: number; processing: number };
  deadLetters: { recorded: number; waitingReplay: number };
  workers: {
    workerId: string;
    version: string;
    hostname: string;
    startedAt: Date;
    lastSeenAt: Date;
    inFlight: number;
    breakerState: 'closed' | 'half_open' | 'open';
    ageMs: number;
    queues: { name: string; messages: number; consumers: number }[];
  }[];
  webhooksRejectedLastHour: number;
  lastLedgerCheck: { checkedAt: Date; isBalanced: boolean } | null;
}

export interface AdminUser {
  id: number;
  email: string;
  currency: string;
  balanceMinor: bigint;
  heldMinor: bigint;
  createdAt: Date;
  activeKeyCount: number;
}

export interface AdminUserDetail extends AdminUser {
  keys: { prefix: string; createdAt: Date; revokedAt: Date | null }[];
  openWithdrawals: number;
  recentPayments: AdminPayment[];
}

export interface DeadLetterRecord {
  id: number;
  transactionId: number | null;
  reason: string;
  payload: unknown;
  headers: Record<string, unknown>;
  deadLetteredAt: Date;
  replayedAt: Date | null;
  replayOutcome: string | null;
  paymentStatus: TransactionStatus | null;
}

const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;

export class AdminReads {
  constructor(private readonly pool: Pool) {}

  /** Newest first, keyset-paged by (created_at, id). */
  async searchPayments(
    filter: AdminPaymentFilter,
    page: { limit: number; cursor?: CursorPosition | undefined },
  ): Promise<KeysetPage<AdminPayment>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    const lookup = filter.lookup;
    if (lookup?.kind === 'id') add((p) => `t.id = ${p}`, lookup.id);
    if (lookup?.kind === 'email') {
      // The user's id first, as a value: with a subquery the planner cannot tell a user with a hundred
      // payments from one with a hundred thousand, and ANDs the user's whole index with the other filters
      // (p99 883 ms for a busy user, a status and an exact amount at 1M rows; `pnpm bench search`).
      const userId = await this.userIdOf(lookup.email);
      if (userId === undefined) return { items: [], hasMore: false, nextCursor: null };
      add((p) => `t.user_id = ${p}`, userId);
    }
    if (lookup?.kind === 'text') {
      add((p) => `(t.bank_reference = ${p} OR t.idempotency_key = ${p} OR t.request_id = ${p})`, lookup.value);
    }
    if (lookup?.kind === 'uuid') {
      // A UUID may be our order key at the bank, or (often) a client's idempotency key or request id.
      // Two parameters: one placeholder cannot be both uuid and text.
      values.push(lookup.value);
      const asUuid = `$${values.length}::uuid`;
      add(
        (p) =>
          `(t.bank_order_key = ${asUuid} OR t.idempotency_key = ${p} OR t.request_id = ${p} OR t.bank_reference = ${p})`,
        lookup.value,
      );
    }
    if (filter.status) add((p) => `t.status = ${p}`, filter.status);
    if (filter.type) add((p) => `t.type = ${p}`, filter.type);
    if (filter.amountMinMinor !== undefined) add((p) => `t.amount >= ${p}`, filter.amountMinMinor.toString());
    if (filter.amountMaxMinor !== undefined) add((p) => `t.amount <= ${p}`, filter.amountMaxMinor.toString());
    if (filter.createdFrom) add((p) => `t.created_at >= ${p}`, filter.createdFrom);
    if (filter.createdTo) add((p) => `t.created_at < ${p}`, filter.createdTo);
    if (filter.stuckBefore) {
      where.push(`t.status IN ('pending', 'processing')`);
      add((p) => `t.created_at < ${p}`, filter.stuckBefore);
    }
    if (page.cursor) {
      values.push(new Date(page.cursor.createdAtMs), page.cursor.id);
      where.push(`(t.created_at, t.id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(page.limit + 1);
    const { rows } = await this.pool.query<AdminPaymentRow>(
      `SELECT ${ADMIN_PAYMENT_COLUMNS}
         FROM transactions t JOIN users u ON u.id = t.user_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.created_at DESC, t.id DESC
        LIMIT $${values.length}`,
      values,
    );
    return keysetPage(rows.map(toAdminPayment), page.limit, (payment) => ({
      createdAtMs: payment.transaction.createdAt.getTime(),
      id: payment.transaction.id,
    }));
  }

  private async userIdOf(email: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
    return rows[0] ? toId(rows[0].id) : undefined;
  }

  async findPayment(id: number): Promise<AdminPayment | undefined> {
    const { rows } = await this.pool.query<AdminPaymentRow>(
      `SELECT ${ADMIN_PAYMENT_COLUMNS} FROM transactions t JOIN users u ON u.id = t.user_id WHERE t.id = $1`,
      [id],
    );
    return rows[0] ? toAdminPayment(rows[0]) : undefined;
  }

  /** Everything recorded about one payment, each part in its own order; undefined when there is none. */
  async paymentRecords(id: number): Promise<StoryRecords | undefined> {
    const payment = await this.findPayment(id);
    if (!payment) return undefined;
    const [events, outbox, bankAttempts, webhooks, rejected, postings, deadLetters, audit] = await Promise.all([
      this.pool.query<{
        id: string;
        created_at: Date;
        from_status: string | null;
        to_status: string;
        cause: string;
        bank_reference: string | null;
        error_code: string | null;
        error_message: string | null;
        detail: string | null;
        request_id: string | null;
      }>(
        `SELECT id, created_at, from_status, to_status, cause, bank_reference, error_code, error_message, detail, request_id
           FROM transaction_events WHERE transaction_id = $1 ORDER BY id`,
        [id],
      ),
      this.pool.query<{ id: string; created_at: Date; published_at: Date | null; publish_attempt_count: number }>(
        'SELECT id, created_at, published_at, publish_attempt_count FROM outbox WHERE transaction_id = $1 ORDER BY id',
        [id],
      ),
      this.pool.query<{
        id: string;
        operation: string;
        attempt_index: number;
        started_at: Date;
        latency_ms: number | null;
        outcome: string;
        http_status: number | null;
        bank_reference: string | null;
        error: string | null;
        retry_delay_ms: number | null;
        request_id: string | null;
        worker_id: string | null;
      }>(
        `SELECT id, operation, attempt_index, started_at, latency_ms, outcome, http_status, bank_reference, error,
                retry_delay_ms, request_id, worker_id
           FROM bank_attempts WHERE transaction_id = $1 ORDER BY id`,
        [id],
      ),
      this.pool.query<{
        id: string;
        received_at: Date;
        status: string;
        outcome: string;
        bank_reference: string;
        error_message: string | null;
        request_id: string | null;
      }>(
        `SELECT id, received_at, status, outcome, bank_reference, error_message, request_id
           FROM webhook_events WHERE transaction_id = $1 ORDER BY id`,
        [id],
      ),
      this.pool.query<{
        id: string;
        first_received_at: Date;
        last_received_at: Date;
        received_count: number;
        reason: string;
        payload: unknown;
        source_address: string | null;
        request_id: string | null;
      }>(
        `SELECT id, first_received_at, last_received_at, received_count, reason, payload, source_address, request_id
           FROM rejected_webhooks WHERE transaction_id = $1 ORDER BY id`,
        [id],
      ),
      this.pool.query<{
        id: string;
        created_at: Date;
        kind: string;
        debit_account_id: string;
        debit_kind: string;
        credit_account_id: string;
        credit_kind: string;
        amount: string;
        currency: string;
      }>(
        `SELECT p.id, p.created_at, p.kind, p.debit_account_id, d.kind AS debit_kind, p.credit_account_id,
                c.kind AS credit_kind, p.amount, p.currency
           FROM ledger_postings p
           JOIN accounts d ON d.id = p.debit_account_id
           JOIN accounts c ON c.id = p.credit_account_id
          WHERE p.transaction_id = $1 ORDER BY p.id`,
        [id],
      ),
      this.pool.query<{
        id: string;
        dead_lettered_at: Date;
        reason: string;
        replayed_at: Date | null;
        replay_outcome: string | null;
      }>(
        `SELECT id, dead_lettered_at, reason, replayed_at, replay_outcome
           FROM dead_letters WHERE transaction_id = $1 ORDER BY id`,
        [id],
      ),
      this.pool.query<{
        id: string;
        at: Date;
        operator_email: string;
        action: string;
        reason: string | null;
        outcome: string;
        request_id: string | null;
      }>(
        `SELECT a.id, a.at, o.email AS operator_email, a.action, a.reason, a.outcome, a.request_id
           FROM operator_audit a JOIN operators o ON o.id = a.operator_id
          WHERE a.payment_id = $1 ORDER BY a.id`,
        [id],
      ),
    ]);
    return {
      payment,
      events: events.rows.map((row) => ({
        id: toId(row.id),
        at: row.created_at,
        fromStatus: row.from_status === null ? null : toStatus(row.from_status),
        toStatus: toStatus(row.to_status),
        cause: row.cause,
        bankReference: row.bank_reference,
        errorCode: row.error_code,
        errorMessage: row.error_message,
        detail: row.detail,
        requestId: row.request_id,
      })),
      outbox: outbox.rows.map((row) => ({
        id: toId(row.id),
        createdAt: row.created_at,
        publishedAt: row.published_at,
        publishAttemptCount: row.publish_attempt_count,
      })),
      bankAttempts: bankAttempts.rows.map((row) => ({
        id: toId(row.id),
        operation: row.operation,
        attemptIndex: row.attempt_index,
        startedAt: row.started_at,
        latencyMs: row.latency_ms,
        outcome: row.outcome,
        httpStatus: row.http_status,
        bankReference: row.bank_reference,
        error: row.error,
        retryDelayMs: row.retry_delay_ms,
        requestId: row.request_id,
        workerId: row.worker_id,
      })),
      webhooks: webhooks.rows.map((row) => ({
        id: toId(row.id),
        receivedAt: row.received_at,
        status: row.status,
        outcome: row.outcome,
        bankReference: row.bank_reference,
        errorMessage: row.error_message,
        requestId: row.request_id,
      })),
      rejectedWebhooks: rejected.rows.map((row) => ({
        id: toId(row.id),
        firstReceivedAt: row.first_received_at,
        lastReceivedAt: row.last_received_at,
        receivedCount: row.received_count,
        reason: row.reason,
        payload: row.payload,
        sourceAddress: row.source_address,
        requestId: row.request_id,
      })),
      postings: postings.rows.map((row) => ({
        id: toId(row.id),
        at: row.created_at,
        kind: row.kind,
        debitAccountId: toId(row.debit_account_id),
        debitKind: row.debit_kind,
        creditAccountId: toId(row.credit_account_id),
        creditKind: row.credit_kind,
        amountMinor: BigInt(row.amount),
        currency: row.currency,
      })),
      deadLetters: deadLetters.rows.map((row) => ({
        id: toId(row.id),
        at: row.dead_lettered_at,
        reason: row.reason,
        replayedAt: row.replayed_at,
        replayOutcome: row.replay_outcome,
      })),
      audit: audit.rows.map((row) => ({
        id: toId(row.id),
        at: row.at,
        operatorEmail: row.operator_email,
        action: row.action,
        reason: row.reason,
        outcome: row.outcome,
        requestId: row.request_id,
      })),
    };
  }

  /**
   * The overview's figures, each one indexed query: payments created in the last hour (per minute and
   * status, how many finished and how fast), the outbox backlog, stuck payments, dead letters, the workers'
   * heartbeats, rejected callbacks and the last ledger check.
   */
  async overview(options: { stuckThresholdS: number }): Promise<OverviewRecords> {
    const [now, throughput, finished, outbox, stuck, deadLetters, workers, rejected, ledger] = await Promise.all([
      this.pool.query<{ now: Date }>('SELECT now() AS now'),
      this.pool.query<{ minute: Date; status: string; count: string }>(
        `SELECT date_trunc('minute', created_at) AS minute, status, count(*) AS count
           FROM transactions WHERE created_at >= now() - interval '1 hour'
          GROUP BY 1, 2 ORDER BY 1`,
      ),
      this.pool.query<{ success: string; failed: string; p50: number | null; p99: number | null }>(
        `SELECT count(*) FILTER (WHERE status = 'success') AS success,
                count(*) FILTER (WHERE status = 'failed') AS failed,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000)
                  FILTER (WHERE completed_at IS NOT NULL) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000)
                  FILTER (WHERE completed_at IS NOT NULL) AS p99
           FROM transactions WHERE created_at >= now() - interval '1 hour'`,
      ),
      this.pool.query<{ unpublished: string; oldest_age_s: number | null }>(
        `SELECT count(*) AS unpublished, extract(epoch FROM now() - min(created_at))::double precision AS oldest_age_s
           FROM outbox WHERE published_at IS NULL`,
      ),
      this.pool.query<{ pending: string; processing: string }>(
        `SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                count(*) FILTER (WHERE status = 'processing') AS processing
           FROM transactions
          WHERE status IN ('pending', 'processing') AND created_at < now() - make_interval(secs => $1)`,
        [options.stuckThresholdS],
      ),
      this.pool.query<{ recorded: string; waiting: string }>(
        'SELECT count(*) AS recorded, count(*) FILTER (WHERE replayed_at IS NULL) AS waiting FROM dead_letters',
      ),
      this.pool.query<{
        worker_id: string;
        version: string;
        hostname: string;
        started_at: Date;
        last_seen_at: Date;
        in_flight: number;
        breaker_state: string;
        age_ms: number;
        queues: unknown;
      }>(
        `SELECT worker_id, version, hostname, started_at, last_seen_at, in_flight, breaker_state, queues,
                (extract(epoch FROM now() - last_seen_at) * 1000)::double precision AS age_ms
           FROM worker_heartbeats ORDER BY started_at`,
      ),
      this.pool.query<{ count: string }>(
        "SELECT count(*) AS count FROM rejected_webhooks WHERE last_received_at >= now() - interval '1 hour'",
      ),
      this.pool.query<{ checked_at: Date; is_balanced: boolean }>(
        'SELECT checked_at, is_balanced FROM ledger_checks ORDER BY checked_at DESC LIMIT 1',
      ),
    ]);
    const generatedAt = now.rows[0]?.now;
    assert(generatedAt !== undefined, 'SELECT now() gives a row');
    const finishedRow = finished.rows[0];
    const outboxRow = outbox.rows[0];
    const stuckRow = stuck.rows[0];
    const deadRow = deadLetters.rows[0];
    const ledgerRow = ledger.rows[0];
    return {
      generatedAt,
      throughput: throughput.rows.map((row) => ({
        minute: row.minute,
        status: toStatus(row.status),
        count: Number(row.count),
      })),
      finishedLastHour: { success: Number(finishedRow?.success ?? 0), failed: Number(finishedRow?.failed ?? 0) },
      settleLatencyMs: { p50: finishedRow?.p50 ?? null, p99: finishedRow?.p99 ?? null },
      outbox: { unpublished: Number(outboxRow?.unpublished ?? 0), oldestAgeS: outboxRow?.oldest_age_s ?? null },
      stuck: { pending: Number(stuckRow?.pending ?? 0), processing: Number(stuckRow?.processing ?? 0) },
      deadLetters: { recorded: Number(deadRow?.recorded ?? 0), waitingReplay: Number(deadRow?.waiting ?? 0) },
      workers: workers.rows.map((row) => {
        const breakerState = BREAKER_STATES.find((state) => state === row.breaker_state);
        assert(breakerState !== undefined, `unknown breaker state in database: ${row.breaker_state}`);
        return {
          workerId: row.worker_id,
          version: row.version,
          hostname: row.hostname,
          startedAt: row.started_at,
          lastSeenAt: row.last_seen_at,
          inFlight: row.in_flight,
          breakerState,
          ageMs: row.age_ms,
          queues: toQueues(row.queues),
        };
      }),
      webhooksRejectedLastHour: Number(rejected.rows[0]?.count ?? 0),
      lastLedgerCheck: ledgerRow ? { checkedAt: ledgerRow.checked_at, isBalanced: ledgerRow.is_balanced } : null,
    };
  }

  /** Users by id, newest first; `query` is a user id, or the start of an email. */
  async listUsers(
    query: { userId?: number | undefined; emailPrefix?: string | undefined },
    page: { limit: number; afterId?: number | undefined },
  ): Promise<KeysetPage<AdminUser>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (query.userId !== undefined) add((p) => `u.id = ${p}`, query.userId);
    if (query.emailPrefix !== undefined) {
      // LIKE's wildcards in what the operator typed are taken literally.
      add((p) => `u.email LIKE ${p} ESCAPE '\\'`, `${query.emailPrefix.replace(/[\\%_]/g, '\\$&')}%`);
    }
    if (page.afterId !== undefined) add((p) => `u.id < ${p}`, page.afterId);
    values.push(page.limit + 1);
    const { rows } = await this.pool.query<AdminUserRow>(
      `${ADMIN_USER_SELECT}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY u.id DESC LIMIT $${values.length}`,
      values,
    );
    const users = rows.map(toAdminUser);
    const hasMore = users.length > page.limit;
    const items = users.slice(0, page.limit);
    const last = items.at(-1);
    return { items, hasMore, nextCursor: hasMore && last ? String(last.id) : null };
  }

  async findUser(userId: number, recentLimit: number): Promise<AdminUserDetail | undefined> {
    const { rows } = await this.pool.query<AdminUserRow>(`${ADMIN_USER_SELECT} WHERE u.id = $1`, [userId]);
    const row = rows[0];
    if (!row) return undefined;
    const [keys, open, recent] = await Promise.all([
      this.pool.query<{ key_prefix: string; created_at: Date; revoked_at: Date | null }>(
        'SELECT key_prefix, created_at, revoked_at FROM api_keys WHERE user_id = $1 ORDER BY id DESC',
        [userId],
      ),
      this.pool.query<{ count: string }>(
        `SELECT count(*) AS count FROM transactions
          WHERE user_id = $1 AND type = 'withdrawal' AND status IN ('pending', 'processing')`,
        [userId],
      ),
      this.pool.query<AdminPaymentRow>(
        `SELECT ${ADMIN_PAYMENT_COLUMNS} FROM transactions t JOIN users u ON u.id = t.user_id
          WHERE t.user_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2`,
        [userId, recentLimit],
      ),
    ]);
    return {
      ...toAdminUser(row),
      keys: keys.rows.map((key) => ({ prefix: key.key_prefix, createdAt: key.created_at, revokedAt: key.revoked_at })),
      openWithdrawals: Number(open.rows[0]?.count ?? 0),
      recentPayments: recent.rows.map(toAdminPayment),
    };
  }

  /** Newest first, keyset-paged by (dead_lettered_at, id). */
  async listDeadLetters(
    state: 'all' | 'waiting' | 'replayed',
    page: { limit: number; cursor?: CursorPosition | undefined },
  ): Promise<KeysetPage<DeadLetterRecord>> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (state === 'waiting') where.push('d.replayed_at IS NULL');
    if (state === 'replayed') where.push('d.replayed_at IS NOT NULL');
    if (page.cursor) {
      values.push(new Date(page.cursor.createdAtMs), page.cursor.id);
      where.push(`(d.dead_lettered_at, d.id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(page.limit + 1);
    const { rows } = await this.pool.query<{
      id: string;
      transaction_id: string | null;
      reason: string;
      payload: unknown;
      headers: Record<string, unknown>;
      dead_lettered_at: Date;
      replayed_at: Date | null;
      replay_outcome: string | null;
      payment_status: string | null;
    }>(
      `SELECT d.id, d.transaction_id, d.reason, d.payload, d.headers, d.dead_lettered_at, d.replayed_at,
              d.replay_outcome, t.status AS payment_status
         FROM dead_letters d LEFT JOIN transactions t ON t.id = d.transaction_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY d.dead_lettered_at DESC, d.id DESC LIMIT $${values.length}`,
      values,
    );
    const records = rows.map((row): DeadLetterRecord => ({
      id: toId(row.id),
      transactionId: row.transaction_id === null ? null : toId(row.transaction_id),
      reason: row.reason,
      payload: row.payload,
      headers: row.headers,
      deadLetteredAt: row.dead_lettered_at,
      replayedAt: row.replayed_at,
      replayOutcome: row.replay_outcome,
      paymentStatus: row.payment_status === null ? null : toStatus(row.payment_status),
    }));
    return keysetPage(records, page.limit, (record) => ({
      createdAtMs: record.deadLetteredAt.getTime(),
      id: record.id,
    }));
  }
}

type AdminUserRow = {
  id: string;
  email: string;
  created_at: Date;
  currency: string | null;
  balance: string | null;
  held: string | null;
  active_key_count: string;
};

const ADMIN_USER_SELECT = `
  SELECT u.id, u.email, u.created_at, w.currency, w.balance, w.held,
         (SELECT count(*) FROM api_keys k WHERE k.user_id = u.id AND k.revoked_at IS NULL) AS active_key_count
    FROM users u
    LEFT JOIN LATERAL (
      SELECT currency, balance, held FROM accounts a
       WHERE a.user_id = u.id AND a.kind = 'wallet' ORDER BY a.id LIMIT 1
    ) w ON true`;

/** The queues a worker reported; anything malformed is left out rather than failing the overview. */
function toQueues(value: unknown): { name: string; messages: number; consumers: number }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { name, messages, consumers } = entry as Record<string, unknown>;
    return typeof name === 'string' && typeof messages === 'number' && typeof consumers === 'number'
      ? [{ name, messages, consumers }]
      : [];
  });
}

function toAdminUser(row: AdminUserRow): AdminUser {
  return {
    id: toId(row.id),
    email: row.email,
    // A user without a wallet is a half-made user (the CLI makes both at once); show it as empty.
    currency: row.currency ?? 'USD',
    balanceMinor: BigInt(row.balance ?? 0),
    heldMinor: BigInt(row.held ?? 0),
    createdAt: row.created_at,
    activeKeyCount: Number(row.active_key_count),
  };
}

function toAdminPayment(row: AdminPaymentRow): AdminPayment {
  return {
    transaction: toTransaction(row),
    userEmail: row.user_email,
    requestId: row.request_id,
    bankOrderKey: row.bank_order_key,
    submittedAt: row.submitted_at,
  };
}

function keysetPage<T>(rows: T[], limit: number, positionOf: (item: T) => CursorPosition): KeysetPage<T> {
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, hasMore, nextCursor: hasMore && last ? encodeCursor(positionOf(last)) : null };
}
