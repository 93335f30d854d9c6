// Goal: migrations build the schema from nothing, are safe to rerun, and refuse an edited history.
// Method: apply them to brand-new databases of our own, on the real PostgreSQL.
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, test } from 'vitest';

import { createDatabase, dropDatabase, withDatabase } from '@paygate/testkit';

import { DEFAULT_MIGRATIONS_DIR, runMigrations } from '../src';

const run = inject('run');
const created: string[] = [];

async function freshDatabase(suffix: string): Promise<string> {
  const name = `paygate_test_${run.runId}_${suffix}`.slice(0, 63);
  await createDatabase(run.adminDatabaseUrl, name);
  created.push(name);
  return withDatabase(run.adminDatabaseUrl, name);
}

afterAll(async () => {
  for (const name of created) await dropDatabase(run.adminDatabaseUrl, name);
});

describe('runMigrations', () => {
  test('when the database is empty, then every migration applies and the tables exist', async () => {
    const url = await freshDatabase('empty');
    const result = await runMigrations(url);
    expect(result.applied.length).toBeGreaterThanOrEqual(2);
    expect(result.alreadyApplied).toEqual([]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    await client.end();
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      '_prisma_migrations',
      'accounts',
      'api_keys',
      'bank_attempts',
      'dead_letters',
      'idempotency_keys',
      'ledger_checks',
      'ledger_postings',
      'operator_audit',
      'operator_sessions',
      'operators',
      'outbox',
      'rejected_webhooks',
      'transaction_events',
      'transactions',
      'user_sessions',
      'users',
      'webhook_deliveries',
      'webhook_delivery_attempts',
      'webhook_endpoints',
      'webhook_events',
      'worker_heartbeats',
    ]);
  });

  test('when run again, or by several runners at once, then nothing is applied twice', async () => {
    const url = await freshDatabase('rerun');
    const results = await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
    const appliedCounts = results.map((result) => result.applied.length).sort();
    expect(appliedCounts[0]).toBe(0);
    expect(appliedCounts[1]).toBe(0);
    expect(appliedCounts[2]).toBeGreaterThanOrEqual(2);
    expect((await runMigrations(url)).applied).toEqual([]);
  });

  test('when an applied migration was edited, then the run stops and names it', async () => {
    const url = await freshDatabase('edited');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paygate-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await runMigrations(url, { migrationsDir: dir });
    await writeFile(path.join(dir, '20261127000000_init', 'migration.sql'), '-- edited\n', { flag: 'a' });
    await expect(runMigrations(url, { migrationsDir: dir })).rejects.toThrow(/20261127000000_init was changed/);
  });

  test('when a migration fails, then it is rolled back and not recorded', async () => {
    const url = await freshDatabase('broken');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'paygate-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const broken = path.join(dir, '29991231000000_broken');
    await import('node:fs/promises').then((fs) => fs.mkdir(broken));
    await writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int); SELECT 1/0;');
    await expect(runMigrations(url, { migrationsDir: dir })).rejects.toThrow(/29991231000000_broken failed/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const table = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    const recorded = await client.query(
      "SELECT 1 FROM _prisma_migrations WHERE migration_name = '29991231000000_broken'",
    );
    await client.end();
    expect(table.rowCount).toBe(0);
    expect(recorded.rowCount).toBe(0);
  });
});
