// Goal: expired idempotency keys and long-published outbox rows are deleted in bounded batches, and nothing
// younger is touched. Method: a worker whose retention runs every 100 ms in batches of 2; rows are made old
// by moving their timestamps back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { givenTransaction, givenUserWithWallet } from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld('retention', {
    RETENTION_INTERVAL_MS: '100',
    RETENTION_BATCH_SIZE: '2',
    IDEMPOTENCY_TTL_HOURS: '24',
    OUTBOX_RETENTION_HOURS: '168',
  });
});

afterAll(async () => {
  await world.stop();
});

async function countWhere(sql: string, ids: number[]): Promise<number> {
  const { rows } = await world.pool.query<{ count: string }>(sql, [ids.map(String)]);
  return Number(rows[0]?.count);
}

describe('retention', () => {
  test('when idempotency keys pass their TTL and outbox rows their retention, then only those are deleted', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, index) => givenTransaction(world.pool, userId, 'deposit', 100n + BigInt(index))),
    );
    const [old, fresh] = [ids.slice(0, 3), ids.slice(3)];
    await waitFor(
      async () =>
        (await countWhere(
          'SELECT count(*) FROM outbox WHERE published_at IS NULL AND transaction_id = ANY($1::bigint[])',
          ids,
        )) === 0
          ? true
          : undefined,
      'the relay to publish every row',
    );
    await world.pool.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE transaction_id = ANY($1::bigint[])",
      [old],
    );
    await world.pool.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '23 hours' WHERE transaction_id = ANY($1::bigint[])",
      [fresh],
    );
    await world.pool.query(
      "UPDATE outbox SET published_at = now() - interval '169 hours' WHERE transaction_id = ANY($1::bigint[])",
      [old.map(String)],
    );

    await waitFor(
      async () =>
        (await countWhere('SELECT count(*) FROM idempotency_keys WHERE transaction_id::text = ANY($1)', old)) === 0
          ? true
          : undefined,
      'expired keys to go',
    );
    await waitFor(
      async () =>
        (await countWhere('SELECT count(*) FROM outbox WHERE transaction_id = ANY($1::bigint[])', old)) === 0
          ? true
          : undefined,
      'old outbox rows to go',
    );

    expect(await countWhere('SELECT count(*) FROM idempotency_keys WHERE transaction_id::text = ANY($1)', fresh)).toBe(
      3,
    );
    expect(await countWhere('SELECT count(*) FROM outbox WHERE transaction_id = ANY($1::bigint[])', fresh)).toBe(3);
    expect(await countWhere('SELECT count(*) FROM transactions WHERE id::text = ANY($1)', ids)).toBe(6);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'idempotency_key' })).toBe(3);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'outbox' })).toBe(3);
  });
});
