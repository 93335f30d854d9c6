import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';

import { resolveServices } from './services';

/**
 * One test run's own corner of the shared services: a fresh database (migrated by the caller's
 * function), an AMQP name prefix and a Redis key prefix. Runs never see each other's data, so suites
 * run in parallel and rerun freely; cleanup drops the database and deletes the run's keys and queues.
 */

export interface RunInfo {
  runId: string;
  databaseUrl: string;
  /** The server's maintenance database, for tests that create more databases. */
  adminDatabaseUrl: string;
  amqpUrl: string;
  amqpPrefix: string;
  redisUrl: string;
  redisPrefix: string;
  /** The bank simulator's own database, when the run asked for one (the bank creates its tables). */
  bankDatabaseUrl: string | undefined;
}

export interface IsolatedRun extends RunInfo {
  info(): RunInfo;
  cleanup(options?: { amqpQueues?: string[]; amqpExchanges?: string[] }): Promise<void>;
}

export interface IsolatedRunOptions {
  /** Short name of the suite, part of the database name (letters, digits, underscores). */
  label: string;
  migrate?: (databaseUrl: string) => Promise<void>;
  /** Also create an empty database for the bank simulator (dropped with the run). */
  bankDatabase?: boolean;
}

export async function createIsolatedRun(options: IsolatedRunOptions): Promise<IsolatedRun> {
  const services = await resolveServices();
  const runId = `${options.label
    .replace(/[^a-z0-9_]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseName = `paygate_test_${runId}`;
  const adminDatabaseUrl = services.databaseUrl;
  await createDatabase(adminDatabaseUrl, databaseName);
  const databaseUrl = withDatabase(adminDatabaseUrl, databaseName);
  if (options.migrate) await options.migrate(databaseUrl);
  const bankDatabaseName = `${databaseName}_bank`;
  if (options.bankDatabase === true) await createDatabase(adminDatabaseUrl, bankDatabaseName);

  const info: RunInfo = {
    runId,
    databaseUrl,
    adminDatabaseUrl,
    amqpUrl: services.amqpUrl,
    amqpPrefix: `test_${runId}`,
    redisUrl: services.redisUrl,
    redisPrefix: `test:${runId}:`,
    bankDatabaseUrl: options.bankDatabase === true ? withDatabase(adminDatabaseUrl, bankDatabaseName) : undefined,
  };
  return {
    ...info,
    info: () => info,
    cleanup: async (cleanupOptions = {}) => {
      if (process.env.PAYGATE_TEST_KEEP === '1') return;
      await dropDatabase(adminDatabaseUrl, databaseName);
      if (options.bankDatabase === true) await dropDatabase(adminDatabaseUrl, bankDatabaseName);
      await deleteRedisKeys(info.redisUrl, info.redisPrefix);
      await deleteAmqp(info.amqpUrl, cleanupOptions.amqpQueues ?? [], cleanupOptions.amqpExchanges ?? []);
      await services.stop();
    },
  };
}

export function withDatabase(url: string, databaseName: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${databaseName}`;
  return parsed.toString();
}

export async function createDatabase(adminUrl: string, databaseName: string): Promise<void> {
  assertIdentifier(databaseName);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${databaseName}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, databaseName: string): Promise<void> {
  assertIdentifier(databaseName);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function deleteAmqp(amqpUrl: string, queues: string[], exchanges: string[]): Promise<void> {
  if (queues.length === 0 && exchanges.length === 0) return;
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

function assertIdentifier(name: string): void {
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`unsafe database name: ${name}`);
}
