// `pnpm bench api`: the API under load (POST deposits, GET balance) beside pgbench running the same SQL.
import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { cpuMeter, cpuModel, load, loadAverage, pgbench, rssSampler, startBenchApi, writeReport } from './lib';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const USERS = 200;
const PORT = 18_080;

export async function benchApi(): Promise<void> {
  console.log(`bench api: ${CONNECTIONS} connections x ${SECONDS} s per scenario on ${cpuModel()}`);
  const { api, keys, databaseUrl } = await startBenchApi({
    database: 'paygate_bench_api',
    port: PORT,
    users: USERS,
    env: {
      RATE_LIMIT_BALANCE_PER_MIN: '10000000',
      RATE_LIMIT_TRANSACTIONS_PER_MIN: '10000000',
      RATE_LIMIT_GLOBAL_PER_MIN: '100000000',
    },
  });
  const rss = rssSampler(api.child.pid ?? 0);
  const cpu = cpuMeter(api.child.pid ?? 0);
  const loadAtStart = loadAverage();
  try {
    let counter = 0;
    rss.reset();
    cpu.reset();
    const deposits = await load({
      url: `http://127.0.0.1:${PORT}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/deposits',
          setupRequest: (request) => {
            counter += 1;
            const key = keys[counter % keys.length] ?? '';
            return {
              ...request,
              headers: {
                'content-type': 'application/json',
                'x-api-key': key,
                'idempotency-key': `bench-${counter}-${randomUUID()}`,
              },
              body: '{"amount":"10.50"}',
            };
          },
        },
      ],
    });
    const depositRssMb = rss.peakMb();
    const depositCpuUs = perRequestUs(cpu.sinceMs(), deposits.requestCount);
    rss.reset();
    cpu.reset();
    const balanceUser = keys[0] ?? '';
    const balance = await load({
      url: `http://127.0.0.1:${PORT}/api/v1/users/1/balance`,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { 'x-api-key': balanceUser },
    });
    const balanceRssMb = rss.peakMb();
    const balanceCpuUs = perRequestUs(cpu.sinceMs(), balance.requestCount);
    const tps = pgbench(
      databaseUrl,
      path.join('scripts', 'bench', 'create-deposit.pgbench.sql'),
      CONNECTIONS,
      SECONDS,
      { user_min: '1', user_max: String(USERS) },
    );
    const report = {
      machine: cpuModel(),
      loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
      connections: CONNECTIONS,
      seconds: SECONDS,
      deposits: { ...deposits, peakRssMb: depositRssMb, apiCpuUsPerRequest: depositCpuUs },
      balance: { ...balance, peakRssMb: balanceRssMb, apiCpuUsPerRequest: balanceCpuUs },
      pgbenchCreateDepositTps: tps,
      ratioApiToPgbench: Math.round((deposits.requestsPerSecond / tps) * 100) / 100,
    };
    printTable(report);
    console.log(`report: ${writeReport('api', report)}`);
  } finally {
    rss.stop();
    await api.stop();
  }
}

/** The API process's CPU time per request, in microseconds. */
function perRequestUs(cpuMs: number, requestCount: number): number {
  return Math.round((cpuMs * 1000) / Math.max(requestCount, 1));
}

interface ScenarioFigures {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  peakRssMb: number;
  apiCpuUsPerRequest: number;
  statusCounts: Record<string, number>;
  errors: number;
}

function printTable(report: {
  loadAverage: { atStart: number; atEnd: number };
  deposits: ScenarioFigures;
  balance: ScenarioFigures;
  pgbenchCreateDepositTps: number;
  ratioApiToPgbench: number;
}): void {
  const row = (name: string, r: ScenarioFigures) =>
    `${name.padEnd(22)} ${String(r.requestsPerSecond).padStart(7)} req/s  p50 ${String(r.latencyP50Ms).padStart(4)} ms  p99 ${String(r.latencyP99Ms).padStart(4)} ms  API CPU ${r.apiCpuUsPerRequest} us/req  peak RSS ${r.peakRssMb} MB  ${JSON.stringify(r.statusCounts)}${r.errors ? ` errors ${r.errors}` : ''}`;
  console.log(`load average ${report.loadAverage.atStart} at start, ${report.loadAverage.atEnd} at end`);
  console.log(row('POST /deposits', report.deposits));
  console.log(row('GET balance', report.balance));
  console.log(`${'pgbench create-deposit'.padEnd(22)} ${String(report.pgbenchCreateDepositTps).padStart(7)} tps`);
  console.log(`ratio API deposits / pgbench: ${report.ratioApiToPgbench}  (target >= 0.8; p99 < 50 ms; RSS < 200 MB)`);
}
