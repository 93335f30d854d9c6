import type { TransactionStatus } from '@paygate/domain';

import type { Pool, PoolClient } from '../pool';
import { EventsWakeUp } from './events-wake-up';
import type { SubmissionRow, TransactionSubmission } from './rows';
import { SUBMISSION_COLUMNS, toId, toStatus, toSubmission, TRANSACTION_COLUMNS } from './rows';

export type SettleOutcome = 'applied' | 'ignored' | 'not_ready' | 'not_found';
export type WebhookApplyOutcome =
  'applied' | 'duplicate' | 'ignored' | 'conflict' | 'not_ready' | 'not_found' | 'mismatch';
export type WebhookRejectionReason =
  'unknown_transaction' | 'order_key_mismatch' | 'bank_reference_mismatch' | 'amount_mismatch' | 'currency_mismatch';

export interface Settlement {
  transactionId: number;
  status: 'success' | 'failed';
  bankReference: string | null;
  errorCode: string | null;
  /** The plain sentence the end user reads. */
  errorMessage: string | null;
  /** What an operator needs to know (kept on the event only). */
  detail: string | null;
  cause: string;
  requestId: string | null;
}

export interface BankWebhookRecord {
  transactionId: number;
  bankReference: string;
  status: 'success' | 'failed';
  errorCode: string | null;
  errorMessage: string | null;
  detail: string | null;
  /** Present in our bank's form: binds the webhook to the order we placed. */
  orderKey: string | null;
  amountMinor: bigint | null;
  currency: string | null;
  /** Absent in the seed's form. */
  signedAt: Date | null;
  payload: unknown;
  sourceAddress: string | null;
  requestId: string | null;
}

export interface WebhookApplyResult {
  outcome: WebhookApplyOutcome;
  status: TransactionStatus | null;
  reason: WebhookRejectionReason | null;
}

/**
 * The state changes of the asynchronous half: each is one conditional, idempotent statement. On a pool
 * each commits by itself, and then the api processes' event streams are told (a NOTIFY after the commit,
 * outside the money functions; see EventsWakeUp). On a client, inside the caller's transaction (an
 * operator's repair, with its audit row): no NOTIFY then, since the commit is the caller's; the streams'
 * heartbeat sweep finds the change.
 */
export class SettlementRepository {
  private readonly eventsWakeUp: EventsWakeUp | undefined;

  constructor(
    private readonly pool: Pool | PoolClient,
    onWakeUpError?: (error: unknown) => void,
  ) {
    this.eventsWakeUp = isPool(pool) ? new EventsWakeUp(pool, onWakeUpError) : undefined;
  }

  /**
   * pending -> processing (minting the bank order key); `moved` is false when someone else already moved it
   * (or it is further on). Either way the transaction comes back as it now is; undefined when it does not exist.
   */
  async startProcessing(input: {
    transactionId: number;
    cause: string;
    requestId: string | null;
  }): Promise<{ moved: boolean; submission: TransactionSubmission } | undefined> {
    const { rows } = await this.pool.query<SubmissionRow & { moved: boolean }>({
      // Prepared once per connection: PostgreSQL parses and plans it once, not on every call.
      name: 'paygate_start_processing',
      text: 'SELECT * FROM paygate_start_processing(p_transaction_id => $1, p_cause => $2, p_request_id => $3)',
      values: [input.transactionId, input.cause, input.requestId],
    });
    const row = rows[0];
    if (!row) return undefined;
    if (row.moved) this.eventsWakeUp?.poke(input.transactionId);
    return { moved: row.moved, submission: toSubmission(row) };
  }

  /** Remembers the bank's reference as soon as the bank accepted the order (first one wins). */
  async recordBankReference(transactionId: number, bankReference: string): Promise<void> {
    await this.pool.query({
      // Prepared once per connection: PostgreSQL parses and plans it once, not on every call.
      name: 'paygate_record_bank_reference',
      text: 'UPDATE transactions SET bank_reference = $2, updated_at = now() WHERE id = $1 AND bank_reference IS NULL',
      values: [transactionId, bankReference],
    });
  }

