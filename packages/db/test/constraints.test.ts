// Goal: the database itself refuses rows that would break money rules, whatever code writes them.
// Method: insert or update bad rows directly and expect PostgreSQL's check violations.
import { afterAll, describe, expect, test } from 'vitest';

import { givenUserWithWallet, testPool } from './setup/fixtures';

const pool = testPool();
afterAll(() => pool.end());

async function insertTransaction(values: {
  userId: number;
  walletId: number;
  amount?: string;
  status?: string;
  type?: string;
  completed?: boolean;
}) {
  return pool.query(
    `INSERT INTO transactions (user_id, account_id, type, status, amount, currency, completed_at)
     VALUES ($1, $2, $3, $4, $5, 'USD', CASE WHEN $6 THEN now() END)`,
    [
      values.userId,
      values.walletId,
      values.type ?? 'deposit',
      values.status ?? 'pending',
      values.amount ?? '100',
      values.completed ?? false,
    ],
  );
}

describe('CHECK constraints', () => {
  test('when an amount is zero or negative, then the row is refused', async () => {
    const { userId, walletId } = await givenUserWithWallet(pool, 0n);
    await expect(insertTransaction({ userId, walletId, amount: '0' })).rejects.toThrow(/transactions_amount_positive/);
    await expect(insertTransaction({ userId, walletId, amount: '-1' })).rejects.toThrow(/transactions_amount_positive/);
    await expect(insertTransaction({ userId, walletId, amount: '100000000001' })).rejects.toThrow(
      /transactions_amount_max/,
    );
  });

  test('when a status is not one of the four, then the row is refused', async () => {
    const { userId, walletId } = await givenUserWithWallet(pool, 0n);
    await expect(insertTransaction({ userId, walletId, status: 'refunded' })).rejects.toThrow(
      /transactions_status_valid/,
    );
    await expect(insertTransaction({ userId, walletId, type: 'refund' })).rejects.toThrow(/transactions_type_valid/);
    await expect(insertTransaction({ userId, walletId, status: 'success' })).rejects.toThrow(
      /transactions_completed_iff_terminal/,
    );
    await expect(insertTransaction({ userId, walletId, status: 'success', completed: true })).resolves.toBeDefined();
  });

  test('when a wallet would hold more than its balance, then available stays >= 0', async () => {
    const { walletId } = await givenUserWithWallet(pool, 1_000n);
    await expect(pool.query('UPDATE accounts SET held = 1001 WHERE id = $1', [walletId])).rejects.toThrow(
      /accounts_available_not_negative/,
    );
    await expect(pool.query('UPDATE accounts SET balance = -1 WHERE id = $1', [walletId])).rejects.toThrow(
      /accounts_available_not_negative/,
    );
    await expect(pool.query('UPDATE accounts SET held = -1 WHERE id = $1', [walletId])).rejects.toThrow(
      /accounts_held_not_negative/,
    );
    await expect(pool.query('UPDATE accounts SET held = 1000 WHERE id = $1', [walletId])).resolves.toBeDefined();
  });

  test('when a posting is not positive or uses one account twice, then it is refused', async () => {
    const { walletId } = await givenUserWithWallet(pool, 0n);
    const insert = (debit: number, amount: string) =>
      pool.query(
        "INSERT INTO ledger_postings (kind, debit_account_id, credit_account_id, amount, currency) VALUES ('opening_balance', $1, $2, $3, 'USD')",
        [debit, walletId, amount],
      );
    await expect(insert(walletId, '5')).rejects.toThrow(/ledger_postings_two_accounts/);
    const clearing = await pool.query<{ id: string }>("SELECT id FROM accounts WHERE kind = 'clearing' LIMIT 1");
    await expect(insert(Number(clearing.rows[0]?.id), '0')).rejects.toThrow(/ledger_postings_amount_positive/);
  });

  test('when an idempotency key is completed without an outcome, or is over 255 chars, then it is refused', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    await expect(
      pool.query(
        "INSERT INTO idempotency_keys (user_id, key, method, path, fingerprint, status) VALUES ($1, 'k', 'POST', '/', 'f', 'completed')",
        [userId],
      ),
    ).rejects.toThrow(/idempotency_keys_completed_has_outcome/);
    await expect(
      pool.query(
        "INSERT INTO idempotency_keys (user_id, key, method, path, fingerprint) VALUES ($1, $2, 'POST', '/', 'f')",
        [userId, 'k'.repeat(256)],
      ),
    ).rejects.toThrow(/idempotency_keys_key_length/);
  });

  test('when an email is not lower case or a key hash is not hex, then the row is refused', async () => {
    await expect(pool.query("INSERT INTO users (email) VALUES ('Bob@Example.com')")).rejects.toThrow(
      /users_email_lowercase/,
    );
    const { userId } = await givenUserWithWallet(pool, 0n);
    await expect(
      pool.query("INSERT INTO api_keys (user_id, key_hash, key_prefix) VALUES ($1, 'plaintext-key', 'p')", [userId]),
    ).rejects.toThrow(/api_keys_key_hash_format/);
  });
});
