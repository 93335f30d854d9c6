// Goal: each run gets its own database, Redis prefix and AMQP prefix, and cleanup removes them.
// Method: create two runs on the real services, write in each, clean up, look again.
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, test } from 'vitest';

import { createIsolatedRun } from '../src';

async function databaseExists(adminUrl: string, databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const name = new URL(databaseUrl).pathname.slice(1);
  const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  await client.end();
  return found.rowCount === 1;
}

describe('createIsolatedRun', () => {
  test('when two runs start, then they get different databases and prefixes, and cleanup removes them', async () => {
    const migrated: string[] = [];
    const [first, second] = await Promise.all([
      createIsolatedRun({
        label: 'kit',
        migrate: (url) => {
          migrated.push(url);
          return Promise.resolve();
        },
      }),
      createIsolatedRun({ label: 'kit' }),
    ]);
    expect(first.databaseUrl).not.toBe(second.databaseUrl);
    expect(first.redisPrefix).not.toBe(second.redisPrefix);
    expect(first.amqpPrefix).not.toBe(second.amqpPrefix);
    expect(migrated).toEqual([first.databaseUrl]);
    expect(await databaseExists(first.adminDatabaseUrl, first.databaseUrl)).toBe(true);

    const redis = new Redis(first.redisUrl);
    await redis.set(`${first.redisPrefix}a`, '1');
    await redis.set(`${second.redisPrefix}a`, '2');
    await first.cleanup();
    expect(await databaseExists(first.adminDatabaseUrl, first.databaseUrl)).toBe(false);
    expect(await redis.get(`${first.redisPrefix}a`)).toBeNull();
    expect(await redis.get(`${second.redisPrefix}a`)).toBe('2');
    await second.cleanup();
    expect(await redis.get(`${second.redisPrefix}a`)).toBeNull();
    redis.disconnect();
  });
});
