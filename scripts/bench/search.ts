// `pnpm bench search`: the operator console's payment search (AdminReads.searchPayments, the SQL the
// operator API runs) at a million transactions. A data loader generates, in SQL, 1,000,000 payments over
// 10,000 users plus one heavy user with a tenth of them, with what an operator searches by (ids, emails,
// idempotency keys, request ids, bank references and order keys) filled in as the system fills them, once
// per database (rerun with BENCH_SEARCH_RELOAD=1); migrations are applied on every run, so a new index is
// measured without reloading. Then each query kind is timed one call at a time over many calls, each call
// with another value (an id, a key, a time window...) so no single cached row flatters it: p50 and p99 per
// kind, against the target of p99 < 100 ms.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

import { AdminReads, createPool } from '@paygate/db';
import type { AdminPaymentFilter } from '@paygate/db';
import type { CursorPosition } from '@paygate/domain';

import { bulkLoadedDatabase, cpuModel, writeReport } from './lib';

const DATABASE = 'paygate_bench_search';
const ROWS = Number(process.env.BENCH_SEARCH_ROWS ?? 1_000_000);
const USERS = 10_000;
const CALLS = Number(process.env.BENCH_SEARCH_CALLS ?? 300);
const WARMUP_CALLS = 20;
const PAGE_LIMIT = 50;
const TARGET_P99_MS = 100;
/** Bump when the loader changes what it writes, so an older database is loaded again. */
const LOADER_VERSION = 1;

interface Sample {
  id: number;
  userId: number;
  email: string;
  idempotencyKey: string;
  requestId: string;
  bankReference: string | null;
  bankOrderKey: string | null;
  amountMinor: bigint;
  createdAt: Date;
}

interface Case {
  kind: string;
  /** The filter and page of the call with this index (values rotate through the samples). */
  call: (index: number) => { filter: AdminPaymentFilter; cursor?: CursorPosition };
}

