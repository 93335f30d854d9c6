import { createHash } from 'node:crypto';

import pg from 'pg';

import type { BankConfig } from '../config';
import type { Migration } from './migrations';
import { MIGRATIONS } from './migrations';

/**
 * Applies the bank's migrations in order, each in its own transaction, recording each with a sha256
 * checksum. An advisory lock makes banks that start together wait for each other instead of racing; an
 * applied migration whose checksum changed stops the start: a shipped migration is never edited.
 */

/** Any constant shared by every bank process; the gateway's migrator uses another. */
const LOCK_KEY = 72_616_202;

/** Returns the names of the migrations applied by this call (empty when the schema was up to date). */
export async function migrateBankDatabase(
  config: BankConfig['database'],
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  // No statement timeout: waiting for the lock, or building an index on a big table, may take a while.
  const client = new pg.Client({
    connectionString: config.url,
    application_name: 'paygate-bank-sim-migrate',
    connectionTimeoutMillis: config.connectionTimeoutMs,
    statement_timeout: 0,
  });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS bank_schema_migrations (
        name       text PRIMARY KEY,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const history = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM bank_schema_migrations',
    );
    const appliedChecksums = new Map(history.rows.map((row) => [row.name, row.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const checksum = checksumOf(migration);
      const appliedChecksum = appliedChecksums.get(migration.name);
      if (appliedChecksum === checksum) continue;
      if (appliedChecksum !== undefined) {
        throw new Error(`bank migration ${migration.name} was changed after it was applied`);
      }
      await applyOne(client, migration, checksum);
      applied.push(migration.name);
    }
    return applied;
  } finally {
    // Ending the session releases the lock too; unlocking first keeps the order of events plain.
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.sql, 'utf8').digest('hex');
}

async function applyOne(client: pg.Client, migration: Migration, checksum: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO bank_schema_migrations (name, checksum) VALUES ($1, $2)', [
      migration.name,
      checksum,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`bank migration ${migration.name} failed`, { cause: error });
  }
}
