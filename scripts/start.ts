// `pnpm start`: the whole system on this machine. Checks PostgreSQL, RabbitMQ and Redis (starting a missing
// one with Docker when an engine is available), builds, creates and migrates the database, seeds the demo
// users when it is empty, then runs api, worker, bank-sim, web and the operator console with labelled logs
// until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';

import { NODE_HEAP_FLAG } from '@paygate/config';
import { answers, dockerAvailable, isRunning, redisStartCommand, stopChildren } from '@paygate/testkit';

const ROOT = path.resolve(import.meta.dirname, '..');
const env = { ...process.env };
env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/paygate';
env.AMQP_URL ??= 'amqp://guest:guest@127.0.0.1:5672';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
env.API_PORT ??= '8000';
env.BANK_PORT ??= '8001';
env.WEB_PORT ??= '5500';
env.CONSOLE_PORT ??= '5600';
env.WORKER_METRICS_PORT ??= '9101';
env.API_URL ??= `http://127.0.0.1:${env.API_PORT}`;
env.BANK_URL ??= `http://127.0.0.1:${env.BANK_PORT}`;

const COLORS = { api: 36, worker: 35, 'bank-sim': 33, web: 32, console: 34, start: 37 } as const;
type Label = keyof typeof COLORS;
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (label: Label, text: string) => (useColor ? `\x1b[${COLORS[label]}m${text}\x1b[0m` : text);
const say = (text: string) => console.log(`${paint('start', '[start]   ')} ${text}`);

interface Service {
  name: string;
  url: string;
  compose: string;
  manual: string;
}