  async settle(settlement: Settlement): Promise<{ outcome: SettleOutcome; status: TransactionStatus | null }> {
    const { rows } = await this.pool.query<{ outcome: SettleOutcome; status: string | null }>(
      `SELECT * FROM paygate_settle_transaction(
         p_transaction_id => $1, p_status => $2, p_bank_reference => $3, p_error_code => $4, p_error_message => $5,
         p_detail => $6, p_cause => $7, p_request_id => $8)`,
      [
        settlement.transactionId,
        settlement.status,
        settlement.bankReference,
        settlement.errorCode,
        settlement.errorMessage,
        settlement.detail,
        settlement.cause,
        settlement.requestId,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('paygate_settle_transaction returned no row');
    if (row.outcome === 'applied') this.eventsWakeUp?.poke(settlement.transactionId);
    return { outcome: row.outcome, status: row.status === null ? null : toStatus(row.status) };
  }

  /** Binds the webhook to our own order, then records and applies it, in one transaction. */
  async applyBankWebhook(record: BankWebhookRecord): Promise<WebhookApplyResult> {
    const { rows } = await this.pool.query<{
      outcome: WebhookApplyOutcome;
      status: string | null;
      reason: WebhookRejectionReason | null;
    }>({
      // Prepared once per connection: PostgreSQL parses and plans it once, not on every call.
      name: 'paygate_apply_bank_webhook',
      text: `SELECT * FROM paygate_apply_bank_webhook(
         p_transaction_id => $1, p_bank_reference => $2, p_status => $3, p_error_code => $4, p_error_message => $5,
         p_detail => $6, p_order_key => $7, p_amount => $8, p_currency => $9, p_signed_at => $10, p_payload => $11,
         p_source_address => $12, p_request_id => $13)`,
      values: [
        record.transactionId,
        record.bankReference,
        record.status,
        record.errorCode,
        record.errorMessage,
        record.detail,
        record.orderKey,
        record.amountMinor?.toString() ?? null,
        record.currency,
        record.signedAt,
        JSON.stringify(record.payload),
        record.sourceAddress,
        record.requestId,
      ],
    });
    const row = rows[0];
    if (!row) throw new Error('paygate_apply_bank_webhook returned no row');
    if (row.outcome === 'applied') this.eventsWakeUp?.poke(record.transactionId);
    return { outcome: row.outcome, status: row.status === null ? null : toStatus(row.status), reason: row.reason };
  }

  /** Transactions stuck in a non-terminal status since before the cutoff, oldest first. */
  async findStuck(
    status: 'pending' | 'processing',
    updatedBefore: Date,
    limit: number,
  ): Promise<TransactionSubmission[]> {
    const { rows } = await this.pool.query<SubmissionRow>(
      `SELECT ${TRANSACTION_COLUMNS}, ${SUBMISSION_COLUMNS} FROM transactions
        WHERE status = $1 AND updated_at < $2 ORDER BY updated_at LIMIT $3`,
      [status, updatedBefore, limit],
    );
    return rows.map(toSubmission);
  }

  /** Marks a stuck transaction as looked at, so the next sweep does not pick it again at once. */
  async touch(transactionId: number): Promise<void> {
    await this.pool.query(
      "UPDATE transactions SET updated_at = now() WHERE id = $1 AND status IN ('pending', 'processing')",
      [transactionId],
    );
  }

  async countByStatus(): Promise<Record<TransactionStatus, number>> {
    const { rows } = await this.pool.query<{ status: string; count: string }>(
      'SELECT status, count(*) AS count FROM transactions GROUP BY status',
    );
    const counts: Record<TransactionStatus, number> = { pending: 0, processing: 0, success: 0, failed: 0 };
    for (const row of rows) counts[toStatus(row.status)] = toId(row.count);
    return counts;
  }
}

/** A pool (which ends, and counts its clients), as opposed to one client checked out of it. */
function isPool(pool: Pool | PoolClient): pool is Pool {
  return 'totalCount' in pool;
}
