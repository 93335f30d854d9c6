// Shared pieces of `pnpm bench`: a fresh database, app processes, RSS sampling, autocannon and pgbench.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';

import { NODE_HEAP_FLAG } from '@paygate/config';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function freshDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = databaseUrl(name);
  run('pnpm', ['db:migrate'], { DATABASE_URL: url });
  return url;
}

/** A bulk-loaded bench database: what it holds, and the two statements that fill it. */
export interface BulkLoad {
  name: string;
  /** What was loaded, by which loader: the database is reused while this matches. */
  marker: string;
  /** Load again whatever the marker says (the bench's BENCH_..._RELOAD=1). */
  reload: boolean;
  users: { sql: string; params: unknown[] };
  transactions: { sql: string; params: unknown[] };
}

/**
 * A database of generated bench data, loaded once and reused while its marker matches (new migrations are
 * applied on reuse). A bulk load: the rows are generated consistent, so foreign-key and event triggers are
 * skipped (superuser only) and the transactions' secondary indexes are built once at the end, which is many
 * times faster than row by row.
 */
export async function bulkLoadedDatabase(load: BulkLoad): Promise<string> {
  const url = databaseUrl(load.name);
  if (!load.reload && (await loadedMarker(url)) === load.marker) {
    run('pnpm', ['db:migrate'], { DATABASE_URL: url });
    console.log(`reusing ${load.name}, migrations applied (its bench's RELOAD=1 loads it again)`);
    return url;
  }
  await freshDatabase(load.name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const startedMs = performance.now();
    await client.query('SET synchronous_commit = off');
    await client.query(load.users.sql, load.users.params);
    await client.query('SET session_replication_role = replica');
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'transactions' AND indexname <> 'transactions_pkey'",
    );
    for (const index of indexes) await client.query(`DROP INDEX ${index.indexname}`);
    const { rowCount } = await client.query(load.transactions.sql, load.transactions.params);
    for (const index of indexes) await client.query(index.indexdef);
    await client.query('SET session_replication_role = DEFAULT');
    await client.query('ANALYZE');
    await client.query('CREATE TABLE bench_meta (marker text NOT NULL)');
    await client.query('INSERT INTO bench_meta VALUES ($1)', [load.marker]);
    console.log(`loaded ${rowCount ?? 0} transactions in ${Math.round(performance.now() - startedMs) / 1000} s`);
  } finally {
    await client.end();
  }
  return url;
}

async function loadedMarker(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ marker: string }>('SELECT marker FROM bench_meta');
    return rows[0]?.marker;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function run(command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export interface AppProcess {
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startApp(
  label: string,
  script: string,
  env: Record<string, string>,
  readyUrl: string,
): Promise<AppProcess> {
  const child = spawn(process.execPath, [NODE_HEAP_FLAG, ...cpuProfileArgs(label), script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited: ${stderr}`);
    try {
      const response = await fetch(readyUrl);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${label} did not become ready: ${stderr}`);
    await sleep(100);
  }
  return {
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') child.kill('SIGKILL');
    },
  };
}

/**
 * The API alone for a bench: built, on a fresh database holding `users` bench users (1000.00 each), started
 * on `port` with warn logs and a Redis prefix of its own; `env` adds or overrides variables. The users' API
 * keys come back in user order, with the database's URL.
 */
export async function startBenchApi(options: {
  database: string;
  port: number;
  users: number;
  env: Record<string, string>;
}): Promise<{ api: AppProcess; keys: string[]; databaseUrl: string }> {
  run('pnpm', ['--filter', '@paygate/api', 'run', 'build']);
  const databaseUrl = await freshDatabase(options.database);
  // One CLI process per user would take minutes; one process creates them all through the same code.
  const output = run('pnpm', ['exec', 'tsx', path.join('scripts', 'bench', 'create-users.ts'), String(options.users)], {
    DATABASE_URL: databaseUrl,
  });
  const keys = output
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('pgk_'));
  if (keys.length !== options.users) throw new Error(`expected ${options.users} keys, got ${keys.length}`);
  const api = await startApp(
    'api',
    path.join('apps', 'api', 'dist', 'main.js'),
    {
      DATABASE_URL: databaseUrl,
      API_PORT: String(options.port),
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_PREFIX: `bench:${randomUUID().slice(0, 8)}:`,
      ...options.env,
    },
    `http://127.0.0.1:${options.port}/health`,
  );
  return { api, keys, databaseUrl };
}

/**
 * With BENCH_CPU_PROF=<name>, apps started by a bench run under `node --cpu-prof` and write their profiles
 * to artifacts/profiles/<name>/<app>/ when they stop (SIGTERM); `pnpm exec tsx scripts/cpu-profile.ts DIR`
 * summarises them.
 */
export function cpuProfileArgs(app: string): string[] {
  const name = process.env.BENCH_CPU_PROF;
  if (name === undefined || name === '') return [];
  return ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'artifacts', 'profiles', name, app)}`];
}

/** Samples a process's resident memory; `peakMb` is the largest sample since the last reset. */
export function rssSampler(pid: number, intervalMs = 100) {
  let peakKb = 0;
  const sample = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // The process is gone.
    }
  };
  const timer = setInterval(sample, intervalMs);
  sample();
  return {
    reset: () => {
      peakKb = 0;
      sample();
    },
    peakMb: () => Math.round(peakKb / 102.4) / 10,
    stop: () => clearInterval(timer),
  };
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc: per request or per payment it is a figure
 * that a busy shared machine disturbs far less than throughput. `sinceMs()` is the CPU used since `reset()`.
 */
export function cpuMeter(pid: number) {
  const ticksPerSecond = 100; // USER_HZ on Linux.
  const read = (): number => {
    try {
      // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    } catch {
      return 0;
    }
  };
  let startMs = read();
  return {
    reset: () => {
      startMs = read();
    },
    sinceMs: () => read() - startMs,
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  requestCount: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  statusCounts: Record<string, number>;
  errors: number;
}

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ ...options });
  const statusCounts: Record<string, number> = {};
  for (const [key, value] of Object.entries(result)) {
    if (/^\dxx$/.test(key) && typeof value === 'number' && value > 0) statusCounts[key] = value;
  }
  return {
    requestsPerSecond: Math.round(result.requests.average),
    requestCount: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    statusCounts,
    errors: result.errors + result.timeouts,
  };
}

export function pgbench(
  url: string,
  scriptPath: string,
  clients: number,
  seconds: number,
  variables: Record<string, string> = {},
): number {
  const parsed = new URL(url);
  const args = [
    '-n',
    '-c',
    String(clients),
    '-j',
    '2',
    '-T',
    String(seconds),
    '-f',
    scriptPath,
    '-h',
    parsed.hostname,
    '-p',
    parsed.port || '5432',
    '-U',
    decodeURIComponent(parsed.username || 'postgres'),
  ];
  for (const [name, value] of Object.entries(variables)) args.push('-D', `${name}=${value}`);
  args.push(parsed.pathname.slice(1));
  const output = run(PGBENCH, args);
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  if (!match) throw new Error(`could not read pgbench tps from:\n${output}`);
  return Math.round(Number(match[1]));
}

export function writeReport(name: string, report: unknown): string {
  const dir = path.join(ROOT, 'artifacts', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The machine's 1-minute load average, rounded: shared machines make every figure relative to it. */
export function loadAverage(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
}

export function cpuModel(): string {
  const match = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match?.[1] ?? 'unknown cpu';
}
