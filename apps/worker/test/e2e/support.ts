/**
 * System-test support: one isolated run (database, AMQP prefix, Redis prefix) with the real stack on it
 * (api, worker, bank-sim as built processes), and the calls a client makes. Used by the *.e2e.ts files.
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';

import type { Pool } from '@paygate/db';
import { auditLedger, createPool, runMigrations, UserAdmin } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import { delayBucketsMs } from '@paygate/domain';
import type { IsolatedRun, Stack, StackOptions } from '@paygate/testkit';
import { createIsolatedRun, sleep, startStack } from '@paygate/testkit';
import { afterAll, beforeAll } from 'vitest';

import { topologyNames } from '../../src/infra/topology';

export interface SystemUser {
  id: number;
  email: string;
  apiKey: string;
}

export interface System {
  run: IsolatedRun;
  stack: Stack;
  pool: Pool;
  createUser(balance: string): Promise<SystemUser>;
  teardown(): Promise<void>;
}

/** Worker timings that keep a system test short: fast retries, a short retry horizon, fast reconciliation. */
export const FAST_WORKER: Record<string, string> = {
  RETRY_BASE_MS: '50',
  RETRY_CAP_MS: '400',
  RETRY_HORIZON_MS: '3000',
  BREAKER_FAILURE_THRESHOLD: '50',
  BREAKER_COOLDOWN_MS: '300',
  RECONCILE_INTERVAL_MS: '250',
  RECONCILE_PROCESSING_AFTER_MS: '1500',
  RECONCILE_PENDING_AFTER_MS: '3000',
  OUTBOX_SWEEP_INTERVAL_MS: '200',
  BANK_TIMEOUT_MS: '1000',
  METRICS_REFRESH_INTERVAL_MS: '200',
};

/** Extra environment per app, and how many API and worker processes to run (one each by default). */
export interface SystemShape {
  env?: StackOptions['env'];
  apiCount?: number;
  workerCount?: number;
}

export async function startSystem(label: string, shape: SystemShape = {}): Promise<System> {
  const env = shape.env ?? {};
  const run = await createIsolatedRun({
    label,
    bankDatabase: true,
    migrate: async (url) => {
      await runMigrations(url);
    },
  });
  const workerEnv = { ...FAST_WORKER, ...env.worker };
  const stack = await startStack({
    run: run.info(),
    env: { ...env, worker: workerEnv },
    apiCount: shape.apiCount,
    workerCount: shape.workerCount,
  });
  const pool = createPool({
    connectionString: run.databaseUrl,
    applicationName: 'paygate-e2e',
    poolSizeMax: 5,
    statementTimeoutMs: 10_000,
    connectionTimeoutMs: 5_000,
    idleTimeoutMs: 1_000,
  });
  const prisma = createPrismaClient(run.databaseUrl, 2);
  const admin = new UserAdmin(prisma);
  return {
    run,
    stack,
    pool,
    createUser: async (balance) => {
      const [units = '0', cents = '00'] = balance.split('.');
      const user = await admin.createUser({
        email: `e2e-${randomUUID().slice(0, 12)}@test.paygate`,
        openingBalanceMinor: BigInt(units) * 100n + BigInt(cents.padEnd(2, '0')),
        currency: 'USD',
      });
      return { id: user.id, email: user.email, apiKey: user.apiKey };
    },
    teardown: async () => {
      await stack.stop();
      await prisma.$disconnect();
      await pool.end();
      const buckets = delayBucketsMs(Number(workerEnv.RETRY_BASE_MS), Number(workerEnv.RETRY_CAP_MS));
      const names = topologyNames({ prefix: run.amqpPrefix, retryDelayBucketsMs: buckets, queueExpiresMs: undefined });
      await run.cleanup({ amqpQueues: names.queues, amqpExchanges: names.exchanges });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON from the API; tests assert its shape.
  body: any;
}

export async function api(
  stack: Stack,
  user: SystemUser,
  path: string,
  init: { method?: string; body?: unknown; key?: string; apiUrl?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'x-api-key': user.apiKey };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.key !== undefined) headers['idempotency-key'] = init.key;
  const response = await fetch(`${init.apiUrl ?? stack.apiUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export function deposit(stack: Stack, user: SystemUser, amount: string, key = randomUUID()): Promise<Answer> {
  return api(stack, user, '/api/v1/deposits', { body: { amount }, key });
}

export function withdraw(stack: Stack, user: SystemUser, amount: string, key = randomUUID()): Promise<Answer> {
  return api(stack, user, '/api/v1/withdrawals', { body: { amount }, key });
}

export async function balanceOf(
  stack: Stack,
  user: SystemUser,
): Promise<{ balance: string; available_balance: string }> {
  return (await api(stack, user, `/api/v1/users/${user.id}/balance`)).body;
}

/**
 * Polls a transaction until it is terminal and returns its last state. The deadline only bounds a failing
 * test; it is generous, so a busy machine slows the test down instead of failing it.
 */
export async function settled(
  stack: Stack,
  user: SystemUser,
  kind: 'deposits' | 'withdrawals',
  id: number,
  timeoutMs = 60_000,
): Promise<Answer['body']> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await api(stack, user, `/api/v1/${kind}/${id}`);
    if (answer.status === 200 && ['success', 'failed'].includes(answer.body.status)) return answer.body;
    if (Date.now() > deadline)
      throw new Error(
        `${kind} ${id} not terminal after ${timeoutMs} ms: ${JSON.stringify(answer.body)}\nworker:\n${stack.worker.tail()}`,
      );
    await sleep(100);
  }
}

/** The value of one sample of a Prometheus endpoint (summed over every label set that matches). */
export async function metricValue(
  metricsUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await fetch(metricsUrl).then((response) => response.text());
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`)))
      total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

export async function queueDepth(run: IsolatedRun, queue: string): Promise<number> {
  const connection = await amqp.connect(run.amqpUrl);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(`${run.amqpPrefix}.${queue}`);
    await channel.close();
    return messageCount;
  } finally {
    await connection.close();
  }
}

export async function statusCounts(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; count: string }>(
    'SELECT status, count(*) AS count FROM transactions GROUP BY status',
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

export { auditLedger };

/**
 * Starts a system before the file's tests and tears it down after; the getter fails loudly if start-up did.
 * `before` runs first and may add environment (a proxy's URL, say).
 */
export function useSystem(
  label: string,
  shape: SystemShape = {},
  before?: () => Promise<StackOptions['env']>,
): () => System {
  let system: System | undefined;
  beforeAll(async () => {
    system = await startSystem(label, { ...shape, env: { ...shape.env, ...(before ? await before() : {}) } });
  }, 180_000);
  afterAll(async () => {
    await system?.teardown();
  });
  return () => {
    if (!system) throw new Error('the system did not start');
    return system;
  };
}
