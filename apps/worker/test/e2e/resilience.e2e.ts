// Goal: the worker can die at any instant, and RabbitMQ can drop it, without losing or doubling money.
// Method: real processes; SIGKILL the worker while bank calls are in flight and start it again; cut the
// worker's AMQP connections through a TCP proxy while work arrives, then restore them.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';

import type { TcpProxy } from '../setup/tcp-proxy';
import { startTcpProxy } from '../setup/tcp-proxy';
import type { SystemUser } from './support';
import { waitFor } from '@paygate/testkit';

import { auditLedger, balanceOf, deposit, metricValue, settled, statusCounts, useSystem, withdraw } from './support';

describe('worker killed mid-processing', () => {
  // The bank holds each order's answer (it has accepted the order) until the caller goes away, and settles
  // only seconds later: a kill then lands mid-call, with every transaction still processing.
  const system = useSystem('e2e_kill', {
    env: {
      bank: { BANK_HANG_MS: '60000', BANK_MIN_DELAY_MS: '3000', BANK_MAX_DELAY_MS: '4000' },
      worker: { BANK_TIMEOUT_MS: '3000', RECONCILE_PROCESSING_AFTER_MS: '5000' },
    },
  });

  test(
    'when the worker is SIGKILLed and restarted, then every transaction settles exactly once',
    { timeout: 240_000 },
    async () => {
      const user = await system().createUser('100.00');
      await system().stack.controlBank({ mode: 'hang' });
      const created = [];
      for (let index = 0; index < 6; index += 1) {
        created.push(
          index % 2 === 0 ? await deposit(system().stack, user, '2.00') : await withdraw(system().stack, user, '3.00'),
        );
      }
      // Bank calls are in flight once the bank holds their answers: the worker is waiting on it.
      const bankMetrics = `${system().stack.bankUrl}/metrics`;
      await waitFor(
        async () => ((await metricValue(bankMetrics, 'bank_sim_answers_held')) ?? 0) >= 3 || undefined,
        'bank calls in flight',
        { timeoutMs: 120_000 },
      );
      expect(await system().stack.worker.kill('SIGKILL')).toBeNull();
      await system().stack.controlBank({ mode: 'normal' });
      await system().stack.worker.start();
      for (const [index, answer] of created.entries()) {
        expect(
          (await settled(system().stack, user, index % 2 === 0 ? 'deposits' : 'withdrawals', answer.body.id, 60_000))
            .status,
        ).toBe('success');
      }
      expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '97.00', available_balance: '97.00' });
      const postings = await system().pool.query(
        'SELECT transaction_id FROM ledger_postings p JOIN transactions t ON t.id = p.transaction_id WHERE t.user_id = $1',
        [user.id],
      );
      expect(postings.rowCount).toBe(6);
      expect(await auditLedger(system().pool)).toEqual([]);
    },
  );
});

describe('RabbitMQ connection dropped', () => {
  const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  let proxy: TcpProxy | undefined;
  // Registered first so it runs last (after hooks run in reverse): the stack stops while its broker is reachable.
  afterAll(async () => {
    await proxy?.stop();
  });
  const system = useSystem('e2e_amqp', {}, async () => {
    proxy = await startTcpProxy(amqpUrl);
    return { worker: { AMQP_URL: proxy.urlFor(amqpUrl), AMQP_RECONNECT_BASE_MS: '100', AMQP_RECONNECT_CAP_MS: '500' } };
  });

  test('when the connection drops and comes back, then work created meanwhile settles and nothing is lost', async () => {
    const user: SystemUser = await system().createUser('50.00');
    const before = await deposit(system().stack, user, '1.00');
    expect((await settled(system().stack, user, 'deposits', before.body.id)).status).toBe('success');

    proxy!.setAccepting(false);
    proxy!.dropAll();
    const workerMetrics = system().stack.workerMetricsUrl;
    await waitFor(
      async () => (await metricValue(workerMetrics, 'paygate_worker_amqp_connected')) === 0 || undefined,
      'the worker to see the broker gone',
      { timeoutMs: 60_000 },
    );
    const during = [];
    for (let index = 0; index < 5; index += 1) during.push(await withdraw(system().stack, user, '2.00', randomUUID()));
    expect(during.every((answer) => answer.status === 202)).toBe(true);
    // The work waits in the outbox while the worker cannot reach the broker.
    expect((await statusCounts(system().pool)).pending ?? 0).toBeGreaterThanOrEqual(5);
    proxy!.setAccepting(true);

    for (const answer of during)
      expect((await settled(system().stack, user, 'withdrawals', answer.body.id, 120_000)).status).toBe('success');
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '41.00', available_balance: '41.00' });
    expect(await auditLedger(system().pool)).toEqual([]);
    expect(system().stack.worker.running).toBe(true);
  });
});
