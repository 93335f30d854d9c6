import type { CreateTransactionResult } from '../../src';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

import type { Pool } from '../../src';
import { createPool } from '../../src';

export function testPool(poolSizeMax = 10): Pool {
  return createPool({
    connectionString: inject('run').databaseUrl,
    applicationName: 'paygate-db-test',
    poolSizeMax,
    statementTimeoutMs: 10_000,
    connectionTimeoutMs: 10_000,
    idleTimeoutMs: 1_000,
  });
}

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@test.paygate`;
}

/** A user with a USD wallet holding `openingMinor`, created through the ledger like the CLI does. */
export async function givenUserWithWallet(
  pool: Pool,
  openingMinor: bigint,
  label = 'user',
): Promise<{ userId: number; walletId: number }> {
  const user = await pool.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
    uniqueEmail(label),
  ]);
  const userId = Number(user.rows[0]?.id);
  const wallet = await pool.query<{ id: string }>("SELECT paygate_open_wallet($1, 'USD', $2) AS id", [
    userId,
    openingMinor.toString(),
  ]);
  return { userId, walletId: Number(wallet.rows[0]?.id) };
}

/** The id of the transaction a create made (or replayed), or null when it made none. */
export function createdId(result: CreateTransactionResult): number | null {
  return result.outcome === 'created' ? result.transaction.id : null;
}
