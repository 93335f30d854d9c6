import type { BankAttemptRecord, OperatorActor } from '@paygate/db';

/**
 * What an operator's repair comes to: done (something was applied or queued, or the bank's answer was
 * recorded), refused (nothing changed, and why), or no such payment or dead letter. Done and refused are
 * both in the audit log; the API answers 200, 409 repair_refused and 404.
 */
export type RepairAction = 'reconcile' | 'retry' | 'fail' | 'replay_dead_letter';

export type RepairResult =
  | {
      kind: 'done' | 'refused';
      action: RepairAction;
      outcome: string;
      /** A sentence for the operator: what happened, or why not and what to do instead. */
      message: string;
      paymentId: number | null;
      auditId: number;
    }
  | { kind: 'not_found'; action: RepairAction; message: string };

export type { OperatorActor };

/** Where a repair records the bank question it asked (the payment's story shows it beside the worker's). */
export interface BankAttemptLog {
  recordBankAttempt(attempt: BankAttemptRecord): Promise<void>;
}

/** The name a repair's bank question is recorded under, in place of a worker's id. */
export const OPERATOR_CALLER = 'operator-console';
