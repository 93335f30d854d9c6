// Goal: a committed outbox row reaches RabbitMQ within milliseconds (LISTEN/NOTIFY, not the sweep), the
// relay LISTENs again after PostgreSQL drops its connection, several relays never publish a row twice, and
// the sweep catches a row nobody notified about. Method: a worker whose sweep runs only every 60 s, a tap
// queue on the exchange that timestamps each message, and pg_terminate_backend on the listener.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { transactionIdOf } from './setup/amqp';
import { givenTransaction, givenTransactionWithLostMessage, givenUserWithWallet } from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;

beforeAll(async () => {
  // Webhooks are only recorded here: applying them is not under test, and it would add load to the
  // process whose timing this suite measures.
  // The sweep is ten minutes away: whatever the tests see published came from a NOTIFY wake-up or a
  // relisten, never from the safety-net sweep.
  world = await startWorld('relay', { OUTBOX_SWEEP_INTERVAL_MS: '600000' }, { receiverMode: 'record' });
});

afterAll(async () => {
  await world.stop();
});

async function listenerPid(): Promise<number | undefined> {
  const { rows } = await world.pool.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'paygate-worker-outbox-listener' AND datname = current_database() AND query ILIKE 'LISTEN%'",
  );
  return rows.length === 1 ? rows[0]?.pid : undefined;
}

describe('outbox relay', () => {
  // Latency is measured by `pnpm bench settle`, not here; this checks the wake-up path itself.
  test('when rows are committed one by one, then each is published on its NOTIFY wake-up, the sweep being far away', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const ids: number[] = [];
    for (let index = 0; index < 20; index += 1)
      ids.push(await givenTransaction(world.pool, userId, 'deposit', 100n + BigInt(index)));
    await waitFor(
      () => (ids.every((id) => world.probe.tappedFor(id).length > 0) ? true : undefined),
      'all 20 messages',
    );
    await world.probe.fence();
    expect(ids.map((id) => world.probe.tappedFor(id).length)).toEqual(ids.map(() => 1));
  });

  test('when PostgreSQL drops the LISTEN connection, then the relay listens again and publishes what came meanwhile', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const pidBefore = await waitFor(listenerPid, 'the listener');
    await world.pool.query('SELECT pg_terminate_backend($1)', [pidBefore]);
    const createdWhileAway = await givenTransaction(world.pool, userId, 'deposit', 300n);

    const pidAfter = await waitFor(async () => {
      const pid = await listenerPid();
      return pid !== undefined && pid !== pidBefore ? pid : undefined;
    }, 'a new listener');
    await waitFor(
      () => (world.probe.tappedFor(createdWhileAway).length > 0 ? true : undefined),
      'the row committed while away',
    );
    const createdAfter = await givenTransaction(world.pool, userId, 'deposit', 301n);
    await waitFor(
      () => (world.probe.tappedFor(createdAfter).length > 0 ? true : undefined),
      'a row committed after relisten',
    );

    expect(pidAfter).not.toBe(pidBefore);
  });

  test('when two relays run at once, then every row is published exactly once', async () => {
    const another = await world.startAnotherWorker({ OUTBOX_SWEEP_INTERVAL_MS: '100' });
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const ids = await Promise.all(
      Array.from({ length: 60 }, (_, index) => givenTransaction(world.pool, userId, 'deposit', 1_000n + BigInt(index))),
    );
    const lost = await givenTransactionWithLostMessage(world.pool, userId, 'deposit', 999n);
    // A row nobody notified about (inserted without NOTIFY): only a sweep can find it.
    await world.pool.query("INSERT INTO outbox (topic, transaction_id) VALUES ('transactions.process', $1)", [lost]);

    await waitFor(
      () =>
        ids.every((id) => world.probe.tappedFor(id).length > 0) && world.probe.tappedFor(lost).length > 0
          ? true
          : undefined,
      'every row',
    );
    // Exactly once means no second copy is still on its way: once every row is marked published, nothing
    // can publish it again, and the fence arrives after whatever was already routed to the tap.
    await waitFor(async () => {
      const { rows } = await world.pool.query<{ count: string }>(
        'SELECT count(*) AS count FROM outbox WHERE transaction_id = ANY($1::bigint[]) AND published_at IS NULL',
        [[...ids, lost]],
      );
      return Number(rows[0]?.count) === 0 ? true : undefined;
    }, 'every row marked published');
    await world.probe.fence();

    const messageIds = world.probe.tapped
      .filter((message) => [...ids, lost].includes(transactionIdOf(message) ?? 0))
      .map((message) => message.messageId);
    expect(messageIds).toHaveLength(61);
    expect(new Set(messageIds).size).toBe(61);
    expect((await world.metric('paygate_worker_outbox_published_total')) ?? 0).toBeGreaterThan(0);
    expect(another.worker.metrics.outboxPublished).toBeDefined();
    await another.stop();
  });
});
