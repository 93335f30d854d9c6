// `pnpm bench settle`: deposits and withdrawals driven through the whole running system (api, worker,
// bank-sim with no delay and always success) for a while; settled transactions per second and
// create-to-success latency come from the database's own timestamps. Beside it, in the same run, pgbench
// runs the same SQL as one create + settle.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

import { runMigrations, UserAdmin } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import { createIsolatedRun, startStack } from '@paygate/testkit';

import { cpuMeter, cpuModel, cpuProfileArgs, loadAverage, pgbench, rssSampler, run, sleep, writeReport } from './lib';

const CLIENTS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/**
 * The paced phase's rate: below saturation, so its latency is the pipeline's, not a queue's. By default
 * half the rate the saturated phase settled at (the target is stated there).
 */
const PACED_PER_SECOND_SET =
  process.env.BENCH_SETTLE_RATE === undefined ? undefined : Number(process.env.BENCH_SETTLE_RATE);
const USERS = 100;

export async function benchSettle(): Promise<void> {
  console.log(`bench settle: ${CLIENTS} clients x ${SECONDS} s on ${cpuModel()}`);
  run('pnpm', [
    'turbo',
    'run',
    'build',
    '--filter=@paygate/api',
    '--filter=@paygate/worker',
    '--filter=@paygate/bank-sim',
    '--output-logs=errors-only',
  ]);
  const isolated = await createIsolatedRun({
    label: 'bench_settle',
    bankDatabase: true,
    migrate: async (url) => {
      await runMigrations(url);
    },
  });
  const stack = await startStack({
    run: isolated.info(),
    nodeArgs: { api: cpuProfileArgs('api'), worker: cpuProfileArgs('worker'), bank: cpuProfileArgs('bank-sim') },
    env: {
      all: { LOG_LEVEL: 'warn' },
      bank: { BANK_MIN_DELAY_MS: '0', BANK_MAX_DELAY_MS: '0', BANK_SUCCESS_RATE: '1' },
      api: {
        RATE_LIMIT_GLOBAL_PER_MIN: '100000000',
        RATE_LIMIT_BALANCE_PER_MIN: '10000000',
        RATE_LIMIT_TRANSACTIONS_PER_MIN: '10000000',
      },
    },
  });
  const pool = new pg.Pool({ connectionString: isolated.databaseUrl, max: 2 });
  try {
    const prisma = createPrismaClient(isolated.databaseUrl, 2);
    const admin = new UserAdmin(prisma);
    const keys: string[] = [];
    for (let index = 0; index < USERS; index += 1) {
      keys.push(
        (
          await admin.createUser({
            email: `settle-${index}@bench.paygate`,
            openingBalanceMinor: 100_000_000n,
            currency: 'USD',
          })
        ).apiKey,
      );
    }
    await prisma.$disconnect();

    let sent = 0;
    let refused = 0;
    const create = async () => {
      const key = keys[sent % keys.length] ?? '';
      const kind = sent % 2 === 0 ? 'deposits' : 'withdrawals';
      sent += 1;
      const response = await fetch(`${stack.apiUrl}/api/v1/${kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': randomUUID() },
        body: '{"amount":"1.25"}',
      });
      await response.arrayBuffer();
      if (response.status !== 202) refused += 1;
    };
    const waitQuiet = async () => {
      for (let waited = 0; waited < 60_000; waited += 250) {
        const { rows } = await pool.query<{ open: string }>(
          "SELECT count(*) AS open FROM transactions WHERE status IN ('pending', 'processing')",
        );
        if (Number(rows[0]?.open) === 0) return;
        await sleep(250);
      }
    };

    // Phase 1, saturation: CLIENTS closed-loop clients create as fast as the API answers.
    const loadAtStart = loadAverage();
    const apps = { api: stack.api.pid ?? 0, worker: stack.worker.pid ?? 0, bank: stack.bank.pid ?? 0 };
    const rss = Object.fromEntries(Object.entries(apps).map(([name, pid]) => [name, rssSampler(pid)]));
    const cpu = Object.fromEntries(Object.entries(apps).map(([name, pid]) => [name, cpuMeter(pid)]));
    const saturatedFrom = new Date();
    const stopAt = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < stopAt) await create();
      }),
    );
    await waitQuiet();
    const saturated = await figures(pool, saturatedFrom);
    // CPU per settled payment in each process: the hops' cost, from /proc, while saturated.
    const cpuUsPerSettled = Object.fromEntries(
      Object.entries(cpu).map(([name, meter]) => [
        name,
        Math.round((meter.sinceMs() * 1000) / Math.max(saturated.settled, 1)),
      ]),
    );

    // Phase 2, paced: a steady rate, so create-to-success is measured without a backlog.
    const PACED_PER_SECOND = PACED_PER_SECOND_SET ?? Math.max(1, Math.round(saturated.perSecond / 2));
    const pacedFrom = new Date();
    const inFlight: Promise<void>[] = [];
    const pacedStopAt = Date.now() + 10_000;
    for (let next = Date.now(); next < pacedStopAt; next += 1000 / PACED_PER_SECOND) {
      await sleep(Math.max(0, next - Date.now()));
      inFlight.push(create());
    }
    await Promise.all(inFlight);
    await waitQuiet();
    const paced = await figures(pool, pacedFrom);
    const peakRssMb = Object.fromEntries(Object.entries(rss).map(([name, sampler]) => [name, sampler.peakMb()]));
    for (const sampler of Object.values(rss)) sampler.stop();
    const settled = saturated.settled;
    const settledPerSecond = saturated.perSecond;
    const spanS = saturated.spanS;
    const row = { open: String(saturated.open + paced.open), p50: String(saturated.p50), p99: String(saturated.p99) };
    // The system stops first: its relay would otherwise publish pgbench's outbox rows under it.
    await stack.stop();
    const tps = pgbench(
      isolated.databaseUrl,
      path.join('scripts', 'bench', 'create-settle.pgbench.sql'),
      CLIENTS,
      SECONDS,
      { user_min: '1', user_max: String(USERS) },
    );
    const report = {
      machine: cpuModel(),
      loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
      clients: CLIENTS,
      seconds: SECONDS,
      requestsSent: sent,
      requestsRefused: refused,
      settled,
      stillOpen: Number(row.open),
      settledPerSecond,
      saturatedCreateToSuccessP50Ms: Math.round(Number(row.p50)),
      saturatedCreateToSuccessP99Ms: Math.round(Number(row.p99)),
      pacedPerSecond: PACED_PER_SECOND,
      pacedSettled: paced.settled,
      pacedCreateToSuccessP50Ms: Math.round(paced.p50),
      pacedCreateToSuccessP99Ms: Math.round(paced.p99),
      cpuUsPerSettled,
      peakRssMb,
      pgbenchCreateSettleTps: tps,
      ratioSettledToPgbench: Math.round((settledPerSecond / tps) * 100) / 100,
    };
    console.log(
      `saturated: settled ${settled} (${settledPerSecond}/s over ${spanS.toFixed(1)} s), create-to-success p50 ${report.saturatedCreateToSuccessP50Ms} ms, p99 ${report.saturatedCreateToSuccessP99Ms} ms (queueing included)`,
    );
    console.log(
      `paced at ${PACED_PER_SECOND}/s: settled ${paced.settled}, create-to-success p50 ${report.pacedCreateToSuccessP50Ms} ms, p99 ${report.pacedCreateToSuccessP99Ms} ms`,
    );
    console.log(
      `still open ${report.stillOpen}, refused ${refused}; CPU per settled payment (us) ${JSON.stringify(cpuUsPerSettled)}; peak RSS (MB) ${JSON.stringify(peakRssMb)}; load average ${loadAtStart} at start, ${report.loadAverage.atEnd} at end`,
    );
    console.log(
      `pgbench create+settle ${tps} tps; ratio settled/s / pgbench: ${report.ratioSettledToPgbench}  (target >= 0.5; paced p99 < 250 ms)`,
    );
    console.log(`report: ${writeReport('settle', report)}`);
  } finally {
    await pool.end();
    await stack.stop();
    await isolated.cleanup();
  }
}

interface Figures {
  settled: number;
  open: number;
  perSecond: number;
  spanS: number;
  p50: number;
  p99: number;
}

/** Settlement figures from the database's own timestamps, for transactions created since `from`. */
async function figures(pool: pg.Pool, from: Date): Promise<Figures> {
  const { rows } = await pool.query<{
    settled: string;
    open: string;
    p50: number | null;
    p99: number | null;
    first: Date | null;
    last: Date | null;
  }>(
    `SELECT count(*) FILTER (WHERE status = 'success') AS settled,
            count(*) FILTER (WHERE status IN ('pending', 'processing')) AS open,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000) FILTER (WHERE status = 'success') AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000) FILTER (WHERE status = 'success') AS p99,
            min(created_at) AS first, max(completed_at) AS last
       FROM transactions WHERE created_at >= $1`,
    [from],
  );
  const row = rows[0];
  const settled = Number(row?.settled ?? 0);
  const spanS = row?.first && row.last ? (row.last.getTime() - row.first.getTime()) / 1000 : 1;
  return {
    settled,
    open: Number(row?.open ?? 0),
    perSecond: Math.round(settled / Math.max(spanS, 1)),
    spanS,
    p50: row?.p50 ?? 0,
    p99: row?.p99 ?? 0,
  };
}
