import { randomBytes } from 'node:crypto';

import amqp from 'amqplib';
import type { TestProject } from 'vitest/node';

import { runMigrations } from '@paygate/db';
import { createDatabase, dropDatabase, withDatabase } from '@paygate/testkit';

import { topologyNames } from '../../src/infra/topology';
import type { Suite, SuiteRun } from './suites';
import { SUITES, TEST_QUEUE_EXPIRES_MS, TEST_RETRY_BUCKETS_MS } from './suites';

declare module 'vitest' {
  export interface ProvidedContext {
    runs: Record<Suite, SuiteRun>;
  }
}

/**
 * One migrated database and one AMQP prefix per suite, for this run only; dropped and deleted afterwards
 * (the queues through the worker's own topology name list). The worker needs no Redis, so this uses the
 * testkit's database helpers rather than createIsolatedRun, which also wants Redis.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminDatabaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const runs = {} as Record<Suite, SuiteRun>;
  await Promise.all(
    SUITES.map(async (suite) => {
      const databaseName = `paygate_test_worker_${suite}_${runId}`;
      await createDatabase(adminDatabaseUrl, databaseName);
      // The bank simulator's own books: an empty database it migrates itself.
      await createDatabase(adminDatabaseUrl, `${databaseName}_bank`);
      const databaseUrl = withDatabase(adminDatabaseUrl, databaseName);
      await runMigrations(databaseUrl);
      runs[suite] = {
        databaseUrl,
        bankDatabaseUrl: withDatabase(adminDatabaseUrl, `${databaseName}_bank`),
        amqpUrl,
        amqpPrefix: `test_${runId}_${suite}`,
      };
    }),
  );
  project.provide('runs', runs);

  return async () => {
    if (process.env.PAYGATE_TEST_KEEP === '1') return;
    const connection = await amqp.connect(amqpUrl);
    try {
      const channel = await connection.createChannel();
      for (const run of Object.values(runs)) {
        const names = topologyNames({
          prefix: run.amqpPrefix,
          retryDelayBucketsMs: TEST_RETRY_BUCKETS_MS,
          queueExpiresMs: TEST_QUEUE_EXPIRES_MS,
        });
        for (const queue of names.queues) await channel.deleteQueue(queue);
        for (const exchange of names.exchanges) await channel.deleteExchange(exchange);
      }
      await channel.close();
    } finally {
      await connection.close();
    }
    await Promise.all(
      Object.values(runs).flatMap((run) => [
        dropDatabase(adminDatabaseUrl, new URL(run.databaseUrl).pathname.slice(1)),
        dropDatabase(adminDatabaseUrl, new URL(run.bankDatabaseUrl).pathname.slice(1)),
      ]),
    );
  };
}
