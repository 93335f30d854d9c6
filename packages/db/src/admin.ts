import pg from 'pg';

/** Creates the database named in the URL when it does not exist yet (first start on a fresh machine). */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) throw new Error(`unsupported database name in DATABASE_URL: "${name}"`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), application_name: 'paygate-admin' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 1) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } catch (error) {
    // Two starters racing: the other one created it first, which is what we wanted.
    if (error instanceof Error && 'code' in error && error.code === '42P04') return false;
    throw error;
  } finally {
    await client.end();
  }
}
