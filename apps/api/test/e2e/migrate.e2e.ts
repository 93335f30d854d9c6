/**
 * The built migrate command, as the compose `migrate` service and the api image run it
 * (`node dist/cli/migrate.js`): it must find the SQL files copied next to the bundle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { dropDatabase, REPO_ROOT, withDatabase } from '@paygate/testkit';

const API_DIR = path.join(REPO_ROOT, 'apps', 'api');
const MIGRATE = path.join(API_DIR, 'dist', 'cli', 'migrate.js');
const MIGRATION_COUNT = readdirSync(path.join(REPO_ROOT, 'packages', 'db', 'prisma', 'migrations'), {
  withFileTypes: true,
}).filter((entry) => entry.isDirectory()).length;

const databaseName = `${inject('run').runId}_migrate`.replace(/[^a-z0-9_]/g, '').slice(0, 63);
const databaseUrl = withDatabase(inject('run').adminDatabaseUrl, databaseName);

function migrate(env: Record<string, string>) {
  // Only what the container would have: no NODE_ENV=test, no workspace on the module path.
  const result = spawnSync(process.execPath, [MIGRATE], {
    cwd: path.join(API_DIR, 'dist'),
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(async () => {
  await dropDatabase(inject('run').adminDatabaseUrl, databaseName);
});

describe('node dist/cli/migrate.js', () => {
  it('when the database does not exist, then it creates it and applies every migration; run again, it applies none', async () => {
    expect(existsSync(MIGRATE), 'apps/api is not built: run pnpm build').toBe(true);

    const first = migrate({ DATABASE_URL: databaseUrl });
    expect(first.output).toContain(`created database ${databaseName}`);
    expect(first.output).toContain(`${MIGRATION_COUNT} applied, 0 already applied`);
    expect(first.status).toBe(0);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>(
        'SELECT count(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      );
      expect(Number(rows[0]?.count)).toBe(MIGRATION_COUNT);
      await client.query('SELECT count(*) FROM transactions');
    } finally {
      await client.end();
    }

    const second = migrate({ DATABASE_URL: databaseUrl });
    expect(second.output).toContain(`0 applied, ${MIGRATION_COUNT} already applied`);
    expect(second.status).toBe(0);
  });

  it('when DATABASE_URL is not a PostgreSQL URL, then it exits 1 naming the variable', () => {
    const result = migrate({ DATABASE_URL: 'mysql://localhost/paygate' });
    expect(result.status).toBe(1);
    expect(result.output).toContain('DATABASE_URL');
  });

  it('when NODE_ENV=production and WEBHOOK_SECRET is the development default, then it refuses to run', () => {
    const result = migrate({ DATABASE_URL: databaseUrl, NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.output).toContain('WEBHOOK_SECRET');
  });
});