interface Timing {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export async function benchSearch(): Promise<void> {
  console.log(`bench search: ${ROWS} payments over ${USERS} users + 1 heavy, ${CALLS} calls per kind on ${cpuModel()}`);
  const url = await prepareDatabase();
  const pool = createPool({
    connectionString: url,
    applicationName: 'bench-search',
    poolSizeMax: 2,
    statementTimeoutMs: 60_000,
    connectionTimeoutMs: 5_000,
    idleTimeoutMs: 10_000,
  });
  try {
    const samples = await samplesOf(pool);
    const heavy = await heavyUserOf(pool);
    const reads = new AdminReads(pool);
    const pick = (index: number): Sample => {
      const sample = samples[index % samples.length];
      if (!sample) throw new Error('no samples');
      return sample;
    };
    const dayMs = 86_400_000;
    const nowMs = Date.now();
    const stuckBefore = new Date(nowMs - 300_000);
    const cases: Case[] = [
      { kind: 'by id', call: (i) => ({ filter: { lookup: { kind: 'id', id: pick(i).id } } }) },
      {
        kind: 'by user email (~90 payments)',
        call: (i) => ({ filter: { lookup: { kind: 'email', email: pick(i).email } } }),
      },
      {
        kind: 'by user email, heavy user (100k payments)',
        call: () => ({ filter: { lookup: { kind: 'email', email: heavy } } }),
      },
      {
        kind: 'by idempotency key (text)',
        call: (i) => ({ filter: { lookup: { kind: 'text', value: textKeyOf(pick(i), i) } } }),
      },
      {
        kind: 'by idempotency key (UUID)',
        call: (i) => ({ filter: { lookup: { kind: 'uuid', value: uuidKeyOf(pick(i), i) } } }),
      },
      {
        kind: 'by bank reference',
        call: (i) => ({ filter: { lookup: { kind: 'text', value: referenceOf(pick(i), i) } } }),
      },
      {
        kind: 'by request id (UUID)',
        call: (i) => ({ filter: { lookup: { kind: 'uuid', value: pick(i).requestId } } }),
      },
      {
        kind: 'by bank order key (UUID)',
        call: (i) => ({ filter: { lookup: { kind: 'uuid', value: orderKeyOf(pick(i), i) } } }),
      },
      {
        kind: 'text matching nothing',
        call: (i) => ({ filter: { lookup: { kind: 'text', value: `no-such-thing-${i}` } } }),
      },
      { kind: 'no filter, newest first', call: () => ({ filter: {} }) },
      { kind: 'status=failed', call: () => ({ filter: { status: 'failed' } }) },
      { kind: 'stuck=true (pending/processing > 5 min)', call: () => ({ filter: { stuckBefore } }) },
      { kind: 'status=pending', call: () => ({ filter: { status: 'pending' } }) },
      { kind: 'type=withdrawal', call: () => ({ filter: { type: 'withdrawal' } }) },
      {
        kind: 'amount range 100.00..200.00',
        call: () => ({ filter: { amountMinMinor: 10_000n, amountMaxMinor: 20_000n } }),
      },
      {
        kind: 'exact amount (min = max)',
        call: (i) => ({ filter: { amountMinMinor: pick(i).amountMinor, amountMaxMinor: pick(i).amountMinor } }),
      },
      {
        kind: 'one day, a random day of the year',
        call: (i) => {
          const fromMs = nowMs - (1 + (i % 360)) * dayMs;
          return { filter: { createdFrom: new Date(fromMs), createdTo: new Date(fromMs + dayMs) } };
        },
      },
      {
        kind: 'failed withdrawals 100.00..200.00 in a month',
        call: (i) => {
          const fromMs = nowMs - (30 + (i % 300)) * dayMs;
          return {
            filter: {
              status: 'failed',
              type: 'withdrawal',
              amountMinMinor: 10_000n,
              amountMaxMinor: 20_000n,
              createdFrom: new Date(fromMs),
              createdTo: new Date(fromMs + 30 * dayMs),
            },
          };
        },
      },
      {
        kind: 'heavy user, status=failed, exact amount',
        call: (i) => ({
          filter: {
            lookup: { kind: 'email', email: heavy },
            status: 'failed',
            amountMinMinor: pick(i).amountMinor,
            amountMaxMinor: pick(i).amountMinor,
          },
        }),
      },
      {
        kind: 'keyset page deep in the year (no filter)',
        call: (i) => ({ filter: {}, cursor: { createdAtMs: pick(i).createdAt.getTime(), id: pick(i).id } }),
      },
      {
        kind: 'keyset page deep in the year, status=failed',
        call: (i) => ({
          filter: { status: 'failed' },
          cursor: { createdAtMs: pick(i).createdAt.getTime(), id: pick(i).id },
        }),
      },
    ];
    const results: { kind: string; timing: Timing; meetsTarget: boolean; rowsFirstCall: number }[] = [];
    for (const benchCase of cases) {
      const first = benchCase.call(0);
      const rowsFirstCall = (await reads.searchPayments(first.filter, { limit: PAGE_LIMIT, cursor: first.cursor }))
        .items.length;
      const timing = await time(async (index) => {
        const { filter, cursor } = benchCase.call(index);
        await reads.searchPayments(filter, { limit: PAGE_LIMIT, cursor });
      });
      results.push({ kind: benchCase.kind, timing, meetsTarget: timing.p99Ms < TARGET_P99_MS, rowsFirstCall });
      console.log(`  ${benchCase.kind}: p50 ${timing.p50Ms} ms, p99 ${timing.p99Ms} ms`);
    }
    console.log(`\n| query kind | p50 | p99 | max | p99 < ${TARGET_P99_MS} ms |`);
    console.log('|---|---|---|---|---|');
    for (const result of results) {
      const { p50Ms, p99Ms, maxMs } = result.timing;
      console.log(
        `| ${result.kind} | ${p50Ms} ms | ${p99Ms} ms | ${maxMs} ms | ${result.meetsTarget ? 'yes' : '**no**'} |`,
      );
    }
    const file = writeReport('search', {
      cpu: cpuModel(),
      rows: ROWS,
      users: USERS,
      calls: CALLS,
      pageLimit: PAGE_LIMIT,
      targetP99Ms: TARGET_P99_MS,
      indexes: await indexesOf(pool),
      results,
    });
    console.log(`\nreport: ${file}`);
    const missed = results.filter((result) => !result.meetsTarget);
    if (missed.length > 0) console.log(`missed the target: ${missed.map((result) => result.kind).join('; ')}`);
  } finally {
    await pool.end();
  }
}

// Each lookup kind needs a row that has that value: the rows that lack it (a pending payment has no bank
// reference yet, half the keys are not UUIDs) borrow it from a row that has.
function textKeyOf(sample: Sample, index: number): string {
  return UUID.test(sample.idempotencyKey) ? `order-${2 * ((index * 7919) % (ROWS / 2)) + 1}` : sample.idempotencyKey;
}
function uuidKeyOf(sample: Sample, index: number): string {
  return UUID.test(sample.idempotencyKey) ? sample.idempotencyKey : uuidOf(`idem${2 * (1 + (index % (ROWS / 2)))}`);
}
function referenceOf(sample: Sample, index: number): string {
  return (
    sample.bankReference ?? `BNK-${(1 + ((index * 7919) % (ROWS - 2000))).toString(16).toUpperCase().padStart(10, '0')}`
  );
}
function orderKeyOf(sample: Sample, index: number): string {
  return sample.bankOrderKey ?? uuidOf(`order${1 + ((index * 7919) % (ROWS - 2000))}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What PostgreSQL's md5(text)::uuid gives, so the bench can name a value the loader wrote. */
function uuidOf(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Random rows to search for, spread over the whole year (TABLESAMPLE reads random pages, not the newest). */
async function samplesOf(pool: pg.Pool): Promise<Sample[]> {
  const { rows } = await pool.query<{
    id: string;
    user_id: string;
    email: string;
    idempotency_key: string;
    request_id: string;
    bank_reference: string | null;
    bank_order_key: string | null;
    amount: string;
    created_at: Date;
  }>(
    `SELECT t.id, t.user_id, u.email, t.idempotency_key, t.request_id, t.bank_reference, t.bank_order_key::text,
            t.amount, t.created_at
       FROM transactions t TABLESAMPLE SYSTEM (1) JOIN users u ON u.id = t.user_id
      WHERE t.user_id <> 1
      ORDER BY random() LIMIT 1000`,
  );
  if (rows.length < 100) throw new Error(`only ${rows.length} sample rows`);
  return rows.map((row) => ({
    id: Number(row.id),
    userId: Number(row.user_id),
    email: row.email,
    idempotencyKey: row.idempotency_key,
    requestId: row.request_id,
    bankReference: row.bank_reference,
    bankOrderKey: row.bank_order_key,
    amountMinor: BigInt(row.amount),
    createdAt: row.created_at,
  }));
}

async function heavyUserOf(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ email: string }>('SELECT email FROM users WHERE id = 1');
  const email = rows[0]?.email;
  if (!email) throw new Error('no heavy user');
  return email;
}

async function indexesOf(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ indexdef: string }>(
    "SELECT indexdef FROM pg_indexes WHERE tablename = 'transactions' ORDER BY indexname",
  );
  return rows.map((row) => row.indexdef);
}

/** The payments, loaded once and reused while the loader and the size match. */
function prepareDatabase(): Promise<string> {
  return bulkLoadedDatabase({
    name: DATABASE,
    marker: `search:v${LOADER_VERSION}:${ROWS}:${USERS}`,
    reload: process.env.BENCH_SEARCH_RELOAD === '1',
    users: { sql: LOAD_USERS_SQL, params: [USERS] },
    transactions: { sql: LOAD_TRANSACTIONS_SQL, params: [ROWS, USERS] },
  });
}

/** User 1 is the heavy one; users 2..N+1 share the rest. */
const LOAD_USERS_SQL = `
WITH new_users AS (
  INSERT INTO users (email) SELECT 'bench-' || n || '@search.paygate' FROM generate_series(1, $1::int + 1) AS n RETURNING id
)
INSERT INTO accounts (user_id, kind, currency) SELECT id, 'wallet', 'USD' FROM new_users`;

/**
 * A year of payments, the highest n the newest. Every tenth belongs to the heavy user. The newest 2,000
 * are still in flight (pending or processing, most past the 5-minute stuck threshold); the rest are final
 * (success 90%, failed 10%). Every payment has a request id (a UUID, as the API makes them); idempotency
 * keys are UUIDs for even n and "order-<n>" for odd n, as clients send both; submitted payments have an
 * order key, final ones a bank reference.
 */
const LOAD_TRANSACTIONS_SQL = `
INSERT INTO transactions (user_id, account_id, type, status, amount, currency, bank_reference, error_code, error_message,
                          idempotency_key, request_id, bank_order_key, submitted_at, created_at, updated_at, completed_at)
SELECT t.user_id, a.id, t.type, t.status, t.amount, 'USD',
       CASE WHEN t.status IN ('success', 'failed') THEN 'BNK-' || upper(lpad(to_hex(t.n), 10, '0')) END,
       CASE WHEN t.status = 'failed' THEN 'bank_declined' END,
       CASE WHEN t.status = 'failed' THEN 'The bank declined the payment.' END,
       CASE WHEN t.n % 2 = 0 THEN md5('idem' || t.n)::uuid::text ELSE 'order-' || t.n END,
       md5('request' || t.n)::uuid::text,
       CASE WHEN t.status <> 'pending' THEN md5('order' || t.n)::uuid END,
       CASE WHEN t.status <> 'pending' THEN t.created_at + interval '40 milliseconds' END,
       t.created_at, t.created_at,
       CASE WHEN t.status IN ('success', 'failed') THEN t.created_at + interval '3 seconds' END
  FROM (SELECT *, now() - age_fraction * interval '365 days' AS created_at FROM (
    SELECT n,
           CASE WHEN n % 10 = 0 THEN 1 ELSE 2 + (n % $2::int) END AS user_id,
           ($1 - n)::float / $1 AS age_fraction,
           CASE WHEN (n * 7) % 3 = 0 THEN 'withdrawal' ELSE 'deposit' END AS type,
           CASE WHEN n > $1 - 2000 THEN (CASE WHEN n % 2 = 0 THEN 'pending' ELSE 'processing' END)
                WHEN n % 10 = 3 THEN 'failed' ELSE 'success' END AS status,
           1 + ((n * 7919) % 100000) AS amount
      FROM generate_series(1::bigint, $1::bigint) AS n
  ) g) t
  JOIN accounts a ON a.user_id = t.user_id AND a.kind = 'wallet'`;

async function time(call: (index: number) => Promise<void>): Promise<Timing> {
  for (let index = 0; index < WARMUP_CALLS; index += 1) await call(CALLS + index);
  const samplesMs: number[] = [];
  for (let index = 0; index < CALLS; index += 1) {
    const startedMs = performance.now();
    await call(index);
    samplesMs.push(performance.now() - startedMs);
  }
  samplesMs.sort((a, b) => a - b);
  const at = (quantile: number) =>
    round(samplesMs[Math.min(samplesMs.length - 1, Math.floor(quantile * samplesMs.length))] ?? 0);
  return {
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: round(samplesMs.at(-1) ?? 0),
    meanMs: round(samplesMs.reduce((sum, value) => sum + value, 0) / samplesMs.length),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
