// Goal: money moves end to end (API -> outbox -> RabbitMQ -> worker -> bank -> signed webhook -> ledger)
// and every bank misbehaviour ends in exactly one correct settlement. Method: api, worker and bank-sim as
// real processes on real PostgreSQL, RabbitMQ and Redis; the bank's mode is forced through its control
// endpoint; state is read back through the public API and the ledger audit.
import { beforeEach, describe, expect, test } from 'vitest';

import { auditLedger, balanceOf, deposit, queueDepth, settled, useSystem, withdraw } from './support';

const system = useSystem('e2e_settle');
beforeEach(async () => {
  await system().stack.controlBank({ reset: true });
});

describe('settlement through the bank', () => {
  test('when a deposit is made, then it reaches success and the balance rises', async () => {
    const user = await system().createUser('10.00');
    const created = await deposit(system().stack, user, '25.50');
    expect(created.status).toBe(202);
    const final = await settled(system().stack, user, 'deposits', created.body.id);
    expect(final).toMatchObject({
      status: 'success',
      bank_reference: expect.stringMatching(/^BNK-/),
      error_code: null,
    });
    expect(final.events.map((event: { to_status: string }) => event.to_status)).toEqual([
      'pending',
      'processing',
      'success',
    ]);
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '35.50', available_balance: '35.50' });
  });

  test('when a withdrawal is made, then it reaches success and the balance falls', async () => {
    const user = await system().createUser('100.00');
    const created = await withdraw(system().stack, user, '30.25');
    expect(created.status).toBe(202);
    expect(await balanceOf(system().stack, user)).toMatchObject({ available_balance: '69.75' });
    expect(await settled(system().stack, user, 'withdrawals', created.body.id)).toMatchObject({ status: 'success' });
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '69.75', available_balance: '69.75' });
  });

  test('when the bank refuses, then failed with its reason and the hold is released', async () => {
    await system().stack.controlBank({ mode: 'always_fail' });
    const user = await system().createUser('50.00');
    const created = await withdraw(system().stack, user, '20.00');
    const final = await settled(system().stack, user, 'withdrawals', created.body.id);
    expect(final).toMatchObject({
      status: 'failed',
      error_code: 'bank_declined',
      error_message: 'The bank declined the payment.',
    });
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '50.00', available_balance: '50.00' });
  });

  test('when the bank answers 503 three times, then the worker retries and the deposit succeeds', async () => {
    await system().stack.controlBank({ fail_next_requests_with_503: 3 });
    const user = await system().createUser('0.00');
    const created = await deposit(system().stack, user, '5.00');
    const final = await settled(system().stack, user, 'deposits', created.body.id);
    expect(final.status).toBe('success');
    const metrics = await fetch(system().stack.workerMetricsUrl).then((response) => response.text());
    expect(Number(/paygate_worker_retries_total(?:\{[^}]*\})? (\d+)/.exec(metrics)?.[1] ?? 0)).toBeGreaterThanOrEqual(
      3,
    );
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '5.00' });
  });

  test('when the bank answers 503 past the retry horizon, then failed with a plain reason and the message in the DLQ', async () => {
    const dlqBefore = await queueDepth(system().run, 'transactions.dead');
    await system().stack.controlBank({ mode: 'always_503' });
    const user = await system().createUser('40.00');
    const created = await withdraw(system().stack, user, '15.00');
    const final = await settled(system().stack, user, 'withdrawals', created.body.id, 30_000);
    expect(final).toMatchObject({ status: 'failed', error_code: 'bank_unavailable' });
    // The end user reads what happened to the money; the operator's detail is on the event, not here.
    expect(final.error_message).toMatch(
      /^The bank could not be reached for too long, so this withdrawal was cancelled\. No money moved/,
    );
    expect(final.error_message).not.toMatch(/breaker|HTTP|attempt/);
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '40.00', available_balance: '40.00' });
    expect(await queueDepth(system().run, 'transactions.dead')).toBe(dlqBefore + 1);
  });

  test('when webhooks are duplicated and delivered out of order, then each transaction settles exactly once', async () => {
    await system().stack.controlBank({ duplicate_webhooks: true, out_of_order: true });
    const user = await system().createUser('100.00');
    const created = [
      await deposit(system().stack, user, '1.00'),
      await withdraw(system().stack, user, '2.00'),
      await deposit(system().stack, user, '3.00'),
      await withdraw(system().stack, user, '4.00'),
    ];
    for (const [index, answer] of created.entries()) {
      expect(
        (await settled(system().stack, user, index % 2 === 0 ? 'deposits' : 'withdrawals', answer.body.id)).status,
      ).toBe('success');
    }
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '98.00', available_balance: '98.00' });
    const { rows } = await system().pool.query<{ outcome: string; count: string }>(
      'SELECT outcome, count(*) AS count FROM webhook_events e JOIN transactions t ON t.id = e.transaction_id WHERE t.user_id = $1 GROUP BY outcome',
      [user.id],
    );
    expect(Object.fromEntries(rows.map((row) => [row.outcome, Number(row.count)]))).toEqual({ applied: 4 });
    expect(await auditLedger(system().pool)).toEqual([]);
  });

  test('when webhooks are dropped, then the reconciler asks the bank and settles', async () => {
    await system().stack.controlBank({ drop_webhooks: true });
    const user = await system().createUser('10.00');
    const created = await withdraw(system().stack, user, '10.00');
    const final = await settled(system().stack, user, 'withdrawals', created.body.id, 30_000);
    expect(final.status).toBe('success');
    expect(final.events.at(-1)).toMatchObject({ to_status: 'success', cause: 'worker.reconcile' });
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '0.00', available_balance: '0.00' });
    expect(await auditLedger(system().pool)).toEqual([]);
  });
});
