import pg from 'pg';

import type { BankConfig } from '../config';
import { databaseNameOf } from '../config';
import { migrateBankDatabase } from './migrate';
import type { Logger } from '../infra/logger';

/**
 * The bank's own PostgreSQL database. The bank is a separate system from the gateway: it creates its
 * database when it is missing and migrates its own schema, and it never imports @paygate/db.
 */

export type Pool = pg.Pool;

const APPLICATION_NAME = 'paygate-bank-sim';
/** PostgreSQL's error codes for a database that already exists (a racing starter created it first). */
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/** Creates the database if it is missing, then applies the bank's migrations. Safe to run concurrently. */
export async function prepareBankDatabase(config: BankConfig['database'], logger: Logger): Promise<void> {
  const isCreated = await createDatabaseIfMissing(config);
  if (isCreated) logger.info({ database: databaseNameOf(config.url) }, 'bank database created');
  const applied = await migrateBankDatabase(config);
  if (applied.length > 0) logger.info({ migrations: applied }, 'bank database migrated');
}

/** A bounded pool: every limit stated, none left to a library default. */
export function createBankPool(config: BankConfig['database'], logger: Logger): Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    application_name: APPLICATION_NAME,
    max: config.poolSizeMax,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    idleTimeoutMillis: config.idleTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    // Every statement is its own transaction; this only guards against a future multi-statement one.
    idle_in_transaction_session_timeout: Math.max(config.statementTimeoutMs * 2, 10_000),
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  return pool;
}

async function createDatabaseIfMissing(config: BankConfig['database']): Promise<boolean> {
  const databaseName = databaseNameOf(config.url);
  // The server's maintenance database: the bank's own may not exist yet.
  const maintenanceUrl = new URL(config.url);
  maintenanceUrl.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: maintenanceUrl.toString(),
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount !== 0) return false;
    await client.query(`CREATE DATABASE ${quoteIdentifier(databaseName)}`);
    return true;
  } catch (error) {
    if (isDuplicateDatabase(error)) return false;
    throw error;
  } finally {
    await client.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Two banks starting at once both see no database; the second CREATE fails one of these two ways. */
function isDuplicateDatabase(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return error.code === DUPLICATE_DATABASE || error.code === UNIQUE_VIOLATION;
}
