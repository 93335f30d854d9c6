import type { Transaction, TransactionStatus } from '@paygate/domain';

import type { Pool } from '../pool';
import type { TransactionRow } from './rows';
import { toId, toStatus, toTransaction, TRANSACTION_COLUMNS } from './rows';

export type SettleOutcome = 'applied' | 'ignored' | 'not_ready' | 'not_found';
export type WebhookApplyOutcome = SettleOutcome | 'duplicate';

export interface Settlement {
  transactionId: number;
  status: 'success' | 'failed';
  bankReference: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  cause: string;
  requestId: string | null;
}

export interface BankWebhookRecord {
  transactionId: number;
  bankReference: string;
  status: 'success' | 'failed';
  errorCode: string | null;
  errorMessage: string | null;
  signedAt: Date;
  payload: unknown;
  requestId: string | null;
}

/** The state changes of the asynchronous half: each is one conditional, idempotent statement. */
export class SettlementRepository {
  constructor(private readonly pool: Pool) {}

  /** pending -> processing; `moved` is false when someone else already moved it (or it is further on). */
  async startProcessing(transactionId: number, cause: string, requestId: string | null): Promise<{ moved: boolean; status: TransactionStatus } | undefined> {
    const { rows } = await this.pool.query<{ moved: boolean; status: string | null }>('SELECT * FROM paygate_start_processing($1, $2, $3)', [transactionId, cause, requestId]);
    const row = rows[0];
    if (!row || row.status === null) return undefined;
    return { moved: row.moved, status: toStatus(row.status) };
  }

  /** Remembers the bank's reference as soon as the bank accepted the order (first one wins). */
  async recordBankReference(transactionId: number, bankReference: string): Promise<void> {
    await this.pool.query(
      'UPDATE transactions SET bank_reference = $2, updated_at = now() WHERE id = $1 AND bank_reference IS NULL',
      [transactionId, bankReference],
    );
  }

  async settle(settlement: Settlement): Promise<{ outcome: SettleOutcome; status: TransactionStatus | null }> {
    const { rows } = await this.pool.query<{ outcome: SettleOutcome; status: string | null }>(
      'SELECT * FROM paygate_settle_transaction($1, $2, $3, $4, $5, $6, $7)',
      [settlement.transactionId, settlement.status, settlement.bankReference, settlement.errorCode, settlement.errorMessage, settlement.cause, settlement.requestId],
    );
    const row = rows[0];
    if (!row) throw new Error('paygate_settle_transaction returned no row');
    return { outcome: row.outcome, status: row.status === null ? null : toStatus(row.status) };
  }

  async applyBankWebhook(record: BankWebhookRecord): Promise<{ outcome: WebhookApplyOutcome; status: TransactionStatus | null }> {
    const { rows } = await this.pool.query<{ outcome: WebhookApplyOutcome; status: string | null }>(
      'SELECT * FROM paygate_apply_bank_webhook($1, $2, $3, $4, $5, $6, $7, $8)',
      [record.transactionId, record.bankReference, record.status, record.errorCode, record.errorMessage, record.signedAt, JSON.stringify(record.payload), record.requestId],
    );
    const row = rows[0];
    if (!row) throw new Error('paygate_apply_bank_webhook returned no row');
    return { outcome: row.outcome, status: row.status === null ? null : toStatus(row.status) };
  }

  /** Transactions stuck in a non-terminal status since before the cutoff, oldest first. */
  async findStuck(status: 'pending' | 'processing', updatedBefore: Date, limit: number): Promise<Transaction[]> {
    const { rows } = await this.pool.query<TransactionRow>(
      `SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE status = $1 AND updated_at < $2 ORDER BY updated_at LIMIT $3`,
      [status, updatedBefore, limit],
    );
    return rows.map(toTransaction);
  }

  /** Marks a stuck transaction as looked at, so the next sweep does not pick it again at once. */
  async touch(transactionId: number): Promise<void> {
    await this.pool.query("UPDATE transactions SET updated_at = now() WHERE id = $1 AND status IN ('pending', 'processing')", [transactionId]);
  }

  async requestIdOf(transactionId: number): Promise<string | null> {
    const { rows } = await this.pool.query<{ request_id: string | null }>('SELECT request_id FROM transactions WHERE id = $1', [transactionId]);
    return rows[0]?.request_id ?? null;
  }

  async countByStatus(): Promise<Record<TransactionStatus, number>> {
    const { rows } = await this.pool.query<{ status: string; count: string }>('SELECT status, count(*) AS count FROM transactions GROUP BY status');
    const counts: Record<TransactionStatus, number> = { pending: 0, processing: 0, success: 0, failed: 0 };
    for (const row of rows) counts[toStatus(row.status)] = toId(row.count);
    return counts;
  }
}
