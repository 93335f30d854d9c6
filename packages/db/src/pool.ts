import pg from 'pg';

/** A bounded pool: every limit stated, none left to a library default. */
export interface PoolOptions {
  connectionString: string;
  applicationName: string;
  poolSizeMax: number;
  statementTimeoutMs: number;
  connectionTimeoutMs: number;
  idleTimeoutMs: number;
}

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(options: PoolOptions): pg.Pool {
  return new pg.Pool({
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.poolSizeMax,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    // A transaction left open by a crashed request must not hold row locks for long.
    idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 10_000),
  });
}

export async function pingDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}

/** Runs work in one database transaction on one connection: committed when it returns, rolled back if it throws. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
