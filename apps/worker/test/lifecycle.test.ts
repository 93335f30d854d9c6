// Goal: the worker survives a dropped broker connection (reconnects with backoff, declares its topology
// again, publishes what was committed meanwhile, and a delivery cut off mid-handling is redelivered without
// a second bank order), and a graceful stop finishes the handler in flight before closing. Method: the
// worker reaches RabbitMQ through a TCP proxy the test can cut; the bank holds its answers for 400 ms.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { givenTransaction, givenUserWithWallet, transactionOf, waitForStatus } from './setup/fixtures';
import type { TcpProxy } from './setup/tcp-proxy';
import { startTcpProxy } from './setup/tcp-proxy';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await startTcpProxy(inject('runs').lifecycle.amqpUrl);
  world = await startWorld(
    'lifecycle',
    { AMQP_HEARTBEAT_S: '1' },
    { amqpUrl: proxy.urlFor(inject('runs').lifecycle.amqpUrl), bankEnv: { BANK_HANG_MS: '400' } },
  );
});

afterAll(async () => {
  await world.stop();
  await proxy.stop();
});

async function health(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${world.metricsUrl}/health`);
  return { status: response.status, body: await response.json() };
}

describe('broker connection and shutdown', () => {
  test('when the broker connection drops mid-delivery, then the worker reconnects, publishes the backlog, and the bank sees one order', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    await world.bank.control({ mode: 'hang' });
    const inFlight = await givenTransaction(world.pool, userId, 'deposit', 1_100n);
    await waitFor(async () => ((await world.postsFor(inFlight)).length > 0 ? true : undefined), 'the bank to be asked');

    proxy.setAccepting(false);
    proxy.dropAll();
    await waitFor(() => (world.worker.isAmqpConnected ? undefined : true), 'the worker to notice');
    expect(await health()).toEqual({
      status: 503,
      body: { status: 'unhealthy', service: 'paygate-worker', checks: { database: 'up', amqp: 'down' } },
    });
    await world.bank.control({ reset: true });
    // Without a session the relay does not even try to publish: the row waits in the outbox.
    const createdWhileDown = await givenTransaction(world.pool, userId, 'deposit', 1_200n);
    expect((await transactionOf(world.pool, createdWhileDown)).status).toBe('pending');
    proxy.setAccepting(true);

    const [first, second] = await Promise.all([
      waitForStatus(world.pool, inFlight, ['success', 'failed']),
      waitForStatus(world.pool, createdWhileDown, ['success', 'failed']),
    ]);

    expect([first.status, second.status]).toEqual(['success', 'success']);
    expect(world.worker.isAmqpConnected).toBe(true);
    expect(await health()).toMatchObject({ status: 200 });
    expect(await world.orderAtBank(inFlight)).toBeDefined();
    const { rows } = await world.pool.query('SELECT 1 FROM ledger_postings WHERE transaction_id = ANY($1::bigint[])', [
      [inFlight, createdWhileDown],
    ]);
    expect(rows).toHaveLength(2);
    expect(await world.metric('paygate_worker_amqp_connected')).toBe(1);
  });

  test('when stopped with a handler in flight, then it finishes that handler, acks, and closes without taking more work', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    await world.bank.control({ mode: 'hang' });
    const id = await givenTransaction(world.pool, userId, 'deposit', 1_300n);
    await waitFor(async () => ((await world.postsFor(id)).length > 0 ? true : undefined), 'the bank to be asked');

    const startedAtMs = Date.now();
    await world.worker.stop();
    const stopMs = Date.now() - startedAtMs;
    // Stopped: no listener, no relay, no consumer; the new row stays in the outbox, unpublished.
    const afterStop = await givenTransaction(world.pool, userId, 'deposit', 1_400n);
    const { rows: waiting } = await world.pool.query(
      'SELECT 1 FROM outbox WHERE transaction_id = $1 AND published_at IS NULL',
      [afterStop],
    );
    expect(waiting).toHaveLength(1);

    expect(stopMs).toBeLessThan(world.config.shutdown.graceMs);
    expect((await transactionOf(world.pool, id)).bankReference).toMatch(/^BNK-/);
    expect(await world.probe.messageCount(world.worker.topology.processQueue)).toBe(0);
    expect((await transactionOf(world.pool, afterStop)).status).toBe('pending');
    expect(world.worker.isAmqpConnected).toBe(false);
    expect(proxy.openConnectionCount).toBe(0);
  });
});
