// `pnpm bench history`: history pages at a million rows. A data loader generates, in SQL, 1,000,000
// transactions for one user and 1,000,000 spread over 10,000 users (a year of history each), once per
// database (rerun with BENCH_HISTORY_RELOAD=1). Then the list queries the API and the console run are
// timed one call at a time, p50/p99 over many calls: through the repository (raw SQL, what the API runs)
// and through the Prisma client with the same semantics, side by side, so the read-side rule of
// DESIGN.md ("the Prisma client where its cost is within 10% of raw SQL") is decided on figures.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

import { AdminReads, createPool, TransactionsRepository } from '@paygate/db';
import type { AdminPaymentFilter, TransactionFilter } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import type { PrismaClient } from '@paygate/db/prisma';
import { decodeCursor, encodeCursor } from '@paygate/domain';

import { bulkLoadedDatabase, cpuModel, loadAverage, writeReport } from './lib';

const DATABASE = 'paygate_bench_history';
const HEAVY_ROWS = Number(process.env.BENCH_HISTORY_HEAVY_ROWS ?? 1_000_000);
const SPREAD_ROWS = Number(process.env.BENCH_HISTORY_SPREAD_ROWS ?? 1_000_000);
const SPREAD_USERS = 10_000;
const CALLS = Number(process.env.BENCH_HISTORY_CALLS ?? 300);
const WARMUP_CALLS = 30;
const PAGE_LIMIT = 20;
/** The API's HISTORY_EXACT_TOTAL_MAX default: past it the page's total is an estimate. */
const EXACT_TOTAL_MAX = Number(process.env.HISTORY_EXACT_TOTAL_MAX ?? 10_000);

interface Case {
  name: string;
  filter: TransactionFilter;
  /** A keyset cursor deep into the history (half way down), instead of the first page. */
  isDeep?: boolean;
}

