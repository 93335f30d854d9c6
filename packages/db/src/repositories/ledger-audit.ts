import type { AccountKind, InvariantViolation, Ledger } from '@paygate/domain';
import { checkInvariants } from '@paygate/domain';

import type { Pool } from '../pool';

/**
 * Loads the whole ledger and checks it with the domain's invariants, plus the rules only the database can
 * see: each wallet's held amount equals its open withdrawals, and no transaction has two postings.
 */

export type AuditViolation =
  | InvariantViolation
  | { invariant: 'held_equals_open_withdrawals'; accountId: string; heldMinor: bigint; openMinor: bigint }
  | { invariant: 'settled_once'; transactionId: string; postingCount: number }
  | { invariant: 'success_has_posting'; transactionId: string }
  | { invariant: 'posting_matches_transaction'; transactionId: string };

export async function loadLedger(pool: Pool): Promise<Ledger> {
  const [accounts, postings] = await Promise.all([
    pool.query<{ id: string; kind: AccountKind; balance: string; held: string }>(
      'SELECT id, kind, balance, held FROM accounts',
    ),
    pool.query<{ debit_account_id: string; credit_account_id: string; amount: string }>(
      'SELECT debit_account_id, credit_account_id, amount FROM ledger_postings ORDER BY id',
    ),
  ]);
  return {
    accounts: new Map(
      accounts.rows.map((row) => [
        row.id,
        { id: row.id, kind: row.kind, balanceMinor: BigInt(row.balance), heldMinor: BigInt(row.held) },
      ]),
    ),
    postings: postings.rows.map((row) => ({
      debitAccountId: row.debit_account_id,
      creditAccountId: row.credit_account_id,
      amountMinor: BigInt(row.amount),
    })),
  };
}

export async function auditLedger(pool: Pool): Promise<AuditViolation[]> {
  const violations: AuditViolation[] = checkInvariants(await loadLedger(pool));
  const held = await pool.query<{ id: string; held: string; open: string }>(
    `SELECT a.id, a.held, coalesce(sum(t.amount) FILTER (WHERE t.type = 'withdrawal' AND t.status IN ('pending', 'processing')), 0) AS open
       FROM accounts a LEFT JOIN transactions t ON t.account_id = a.id
      WHERE a.kind = 'wallet' GROUP BY a.id, a.held`,
  );
  for (const row of held.rows) {
    if (BigInt(row.held) !== BigInt(row.open)) {
      violations.push({
        invariant: 'held_equals_open_withdrawals',
        accountId: row.id,
        heldMinor: BigInt(row.held),
        openMinor: BigInt(row.open),
      });
    }
  }
  const twice = await pool.query<{ transaction_id: string; count: string }>(
    'SELECT transaction_id, count(*) AS count FROM ledger_postings WHERE transaction_id IS NOT NULL GROUP BY transaction_id HAVING count(*) > 1',
  );
  for (const row of twice.rows)
    violations.push({ invariant: 'settled_once', transactionId: row.transaction_id, postingCount: Number(row.count) });
  const missing = await pool.query<{ id: string }>(
    `SELECT t.id FROM transactions t LEFT JOIN ledger_postings p ON p.transaction_id = t.id
      WHERE t.status = 'success' AND p.id IS NULL
      UNION ALL
     SELECT t.id FROM transactions t JOIN ledger_postings p ON p.transaction_id = t.id WHERE t.status <> 'success'`,
  );
  for (const row of missing.rows) violations.push({ invariant: 'success_has_posting', transactionId: row.id });
  const mismatched = await pool.query<{ id: string }>(
    `SELECT t.id FROM transactions t JOIN ledger_postings p ON p.transaction_id = t.id
      WHERE p.amount <> t.amount OR p.kind <> t.type
         OR (t.type = 'deposit' AND p.credit_account_id <> t.account_id)
         OR (t.type = 'withdrawal' AND p.debit_account_id <> t.account_id)`,
  );
  for (const row of mismatched.rows)
    violations.push({ invariant: 'posting_matches_transaction', transactionId: row.id });
  return violations;
}
