import { assert } from '@paygate/domain';

import type { Pool } from '../pool';
import { toId } from './rows';

/**
 * The operator's ledger check: the sum over all accounts per currency (zero when balanced), each account's
 * cached balance against its postings (credit-normal: credits - debits), each wallet's held amount against
 * its open withdrawals, and wallets whose available amount is negative. Each run is stored in
 * ledger_checks, so the overview and the metric follow the last one. Reads only: it reports drift, it never
 * repairs a balance.
 */

export interface LedgerCheckRecord {
  id: number;
  checkedAt: Date;
  isBalanced: boolean;
  /** Drift rows found (each list is cut at DRIFT_ROWS_MAX), plus one per currency whose sum is not zero. */
  violationCount: number;
  sumMinorByCurrency: Record<string, bigint>;
  accountCount: number;
  balanceDrift: {
    accountId: number;
    userId: number | null;
    email: string | null;
    cachedMinor: bigint;
    postingsMinor: bigint;
  }[];
  holdDrift: { accountId: number; userId: number; email: string; heldMinor: bigint; openWithdrawalsMinor: bigint }[];
  negativeAvailable: { accountId: number; userId: number; email: string; availableMinor: bigint }[];
}

/** Rows kept per kind of drift: enough to act on; the count says how many were cut. */
export const DRIFT_ROWS_MAX = 100;

export class LedgerChecks {
  constructor(private readonly pool: Pool) {}

  /** Runs every check and stores the result. */
  async run(): Promise<LedgerCheckRecord> {
    const [sums, balances, holds, negatives] = await Promise.all([
      this.pool.query<{ currency: string; sum: string; count: string }>(
        'SELECT currency, sum(balance) AS sum, count(*) AS count FROM accounts GROUP BY currency ORDER BY currency',
      ),
      this.pool.query<{
        id: string;
        user_id: string | null;
        email: string | null;
        balance: string;
        postings: string;
      }>(
        `WITH moved AS (
           SELECT credit_account_id AS account_id, amount FROM ledger_postings
           UNION ALL
           SELECT debit_account_id, -amount FROM ledger_postings
         ), per_account AS (SELECT account_id, sum(amount) AS postings FROM moved GROUP BY account_id)
         SELECT a.id, a.user_id, u.email, a.balance, coalesce(p.postings, 0) AS postings
           FROM accounts a
           LEFT JOIN per_account p ON p.account_id = a.id
           LEFT JOIN users u ON u.id = a.user_id
          WHERE a.balance <> coalesce(p.postings, 0)
          ORDER BY a.id LIMIT $1`,
        [DRIFT_ROWS_MAX],
      ),
      this.pool.query<{ id: string; user_id: string; email: string; held: string; open: string }>(
        `SELECT a.id, a.user_id, u.email, a.held, coalesce(o.open, 0) AS open
           FROM accounts a
           JOIN users u ON u.id = a.user_id
           LEFT JOIN (
             SELECT account_id, sum(amount) AS open FROM transactions
              WHERE type = 'withdrawal' AND status IN ('pending', 'processing') GROUP BY account_id
           ) o ON o.account_id = a.id
          WHERE a.kind = 'wallet' AND a.held <> coalesce(o.open, 0)
          ORDER BY a.id LIMIT $1`,
        [DRIFT_ROWS_MAX],
      ),
      this.pool.query<{ id: string; user_id: string; email: string; available: string }>(
        `SELECT a.id, a.user_id, u.email, a.balance - a.held AS available
           FROM accounts a JOIN users u ON u.id = a.user_id
          WHERE a.kind = 'wallet' AND a.balance - a.held < 0
          ORDER BY a.id LIMIT $1`,
        [DRIFT_ROWS_MAX],
      ),
    ]);
    const sumMinorByCurrency = Object.fromEntries(sums.rows.map((row) => [row.currency, BigInt(row.sum)]));
    const unbalancedCurrencyCount = Object.values(sumMinorByCurrency).filter((sum) => sum !== 0n).length;
    const violationCount = unbalancedCurrencyCount + balances.rows.length + holds.rows.length + negatives.rows.length;
    const result = {
      isBalanced: violationCount === 0,
      violationCount,
      sumMinorByCurrency,
      accountCount: sums.rows.reduce((total, row) => total + Number(row.count), 0),
      balanceDrift: balances.rows.map((row) => ({
        accountId: toId(row.id),
        userId: row.user_id === null ? null : toId(row.user_id),
        email: row.email,
        cachedMinor: BigInt(row.balance),
        postingsMinor: BigInt(row.postings),
      })),
      holdDrift: holds.rows.map((row) => ({
        accountId: toId(row.id),
        userId: toId(row.user_id),
        email: row.email,
        heldMinor: BigInt(row.held),
        openWithdrawalsMinor: BigInt(row.open),
      })),
      negativeAvailable: negatives.rows.map((row) => ({
        accountId: toId(row.id),
        userId: toId(row.user_id),
        email: row.email,
        availableMinor: BigInt(row.available),
      })),
    };
    const stored = await this.pool.query<{ id: string; checked_at: Date }>(
      `INSERT INTO ledger_checks (is_balanced, violation_count, summary) VALUES ($1, $2, $3::jsonb)
       RETURNING id, checked_at`,
      [result.isBalanced, violationCount, JSON.stringify(summaryOf(result))],
    );
    const row = stored.rows[0];
    assert(row !== undefined, 'INSERT ... RETURNING gives the row');
    return { id: toId(row.id), checkedAt: row.checked_at, ...result };
  }
}

/** What is kept of a check: the sums and counts (the drift rows are read again by the next check). */
function summaryOf(result: Omit<LedgerCheckRecord, 'id' | 'checkedAt'>) {
  return {
    sum_minor_by_currency: Object.fromEntries(
      Object.entries(result.sumMinorByCurrency).map(([currency, sum]) => [currency, sum.toString()]),
    ),
    account_count: result.accountCount,
    balance_drift_count: result.balanceDrift.length,
    hold_drift_count: result.holdDrift.length,
    negative_available_count: result.negativeAvailable.length,
  };
}
