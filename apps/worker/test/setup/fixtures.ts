import { randomUUID } from 'node:crypto';

import type { Pool } from '@paygate/db';
import { TransactionsRepository } from '@paygate/db';
import { waitFor } from '@paygate/testkit';
import type { Transaction, TransactionType } from '@paygate/domain';

/** Test data, created the way the API and the CLI create it. */

export async function givenUserWithWallet(pool: Pool, openingMinor: bigint): Promise<{ userId: number }> {
  const user = await pool.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
    `worker-${randomUUID().slice(0, 8)}@test.paygate`,
  ]);
  const userId = Number(user.rows[0]?.id);
  await pool.query("SELECT paygate_open_wallet($1, 'USD', $2)", [userId, openingMinor.toString()]);
  return { userId };
}

/** POST /deposits or /withdrawals as the API runs it: one call of TransactionsRepository.create. */
export async function givenTransaction(
  pool: Pool,
  userId: number,
  type: TransactionType,
  amountMinor: bigint,
  requestId = `req-${randomUUID()}`,
): Promise<number> {
  const created = await new TransactionsRepository(pool).create({
    userId,
    type,
    amountMinor,
    currency: 'USD',
    idempotencyKey: randomUUID(),
    method: 'POST',
    path: type === 'deposit' ? '/api/v1/deposits' : '/api/v1/withdrawals',
    fingerprint: randomUUID(),
    requestId,
    idempotencyTtlHours: 24,
  });
  if (created.outcome !== 'created') throw new Error(`could not create a ${type}: ${created.outcome}`);
  return created.transaction.id;
}

export async function transactionOf(pool: Pool, id: number): Promise<Transaction> {
  const found = await new TransactionsRepository(pool).findById(id);
  if (!found) throw new Error(`no transaction ${id}`);
  return found;
}

export async function walletOf(pool: Pool, userId: number): Promise<{ balanceMinor: bigint; heldMinor: bigint }> {
  const { rows } = await pool.query<{ balance: string; held: string }>(
    "SELECT balance, held FROM accounts WHERE user_id = $1 AND kind = 'wallet'",
    [userId],
  );
  return { balanceMinor: BigInt(rows[0]?.balance ?? '-1'), heldMinor: BigInt(rows[0]?.held ?? '-1') };
}

export async function eventsOf(
  pool: Pool,
  id: number,
): Promise<{ from_status: string | null; to_status: string; cause: string; error_code: string | null }[]> {
  const { rows } = await pool.query<{
    from_status: string | null;
    to_status: string;
    cause: string;
    error_code: string | null;
  }>('SELECT from_status, to_status, cause, error_code FROM transaction_events WHERE transaction_id = $1 ORDER BY id', [
    id,
  ]);
  return rows;
}

export function waitForStatus(pool: Pool, id: number, statuses: string[]): Promise<Transaction> {
  return waitFor(
    async () => {
      const transaction = await transactionOf(pool, id);
      return statuses.includes(transaction.status) ? transaction : undefined;
    },
    `transaction ${id} to be ${statuses.join(' or ')}`,
  );
}

/**
 * A transaction whose outbox message was "lost": created through TransactionsRepository.create inside a
 * database transaction that also marks its outbox row published, so no relay ever sends it. With
 * `isProcessing`, it is also moved to processing, as if a worker died right after that step.
 */
export async function givenTransactionWithLostMessage(
  pool: Pool,
  userId: number,
  type: TransactionType,
  amountMinor: bigint,
  options: { isProcessing?: boolean } = {},
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // The repository only needs query(); a client inside BEGIN makes its one statement part of our transaction.
    const id = await givenTransaction(client as unknown as Pool, userId, type, amountMinor);
    await client.query('UPDATE outbox SET published_at = now() WHERE transaction_id = $1', [id]);
    if (options.isProcessing)
      await client.query("SELECT * FROM paygate_start_processing($1, 'test.lost_message', NULL)", [id]);
    await client.query('COMMIT');
    return id;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