interface Timing {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export async function benchHistory(): Promise<void> {
  console.log(
    `bench history: ${HEAVY_ROWS} rows for one user + ${SPREAD_ROWS} over ${SPREAD_USERS} users, ${CALLS} calls per case on ${cpuModel()}`,
  );
  const url = await prepareDatabase();
  const pool = createPool({
    connectionString: url,
    applicationName: 'bench-history',
    poolSizeMax: 4,
    statementTimeoutMs: 60_000,
    connectionTimeoutMs: 5_000,
    idleTimeoutMs: 10_000,
  });
  const prisma = createPrismaClient(url, 4);
  try {
    const heavyUserId = 1;
    const spreadUserId = 2 + Math.floor(SPREAD_USERS / 2);
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    const twoMonthsAgo = new Date(Date.now() - 60 * 86_400_000);
    const cases: Case[] = [
      { name: 'first page, one user with 1M', filter: { userId: heavyUserId } },
      { name: 'deep cursor page (row ~500k)', filter: { userId: heavyUserId }, isDeep: true },
      { name: 'status=failed', filter: { userId: heavyUserId, status: 'failed' } },
      { name: 'type=withdrawal', filter: { userId: heavyUserId, type: 'withdrawal' } },
      {
        name: 'one month (created_from/to)',
        filter: { userId: heavyUserId, createdFrom: twoMonthsAgo, createdTo: monthAgo },
      },
      {
        name: 'amount 100.00..200.00',
        filter: { userId: heavyUserId, amountMinMinor: 10_000n, amountMaxMinor: 20_000n },
      },
      { name: 'first page, a user with ~100', filter: { userId: spreadUserId } },
    ];
    // The API's page (total exact up to the bound, then an estimate) beside the same page counted exactly.
    const repository = new TransactionsRepository(pool, { exactTotalMax: EXACT_TOTAL_MAX });
    const exactRepository = new TransactionsRepository(pool);
    const results = [];
    for (const benchCase of cases) {
      const cursor = benchCase.isDeep ? await deepCursor(pool, benchCase.filter.userId) : undefined;
      const pageRequest = { limit: PAGE_LIMIT, offset: 0, cursor: cursor ? decodeCursor(cursor) : undefined };
      const sample = await repository.list(benchCase.filter, pageRequest);
      const raw = await time(() => repository.list(benchCase.filter, pageRequest));
      const exact = await time(() => exactRepository.list(benchCase.filter, pageRequest));
      const rawItemsOnly = await time(() => listItemsRaw(pool, benchCase.filter, cursor));
      const viaPrisma = await time(() => listItemsPrisma(prisma, benchCase.filter, cursor));
      const count = await time(() => countRaw(pool, benchCase.filter));
      results.push({
        case: benchCase.name,
        total: sample.total,
        totalIsEstimate: sample.totalIsEstimate,
        repository: raw,
        repositoryExactTotal: exact,
        itemsRaw: rawItemsOnly,
        itemsPrisma: viaPrisma,
        countOnly: count,
        prismaOverRaw: round(viaPrisma.p50Ms / rawItemsOnly.p50Ms),
      });
    }
    console.log(
      `\n| case | total (estimate?) | API page, total exact up to ${EXACT_TOTAL_MAX} p50 / p99 | page with exact COUNT(*) p50 / p99 | items only, raw SQL p50 / p99 | items only, Prisma p50 / p99 | Prisma / raw (p50) | COUNT(*) alone p50 |`,
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const result of results) {
      console.log(
        `| ${result.case} | ${result.total}${result.totalIsEstimate ? ' (estimate)' : ''} | ${fmt(result.repository)} | ${fmt(result.repositoryExactTotal)} | ${fmt(result.itemsRaw)} | ${fmt(result.itemsPrisma)} | ${result.prismaOverRaw} | ${result.countOnly.p50Ms} ms |`,
      );
    }
    const worstP99Ms = Math.max(...results.map((result) => result.repository.p99Ms));
    console.log(`worst API page p99 ${worstP99Ms} ms (target < 20 ms); load average ${loadAverage()}`);
    const operatorSearch = await benchOperatorSearch(pool, { heavyUserId, monthAgo, twoMonthsAgo });
    console.log('\n| operator search (console), 25 per page, 2M rows | p50 / p99 |');
    console.log('|---|---|');
    for (const result of operatorSearch) console.log(`| ${result.case} | ${fmt(result.timing)} |`);
    const worstSearchP99Ms = Math.max(...operatorSearch.map((result) => result.timing.p99Ms));
    console.log(`worst operator search p99 ${worstSearchP99Ms} ms (target < 100 ms)`);
    const file = writeReport('history', {
      cpu: cpuModel(),
      heavyRows: HEAVY_ROWS,
      spreadRows: SPREAD_ROWS,
      spreadUsers: SPREAD_USERS,
      calls: CALLS,
      exactTotalMax: EXACT_TOTAL_MAX,
      loadAverage: loadAverage(),
      results,
      operatorSearch,
    });
    console.log(`\nreport: ${file}`);
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

/** The two populations, loaded once and reused while their sizes match. */
function prepareDatabase(): Promise<string> {
  return bulkLoadedDatabase({
    name: DATABASE,
    marker: `history:${HEAVY_ROWS}:${SPREAD_ROWS}:${SPREAD_USERS}`,
    reload: process.env.BENCH_HISTORY_RELOAD === '1',
    users: { sql: LOAD_USERS_SQL, params: [SPREAD_USERS] },
    transactions: { sql: LOAD_TRANSACTIONS_SQL, params: [HEAVY_ROWS, SPREAD_ROWS, SPREAD_USERS] },
  });
}

/**
 * One statement per table. User 1 has the heavy history; users 2..N+1 share the rest. Times fall over the
 * last year, newest first by id; statuses are mostly final (success 90%, failed 7%), with some in flight.
 */
const LOAD_USERS_SQL = `
WITH new_users AS (
  INSERT INTO users (email) SELECT 'bench-' || n || '@history.paygate' FROM generate_series(1, $1::int + 1) AS n RETURNING id
)
INSERT INTO accounts (user_id, kind, currency) SELECT id, 'wallet', 'USD' FROM new_users`;

const LOAD_TRANSACTIONS_SQL = `
INSERT INTO transactions (user_id, account_id, type, status, amount, currency, bank_reference, error_code, error_message,
                          idempotency_key, created_at, updated_at, completed_at)
SELECT t.user_id, a.id, t.type, t.status, t.amount, 'USD',
       CASE WHEN t.status IN ('success', 'failed') THEN 'BNK-' || lpad(to_hex(t.n), 12, '0') END,
       CASE WHEN t.status = 'failed' THEN 'bank_declined' END,
       CASE WHEN t.status = 'failed' THEN 'The bank declined the payment.' END,
       'bench-' || t.n, t.created_at, t.created_at, CASE WHEN t.status IN ('success', 'failed') THEN t.created_at END
  FROM (SELECT *, now() - age_fraction * interval '365 days' AS created_at FROM (
    SELECT n,
           CASE WHEN n <= $1 THEN 1 ELSE 2 + (n % $3) END AS user_id,
           -- Each population spans the last year, its highest n the newest.
           CASE WHEN n <= $1 THEN ($1 - n)::float / $1 ELSE ($1 + $2 - n)::float / $2 END AS age_fraction,
           CASE WHEN (n * 7) % 2 = 0 THEN 'deposit' ELSE 'withdrawal' END AS type,
           CASE WHEN n % 100 < 90 THEN 'success' WHEN n % 100 < 97 THEN 'failed' WHEN n % 100 < 99 THEN 'processing' ELSE 'pending' END AS status,
           1 + ((n * 7919) % 100000) AS amount
      FROM generate_series(1::bigint, $1::bigint + $2::bigint) AS n
  ) g) t
  JOIN accounts a ON a.user_id = t.user_id AND a.kind = 'wallet'`;

/** The console's payment search (AdminReads.searchPayments) over both populations, as an operator uses it. */
async function benchOperatorSearch(
  pool: pg.Pool,
  at: { heavyUserId: number; monthAgo: Date; twoMonthsAgo: Date },
): Promise<{ case: string; timing: Timing }[]> {
  const reads = new AdminReads(pool);
  const { rows } = await pool.query<{ bank_reference: string; email: string }>(
    `SELECT t.bank_reference, u.email FROM transactions t JOIN users u ON u.id = t.user_id
      WHERE t.user_id = $1 AND t.bank_reference IS NOT NULL ORDER BY t.id LIMIT 1`,
    [at.heavyUserId],
  );
  const sample = rows[0];
  if (!sample) throw new Error('no transaction to search for');
  const cases: { name: string; filter: AdminPaymentFilter }[] = [
    { name: 'newest payments, no filter', filter: {} },
    { name: 'by bank reference', filter: { lookup: { kind: 'text', value: sample.bank_reference } } },
    { name: "by the 1M-row user's email", filter: { lookup: { kind: 'email', email: sample.email } } },
    { name: 'status=failed', filter: { status: 'failed' } },
    {
      name: 'type=withdrawal, one month',
      filter: { type: 'withdrawal', createdFrom: at.twoMonthsAgo, createdTo: at.monthAgo },
    },
    { name: 'amount 100.00..200.00', filter: { amountMinMinor: 10_000n, amountMaxMinor: 20_000n } },
    { name: 'stuck (pending/processing) for a month', filter: { stuckBefore: at.monthAgo } },
  ];
  const results = [];
  for (const searchCase of cases)
    results.push({
      case: searchCase.name,
      timing: await time(() => reads.searchPayments(searchCase.filter, { limit: 25 })),
    });
  return results;
}

async function deepCursor(pool: pg.Pool, userId: number): Promise<string> {
  const { rows } = await pool.query<{ created_at: Date; id: string }>(
    'SELECT created_at, id FROM transactions WHERE user_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1',
    [userId, Math.floor(HEAVY_ROWS / 2)],
  );
  const row = rows[0];
  if (!row) throw new Error('no row for the deep cursor');
  return encodeCursor({ createdAtMs: row.created_at.getTime(), id: Number(row.id) });
}

/** The repository's page query without its COUNT(*): what the items alone cost in raw SQL. */
async function listItemsRaw(pool: pg.Pool, filter: TransactionFilter, cursor: string | undefined): Promise<unknown[]> {
  const { where, values } = whereOf(filter, cursor);
  values.push(PAGE_LIMIT + 1);
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT id, user_id, type, status, amount, currency, bank_reference, error_code, error_message, idempotency_key, created_at, updated_at, completed_at
       FROM transactions WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  return rows;
}

async function countRaw(pool: pg.Pool, filter: TransactionFilter): Promise<number> {
  const { where, values } = whereOf(filter, undefined);
  const { rows } = await pool.query<{ total: string }>(
    `SELECT count(*) AS total FROM transactions WHERE ${where.join(' AND ')}`,
    values,
  );
  return Number(rows[0]?.total ?? 0);
}

/** The same page through the Prisma client (same filter, order, limit and keyset). */
function listItemsPrisma(
  prisma: PrismaClient,
  filter: TransactionFilter,
  cursor: string | undefined,
): Promise<unknown[]> {
  const position = cursor ? decodeCursor(cursor) : undefined;
  return prisma.transaction.findMany({
    where: {
      userId: BigInt(filter.userId),
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.createdFrom || filter.createdTo
        ? { createdAt: { gte: filter.createdFrom, lt: filter.createdTo } }
        : {}),
      ...(filter.amountMinMinor !== undefined || filter.amountMaxMinor !== undefined
        ? { amount: { gte: filter.amountMinMinor, lte: filter.amountMaxMinor } }
        : {}),
      ...(position
        ? {
            OR: [
              { createdAt: { lt: new Date(position.createdAtMs) } },
              { createdAt: new Date(position.createdAtMs), id: { lt: BigInt(position.id) } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: PAGE_LIMIT + 1,
    select: {
      id: true,
      userId: true,
      type: true,
      status: true,
      amount: true,
      currency: true,
      bankReference: true,
      errorCode: true,
      errorMessage: true,
      idempotencyKey: true,
      createdAt: true,
      updatedAt: true,
      completedAt: true,
    },
  });
}

function whereOf(filter: TransactionFilter, cursor: string | undefined): { where: string[]; values: unknown[] } {
  const where = ['user_id = $1'];
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
  const position = cursor ? decodeCursor(cursor) : undefined;
  if (position) {
    values.push(new Date(position.createdAtMs), position.id);
    where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
  }
  return { where, values };
}

async function time(call: () => Promise<unknown>): Promise<Timing> {
  for (let index = 0; index < WARMUP_CALLS; index += 1) await call();
  const samplesMs: number[] = [];
  for (let index = 0; index < CALLS; index += 1) {
    const startedMs = performance.now();
    await call();
    samplesMs.push(performance.now() - startedMs);
  }
  samplesMs.sort((a, b) => a - b);
  const at = (quantile: number) =>
    round(samplesMs[Math.min(samplesMs.length - 1, Math.floor(quantile * samplesMs.length))] ?? 0);
  return {
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    meanMs: round(samplesMs.reduce((sum, value) => sum + value, 0) / samplesMs.length),
  };
}

function fmt(timing: Timing): string {
  return `${timing.p50Ms} / ${timing.p99Ms} ms`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
