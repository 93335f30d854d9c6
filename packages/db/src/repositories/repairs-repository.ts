import { assert } from '@paygate/domain';

import type { Pool } from '../pool';
import { withTransaction } from '../pool';
import type { AuditInput } from './operators-repository';
import { recordAudit } from './operators-repository';
import type { SubmissionRow, TransactionSubmission } from './rows';
import { SUBMISSION_COLUMNS, toId, toStatus, toSubmission, TRANSACTION_COLUMNS } from './rows';
import { EventsWakeUp } from './events-wake-up';
import { SettlementRepository } from './settlement-repository';

/**
 * The operator's repairs: each SQL function locks, changes through the money paths that already exist
 * and writes its audit row in the same transaction (migration 20261130080000_operator_repairs). Outcomes
 * are the functions' own words; @paygate/payments decides what each means.
 */

export type RetryOutcome = 'requeued' | 'already_queued' | 'already_final' | 'bank_holds_order' | 'not_found';
export type OperatorFailOutcome =
  'failed' | 'already_final' | 'changed_meanwhile' | 'bank_holds_order' | 'submission_in_flight' | 'not_found';
export type ReplayOutcome =
  'requeued' | 'already_queued' | 'already_final' | 'no_payment' | 'already_replayed' | 'not_found';

export interface OperatorActor {
  operatorId: number;
  reason: string;
  requestId: string | null;
}

export interface RepairRow<O> {
  outcome: O;
  /** The payment's status after the repair; null when there is none. */
  status: ReturnType<typeof toStatus> | null;
  /** Null only for not_found (nothing to audit). */
  auditId: number | null;
}

export interface OperatorFailInput {
  transactionId: number;
  /** The order key the bank was asked about (null: never submitted); a different one now refuses. */
  expectedOrderKey: string | null;
  /** A processing payment touched more recently than this may have a bank call in flight: refused. */
  quietMs: number;
  errorCode: string;
  errorMessage: string;
  detail: string;
}

export class RepairsRepository {
  /** After a repair commits, the users' event streams are told (a NOTIFY outside the transaction). */
  private readonly eventsWakeUp: EventsWakeUp;

  constructor(
    private readonly pool: Pool,
    onWakeUpError: (error: unknown) => void = () => undefined,
  ) {
    this.eventsWakeUp = new EventsWakeUp(pool, onWakeUpError);
  }

  /** A payment as the worker sees it (order key, first submission), for asking the bank about it. */
  async findSubmission(transactionId: number): Promise<TransactionSubmission | undefined> {
    const { rows } = await this.pool.query<SubmissionRow>(
      `SELECT ${TRANSACTION_COLUMNS}, ${SUBMISSION_COLUMNS} FROM transactions WHERE id = $1`,
      [transactionId],
    );
    return rows[0] ? toSubmission(rows[0]) : undefined;
  }

  async retry(transactionId: number, actor: OperatorActor): Promise<RepairRow<RetryOutcome>> {
    const { rows } = await this.pool.query<{ outcome: RetryOutcome; status: string | null; audit_id: string | null }>(
      `SELECT * FROM paygate_operator_retry(
         p_transaction_id => $1, p_operator_id => $2, p_reason => $3, p_request_id => $4)`,
      [transactionId, actor.operatorId, actor.reason, actor.requestId],
    );
    return this.#told(transactionId, toRepairRow(rows[0]));
  }

  async fail(input: OperatorFailInput, actor: OperatorActor): Promise<RepairRow<OperatorFailOutcome>> {
    const { rows } = await this.pool.query<{
      outcome: OperatorFailOutcome;
      status: string | null;
      audit_id: string | null;
    }>(
      `SELECT * FROM paygate_operator_fail(
         p_transaction_id => $1, p_expected_order_key => $2, p_quiet_ms => $3, p_error_code => $4,
         p_error_message => $5, p_detail => $6, p_operator_id => $7, p_reason => $8, p_request_id => $9)`,
      [
        input.transactionId,
        input.expectedOrderKey,
        input.quietMs,
        input.errorCode,
        input.errorMessage,
        input.detail,
        actor.operatorId,
        actor.reason,
        actor.requestId,
      ],
    );
    return this.#told(input.transactionId, toRepairRow(rows[0]));
  }

  async replayDeadLetter(
    deadLetterId: number,
    actor: OperatorActor,
  ): Promise<RepairRow<ReplayOutcome> & { transactionId: number | null }> {
    const { rows } = await this.pool.query<{
      outcome: ReplayOutcome;
      status: string | null;
      transaction_id: string | null;
      audit_id: string | null;
    }>(
      `SELECT * FROM paygate_replay_dead_letter(
         p_dead_letter_id => $1, p_operator_id => $2, p_reason => $3, p_request_id => $4)`,
      [deadLetterId, actor.operatorId, actor.reason, actor.requestId],
    );
    const row = rows[0];
    const transactionId = row?.transaction_id == null ? null : toId(row.transaction_id);
    return { ...this.#told(transactionId, toRepairRow(row)), transactionId };
  }

  /**
   * Runs `work` with a settlement repository inside one transaction and writes the audit row it describes
   * in the same transaction: a reconcile's settlement and its audit commit together or not at all.
   */
  async audited<T>(
    work: (settlement: SettlementRepository) => Promise<T>,
    auditOf: (result: T) => AuditInput,
  ): Promise<{ result: T; auditId: number }> {
    const { result, auditId, paymentId } = await withTransaction(this.pool, async (client) => {
      const result = await work(new SettlementRepository(client));
      const audit = auditOf(result);
      return { result, auditId: await recordAudit(client, audit), paymentId: audit.paymentId ?? null };
    });
    if (paymentId !== null) this.eventsWakeUp.poke(paymentId);
    return { result, auditId };
  }

  /** A repair that was audited may have changed the payment: its user's streams look (a spare look is cheap). */
  #told<R extends RepairRow<unknown>>(transactionId: number | null, row: R): R {
    if (transactionId !== null && row.auditId !== null) this.eventsWakeUp.poke(transactionId);
    return row;
  }
}

function toRepairRow<O>(row: { outcome: O; status: string | null; audit_id: string | null } | undefined): RepairRow<O> {
  assert(row !== undefined, 'a repair function returns one row');
  return {
    outcome: row.outcome,
    status: row.status === null ? null : toStatus(row.status),
    auditId: row.audit_id === null ? null : toId(row.audit_id),
  };
}
