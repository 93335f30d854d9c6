import type { LedgerCheckWire, RepairResultWire } from '@paygate/contracts';
import { encodeAdminPayment, encodeLedgerCheck } from '@paygate/contracts';
import type { AdminReads, LedgerChecks, RepairsRepository, WorkerRecords } from '@paygate/db';
import { DomainError } from '@paygate/domain';
import type { BankClient, RepairResult } from '@paygate/payments';
import { failByOperator, reconcileNow, replayDeadLetter, retrySubmission } from '@paygate/payments';

import type { Metrics } from '../infra/metrics';
import type { RepairContext } from './repair-context';

/**
 * The operator API's repairs and ledger check: each runs its use case from @paygate/payments and encodes
 * the outcome. Done answers the RepairResult with the payment as it now is; refused is 409 repair_refused
 * with the outcome and the audit id in `details` (the refusal is audited too); no such payment or dead
 * letter is 404.
 */
export interface OperatorRepairsDeps {
  repairs: RepairsRepository;
  reads: AdminReads;
  bank: BankClient;
  attempts: WorkerRecords;
  ledger: LedgerChecks;
  metrics: Metrics;
  wakeOutbox: () => void;
  /** A processing payment touched more recently than this may have a worker's bank call in flight. */
  failQuietMs: number;
}

export class OperatorRepairs {
  constructor(private readonly deps: OperatorRepairsDeps) {}

  async reconcile(transactionId: number, context: RepairContext): Promise<RepairResultWire> {
    return this.#answer(await reconcileNow(this.deps, { transactionId, actor: context }));
  }

  async retry(transactionId: number, context: RepairContext): Promise<RepairResultWire> {
    return this.#answer(await retrySubmission(this.deps, { transactionId, actor: context }));
  }

  async fail(transactionId: number, context: RepairContext): Promise<RepairResultWire> {
    const deps = { ...this.deps, quietMs: this.deps.failQuietMs };
    return this.#answer(await failByOperator(deps, { transactionId, actor: context }));
  }

  async replayDeadLetter(deadLetterId: number, context: RepairContext): Promise<RepairResultWire> {
    return this.#answer(await replayDeadLetter(this.deps, { deadLetterId, actor: context }));
  }

  /** Runs the ledger check now, stores it, and moves the drift gauge. */
  async checkLedger(): Promise<LedgerCheckWire> {
    const check = await this.deps.ledger.run();
    this.deps.metrics.ledgerViolations.set(check.violationCount);
    return encodeLedgerCheck(check);
  }

  async #answer(result: RepairResult): Promise<RepairResultWire> {
    if (result.kind === 'not_found') throw new DomainError('not_found', result.message);
    if (result.kind === 'refused') {
      throw new DomainError('repair_refused', result.message, { outcome: result.outcome, audit_id: result.auditId });
    }
    const payment = result.paymentId === null ? undefined : await this.deps.reads.findPayment(result.paymentId);
    return {
      action: result.action,
      outcome: result.outcome,
      message: result.message,
      payment: payment === undefined ? null : encodeAdminPayment(payment),
      audit_id: result.auditId,
    };
  }
}
