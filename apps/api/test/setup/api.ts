import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

import type { Pool } from '@paygate/db';
import { createPool, UserAdmin } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';

import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { AmqpProbe } from '../../src/infra/amqp-probe';
import { createLogger } from '../../src/infra/logger';
import { createMetrics } from '../../src/infra/metrics';
import { createRedis, redisSettled } from '../../src/infra/redis';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** The environment a test API runs with: this run's database and Redis prefix, generous limits unless a test says otherwise. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const run = inject('run');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: run.databaseUrl,
    REDIS_URL: run.redisUrl,
    REDIS_PREFIX: `${run.redisPrefix}${randomUUID().slice(0, 8)}:`,
    AMQP_URL: run.amqpUrl,
    WEBHOOK_SECRET,
    RATE_LIMIT_BALANCE_PER_MIN: '100000',
    RATE_LIMIT_TRANSACTIONS_PER_MIN: '100000',
    RATE_LIMIT_GLOBAL_PER_MIN: '1000000',
    RATE_LIMIT_LOGIN_PER_MIN: '100000',
    RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN: '100000',
    RATE_LIMIT_OPERATOR_LOGIN_PER_MIN: '100000',
    RATE_LIMIT_OPERATOR_LOGIN_FAILURES_PER_EMAIL_PER_MIN: '100000',
    AUTH_CACHE_TTL_MS: '0',
    ...overrides,
  };
}

export interface TestApi {
  baseUrl: string;
  pool: Pool;
  logLines: string[];
  close(): Promise<void>;
}

/** Runs the API in-process on port 0 with real PostgreSQL, Redis and RabbitMQ. */
export async function startApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const config = loadConfig(testEnv(overrides));
  const logLines: string[] = [];
  // Log lines are captured, so tests can assert what is (and is never) logged.
  const logger = createLogger(config.logLevel, { write: (line) => void logLines.push(line) });
  const pool = createPool({
    connectionString: config.database.url,
    applicationName: 'paygate-api-test',
    poolSizeMax: config.database.poolSizeMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectionTimeoutMs: config.database.connectionTimeoutMs,
    idleTimeoutMs: 1_000,
  });
  pool.on('error', () => undefined);
  const redis = createRedis({ url: config.redis.url, commandTimeoutMs: config.redis.commandTimeoutMs });
  redis.on('error', () => undefined);
  // As main.ts does: the first request must meet a connected Redis (or one known to be down).
  await redisSettled(redis, 5_000);
  const amqp = new AmqpProbe(config.amqp.url);
  const { app, services } = createApp({
    config,
    logger,
    metrics: createMetrics(),
    pool,
    redis,
    amqp,
    clock: () => new Date(),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pool,
    logLines,
    close: async () => {
      await services.events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([pool.end(), redis.quit(), amqp.close()]);
    },
  };
}

export interface TestUser {
  id: number;
  email: string;
  apiKey: string;
}

let prisma: ReturnType<typeof createPrismaClient> | undefined;

/** A user with a USD wallet, created through the same code path as `pnpm paygate user create`. */
export async function givenUser(balance = '0.00'): Promise<TestUser> {
  prisma ??= createPrismaClient(inject('run').databaseUrl, 4);
  const admin = new UserAdmin(prisma);
  const [units = '0', cents = '00'] = balance.split('.');
  const user = await admin.createUser({
    email: `user-${randomUUID().slice(0, 12)}@test.paygate`,
    openingBalanceMinor: BigInt(units) * 100n + BigInt(cents.padEnd(2, '0')),
    currency: 'USD',
  });
  return { id: user.id, email: user.email, apiKey: user.apiKey };
}

export function adminFor(): UserAdmin {
  prisma ??= createPrismaClient(inject('run').databaseUrl, 4);
  return new UserAdmin(prisma);
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an HTTP answer's JSON is whatever the server sent; tests assert its shape.
  body: any;
  text: string;
}

/**
 * A request through node:http, for what fetch cannot send: a header repeated on its own line, raw bytes
 * in any encoding, a path that is not valid percent-encoding.
 */
export function rawRequest(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string | string[]>; body?: Buffer | string } = {},
): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: init.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const item of Array.isArray(value) ? value : [value ?? '']) headers.append(name, item);
          }
          resolve({ status: response.statusCode ?? 0, headers, body: parseJson(text), text });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch that never throws on a status and parses JSON when it can. */
export async function call(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseJson(text), text };
}

export function newKey(): string {
  return randomUUID();
}

export function postDeposit(
  api: TestApi,
  user: TestUser,
  amount: unknown,
  key = newKey(),
  extraHeaders: Record<string, string> = {},
) {
  return call(api.baseUrl, '/api/v1/deposits', {
    headers: { 'x-api-key': user.apiKey, 'idempotency-key': key, ...extraHeaders },
    body: { amount },
  });
}

export function postWithdrawal(api: TestApi, user: TestUser, amount: unknown, key = newKey()) {
  return call(api.baseUrl, '/api/v1/withdrawals', {
    headers: { 'x-api-key': user.apiKey, 'idempotency-key': key },
    body: { amount },
  });
}

export function getAs(api: TestApi, user: TestUser, path: string) {
  return call(api.baseUrl, path, { headers: { 'x-api-key': user.apiKey } });
}

export async function rowCounts(
  pool: Pool,
  userId: number,
): Promise<{ transactions: number; keys: number; outbox: number; events: number }> {
  const { rows } = await pool.query<{ transactions: string; keys: string; outbox: string; events: string }>(
    `SELECT (SELECT count(*) FROM transactions WHERE user_id = $1) AS transactions,
            (SELECT count(*) FROM idempotency_keys WHERE user_id = $1) AS keys,
            (SELECT count(*) FROM outbox o JOIN transactions t ON t.id = o.transaction_id WHERE t.user_id = $1) AS outbox,
            (SELECT count(*) FROM transaction_events e JOIN transactions t ON t.id = e.transaction_id WHERE t.user_id = $1) AS events`,
    [userId],
  );
  const row = rows[0];
  return {
    transactions: Number(row?.transactions),
    keys: Number(row?.keys),
    outbox: Number(row?.outbox),
    events: Number(row?.events),
  };
}

/** The user's wallet as stored: balance and held, in minor units. */
export async function walletOf(pool: Pool, userId: number): Promise<{ balanceMinor: string; heldMinor: string }> {
  const { rows } = await pool.query<{ balance: string; held: string }>(
    `SELECT balance, held FROM accounts WHERE user_id = $1 AND kind = 'wallet'`,
    [userId],
  );
  return { balanceMinor: rows[0]?.balance ?? 'none', heldMinor: rows[0]?.held ?? 'none' };
}

/** Everything a request could have changed for a user: its rows and its wallet. */
export async function userState(pool: Pool, userId: number) {
  return { ...(await rowCounts(pool, userId)), wallet: await walletOf(pool, userId) };
}