const SERVICES: Service[] = [
  {
    name: 'PostgreSQL',
    url: env.DATABASE_URL,
    compose: 'postgres',
    manual: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  { name: 'RabbitMQ', url: env.AMQP_URL, compose: 'rabbitmq', manual: 'rabbitmq-server -detached' },
  { name: 'Redis', url: env.REDIS_URL, compose: 'redis', manual: redisStartCommand(env.REDIS_URL) },
];

const APPS: { label: Label; cwd: string; command: string[]; health: string }[] = [
  {
    label: 'bank-sim',
    cwd: 'apps/bank-sim',
    command: ['node', NODE_HEAP_FLAG, 'dist/main.js'],
    health: `http://127.0.0.1:${env.BANK_PORT}/health`,
  },
  {
    label: 'api',
    cwd: 'apps/api',
    command: ['node', NODE_HEAP_FLAG, 'dist/main.js'],
    health: `http://127.0.0.1:${env.API_PORT}/health`,
  },
  {
    label: 'worker',
    cwd: 'apps/worker',
    command: ['node', NODE_HEAP_FLAG, 'dist/main.js'],
    health: `http://127.0.0.1:${env.WORKER_METRICS_PORT}/health`,
  },
  {
    label: 'web',
    cwd: 'apps/web',
    command: ['node', 'node_modules/vite/bin/vite.js', 'preview'],
    health: `http://127.0.0.1:${env.WEB_PORT}/`,
  },
  {
    label: 'console',
    cwd: 'apps/console',
    command: ['node', 'node_modules/vite/bin/vite.js', 'preview'],
    health: `http://127.0.0.1:${env.CONSOLE_PORT}/`,
  },
];

const children: ChildProcess[] = [];
let stopping = false;

async function main(): Promise<void> {
  await ensureServices();
  await ensurePortsFree();
  step('building', ['pnpm', 'build']);
  step('migrating', ['pnpm', 'db:migrate']);
  await seedWhenEmpty();
  for (const app of APPS) launch(app);
  await Promise.all(APPS.map((app) => waitHealthy(app.label, app.health)));
  say('everything is up:');
  say(`  web app      http://localhost:${env.WEB_PORT}`);
  say(
    `  console      http://localhost:${env.CONSOLE_PORT}    (operators: pnpm paygate operator create --email E --role operator)`,
  );
  say(`  API          ${env.API_URL}    docs ${env.API_URL}/docs    health ${env.API_URL}/health`);
  say(`  bank-sim     ${env.BANK_URL}`);
  say(`  metrics      ${env.API_URL}/metrics    http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`);
  say(`  RabbitMQ UI  http://localhost:15672 (guest/guest, if the management plugin is on)`);
  say('Ctrl-C stops everything.');
}

async function ensureServices(): Promise<void> {
  const missing: Service[] = [];
  for (const service of SERVICES) if (!(await answers(service.url, 1_000))) missing.push(service);
  if (missing.length === 0) return;
  if (dockerAvailable()) {
    say(`starting ${missing.map((service) => service.name).join(', ')} with docker compose`);
    const result = spawnSync('docker', ['compose', 'up', '-d', ...missing.map((service) => service.compose)], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (result.status !== 0) fail('docker compose could not start the services above');
    for (const service of missing)
      await waitFor(() => answers(service.url), 90_000, `${service.name} did not answer within 90 s`);
    return;
  }
  const lines = missing.map(
    (service) => `  ${service.name} is not answering at ${redact(service.url)}; start it with: ${service.manual}`,
  );
  fail(
    `required services are down and no Docker engine is available to start them:\n${lines.join('\n')}\n(or point DATABASE_URL, AMQP_URL, REDIS_URL elsewhere)`,
  );
}

/**
 * A port already taken (most often by the apps of an earlier `pnpm start` that is still running) would let
 * that other process answer our health checks while our own app fails to listen: say so before starting.
 */
async function ensurePortsFree(): Promise<void> {
  const ports = [
    ['API_PORT', env.API_PORT],
    ['BANK_PORT', env.BANK_PORT],
    ['WEB_PORT', env.WEB_PORT],
    ['CONSOLE_PORT', env.CONSOLE_PORT],
    ['WORKER_METRICS_PORT', env.WORKER_METRICS_PORT],
  ] as const;
  const taken: string[] = [];
  for (const [name, port] of ports) if (!(await isPortFree(Number(port)))) taken.push(`${name}=${port ?? '?'}`);
  if (taken.length === 0) return;
  fail(
    `port(s) already in use: ${taken.join(', ')}. Is another \`pnpm start\` (or docker compose) still running? ` +
      `Stop it, or set other ports (e.g. API_PORT=8100 BANK_PORT=8101 WEB_PORT=5510 CONSOLE_PORT=5610 WORKER_METRICS_PORT=9111 pnpm start).`,
  );
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

function step(what: string, command: string[]): void {
  say(`${what}: ${command.join(' ')}`);
  const result = spawnSync(command[0] ?? '', command.slice(1), { cwd: ROOT, env, stdio: 'inherit' });
  if (result.status !== 0) fail(`${what} failed (exit ${result.status ?? 'signal'})`);
}

async function seedWhenEmpty(): Promise<void> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ count: string }>('SELECT count(*) AS count FROM users');
  await client.end();
  if (Number(rows[0]?.count) === 0) {
    step('seeding the demo users (their API keys are printed below, and listed in CREDENTIALS.md)', [
      'pnpm',
      'db:seed',
    ]);
  } else {
    say(`the database already has ${rows[0]?.count ?? '?'} users; not seeding (see CREDENTIALS.md for the demo keys)`);
  }
}

function launch(app: (typeof APPS)[number]): void {
  const [command = 'node', ...args] = app.command;
  const child = spawn(command, args, { cwd: path.join(ROOT, app.cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const prefix = paint(app.label, `[${app.label}]`.padEnd(10));
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${pretty(line)}`));
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`${app.label} stopped unexpectedly (${signal ?? `exit ${code ?? '?'}`}); stopping everything`);
    void stopAll(1);
  });
}

/** pino's JSON lines become "HH:MM:SS LEVEL message key=value ..." for people; anything else passes through. */
function pretty(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { time, level, msg, pid: _pid, hostname: _hostname, service: _service, name: _name, ...rest } = entry;
    const levelName =
      typeof level === 'number'
        ? (({ 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' } as Record<number, string>)[
            level
          ] ?? text(level))
        : text(level);
    const clock =
      typeof time === 'string'
        ? time.slice(11, 19)
        : typeof time === 'number'
          ? new Date(time).toISOString().slice(11, 19)
          : '';
    const fields = Object.entries(rest).map(([key, value]) => `${key}=${text(value)}`);
    return [clock, levelName.padEnd(5), text(msg), ...fields].join(' ');
  } catch {
    return line;
  }
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

async function waitHealthy(label: string, url: string): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
      } catch {
        return false;
      }
    },
    60_000,
    `${label} did not become healthy at ${url} within 60 s`,
  );
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) fail(message);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  // Waits only for the apps still running, so one that already died does not hold up the others' stop.
  if ((await stopChildren(children, 15_000)) === 'killed') say('some apps did not stop within 15 s and were killed');
  say('stopped');
  process.exit(code);
}

function fail(message: string): never {
  console.error(`${paint('start', '[start]   ')} ${message}`);
  for (const child of children) if (isRunning(child)) child.kill('SIGTERM');
  process.exit(1);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
