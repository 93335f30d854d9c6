// Goal: the reconciler can re-enqueue a pending transaction whose message was lost, without duplicating one
// that is still waiting to be published. Method: create transactions through the SQL create function, mark
// their outbox rows published by hand (a "lost" message), call requeuePending and read the outbox back.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';

import { OutboxRepository, SettlementRepository, TransactionsRepository } from '../src';
import { createdId, givenUserWithWallet, testPool } from './setup/fixtures';

const pool = testPool();
const outbox = new OutboxRepository(pool);
const transactions = new TransactionsRepository(pool);
const settlement = new SettlementRepository(pool);
afterAll(() => pool.end());

async function givenPendingTransaction(requestId: string | null = 'req-requeue'): Promise<number> {
  const { userId } = await givenUserWithWallet(pool, 10_000n, 'requeue');
  const created = await transactions.create({
    userId,
    type: 'withdrawal',
    amountMinor: 1_234n,
    currency: 'USD',
    idempotencyKey: randomUUID(),
    method: 'POST',
    path: '/api/v1/withdrawals',
    fingerprint: 'fp',
    requestId,
    idempotencyTtlHours: 24,
  });
  expect(created.outcome).toBe('created');
  return createdId(created) ?? 0;
}

async function outboxRowsOf(transactionId: number) {
  const { rows } = await pool.query<{ id: string; topic: string; transaction_id: string; published_at: Date | null }>(
    'SELECT id, topic, transaction_id, published_at FROM outbox WHERE transaction_id = $1 ORDER BY id',
    [transactionId],
  );
  return rows;
}

async function markPublished(transactionId: number): Promise<void> {
  await pool.query('UPDATE outbox SET published_at = now() WHERE transaction_id = $1', [transactionId]);
}

describe('OutboxRepository.requeuePending', () => {
  test('when a pending transaction has only published messages, then it gets one new message like the first', async () => {
    const transactionId = await givenPendingTransaction();
    await markPublished(transactionId);
    await pool.query("UPDATE transactions SET updated_at = now() - interval '1 hour' WHERE id = $1", [transactionId]);

    expect(await outbox.requeuePending([transactionId])).toEqual([transactionId]);
    expect(await outbox.requeuePending([transactionId])).toEqual([]);

    const rows = await outboxRowsOf(transactionId);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ topic: rows[0]?.topic, transaction_id: String(transactionId), published_at: null });
    const { rows: touched } = await pool.query<{ age_s: number }>(
      'SELECT extract(epoch FROM now() - updated_at)::float AS age_s FROM transactions WHERE id = $1',
      [transactionId],
    );
    expect(touched[0]?.age_s).toBeLessThan(60);
  });

  test('when its first message is still unpublished, then nothing is added but the transaction is touched', async () => {
    const transactionId = await givenPendingTransaction(null);
    await pool.query("UPDATE transactions SET updated_at = now() - interval '1 hour' WHERE id = $1", [transactionId]);

    expect(await outbox.requeuePending([transactionId])).toEqual([]);

    expect(await outboxRowsOf(transactionId)).toHaveLength(1);
    const found = await pool.query(
      "SELECT 1 FROM transactions WHERE id = $1 AND updated_at > now() - interval '1 minute'",
      [transactionId],
    );
    expect(found.rowCount).toBe(1);
  });

  test('when a transaction is no longer pending or does not exist, then it is left alone', async () => {
    const transactionId = await givenPendingTransaction();
    await markPublished(transactionId);
    await settlement.startProcessing({ transactionId, cause: 'test', requestId: null });

    expect(await outbox.requeuePending([transactionId, 2_000_000_000])).toEqual([]);
    expect(await outboxRowsOf(transactionId)).toHaveLength(1);
  });

  test('when a message is re-enqueued, then the relay is woken through paygate_outbox', async () => {
    const transactionId = await givenPendingTransaction();
    await markPublished(transactionId);
    const listener = new pg.Client({ connectionString: inject('run').databaseUrl });
    await listener.connect();
    try {
      await listener.query('LISTEN paygate_outbox');
      const notified = new Promise<string>((resolve) =>
        listener.once('notification', (message) => resolve(message.channel)),
      );
      await outbox.requeuePending([transactionId]);
      expect(await notified).toBe('paygate_outbox');
    } finally {
      await listener.end();
    }
  });
});
