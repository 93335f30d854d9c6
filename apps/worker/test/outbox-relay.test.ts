// Goal: a committed outbox row reaches RabbitMQ within milliseconds (LISTEN/NOTIFY, not the sweep), the
// relay LISTENs again after PostgreSQL drops its connection, several relays never publish a row twice, and
// the sweep catches a row nobody notified about. Method: a worker whose sweep runs only every 60 s, a tap
// queue on the exchange that timestamps each message, and pg_terminate_backend on the listener.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { transactionIdOf } from './setup/amqp';
import {
  givenTransaction,
  givenTransactionWithLostMessage,
  givenUserWithWallet,
  sleep,
  waitFor,
} from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;

beforeAll(async () => {
  // Webhooks are only recorded here: applying them is not under test, and it would add load to the
  // process whose timing this suite measures.
  world = await startWorld('relay', { OUTBOX_SWEEP_INTERVAL_MS: '60000' }, { receiverMode: 'record' });
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

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

describe('outbox relay', () => {
  // A timing test on a shared 2-core box: a round measured while another process hogs the CPU is repeated
  // (at most twice) rather than failing the build; each round is a fresh set of 20 rows.
  test(
    'when rows are committed one by one, then the median commit-to-consume latency is under 50 ms',
    { retry: 2 },
    async () => {
      const { userId } = await givenUserWithWallet(world.pool, 0n);
      const committedAtMs = new Map<number, number>();
      const startedAtMs = new Map<number, number>();
      for (let index = 0; index < 20; index += 1) {
        const startedAt = performance.now();
        const id = await givenTransaction(world.pool, userId, 'deposit', 100n + BigInt(index));
        committedAtMs.set(id, Date.now());
        startedAtMs.set(id, Date.now() - (performance.now() - startedAt));
        await sleep(25);
      }
      await waitFor(
        () => ([...committedAtMs.keys()].every((id) => world.probe.tappedFor(id).length > 0) ? true : undefined),
        'all 20 messages',
      );

      const latenciesMs = [...committedAtMs]
        .map(([id, committedAt]) => (world.probe.tappedFor(id)[0]?.receivedAtMs ?? Number.NaN) - committedAt)
        .sort((a, b) => a - b);
      const fromCallMs = [...startedAtMs]
        .map(([id, startedAt]) => (world.probe.tappedFor(id)[0]?.receivedAtMs ?? Number.NaN) - startedAt)
        .sort((a, b) => a - b);
      console.info(
        `outbox relay latency over ${latenciesMs.length} rows, commit -> consume: p50 ${percentile(latenciesMs, 0.5)} ms, p95 ${percentile(latenciesMs, 0.95)} ms, max ${latenciesMs.at(-1)} ms;` +
          ` from the start of the create call: p50 ${percentile(fromCallMs, 0.5)} ms, max ${fromCallMs.at(-1)} ms`,
      );
      expect(percentile(latenciesMs, 0.5)).toBeLessThan(50);
    },
  );

  test('when PostgreSQL drops the LISTEN connection, then the relay listens again and publishes what came meanwhile', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const pidBefore = await waitFor(listenerPid, 'the listener');
    await world.pool.query('SELECT pg_terminate_backend($1)', [pidBefore]);
    const createdWhileAway = await givenTransaction(world.pool, userId, 'deposit', 300n);

    const pidAfter = await waitFor(
      async () => {
        const pid = await listenerPid();
        return pid !== undefined && pid !== pidBefore ? pid : undefined;
      },
      'a new listener',
      3_000,
    );
    await waitFor(
      () => (world.probe.tappedFor(createdWhileAway).length > 0 ? true : undefined),
      'the row committed while away',
      2_000,
    );
    const createdAfter = await givenTransaction(world.pool, userId, 'deposit', 301n);
    await waitFor(
      () => (world.probe.tappedFor(createdAfter).length > 0 ? true : undefined),
      'a row committed after relisten',
      1_000,
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
    await world.pool.query(
      "INSERT INTO outbox (topic, transaction_id) VALUES ('transactions.process', $1)",
      [lost],
    );

    await waitFor(
      () =>
        ids.every((id) => world.probe.tappedFor(id).length > 0) && world.probe.tappedFor(lost).length > 0
          ? true
          : undefined,
      'every row',
    );
    await sleep(300);

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
