import type { BankOrder } from '@paygate/contracts';
import type { RepairsRepository, TransactionSubmission } from '@paygate/db';

import type { BankAnswer, BankClient } from '../bank-client';
import { describeBankFailure } from '../bank-client';
import type { BankAttemptLog, OperatorActor, RepairAction, RepairResult } from './repair-result';
import { OPERATOR_CALLER } from './repair-result';

/**
 * A repair's question to the bank about a payment's order (by its order key), recorded like the worker's
 * own questions so the payment's story shows it. The record is for people: failing to write it changes
 * nothing about the repair.
 */
export async function askBankForOrder(
  deps: { bank: BankClient; attempts: BankAttemptLog },
  submission: TransactionSubmission & { orderKey: string },
  requestId: string | null,
): Promise<BankAnswer<BankOrder | null>> {
  const found = await deps.bank.findOrder(submission.orderKey, requestId);
  await deps.attempts
    .recordBankAttempt({
      transactionId: submission.transaction.id,
      operation: 'status',
      attemptIndex: null,
      startedAt: found.call.startedAt,
      latencyMs: found.call.latencyMs,
      outcome: found.call.outcome,
      httpStatus: found.call.httpStatus,
      bankReference: found.ok ? (found.value?.bank_reference ?? null) : null,
      error: found.ok ? null : describeBankFailure(found.failure),
      retryDelayMs: null,
      requestId,
      workerId: OPERATOR_CALLER,
    })
    .catch(() => undefined);
  return found;
}

/** A refusal decided before any change: only the audit row is written. */
export async function refuseAudited(
  repairs: RepairsRepository,
  refusal: { action: RepairAction; outcome: string; message: string; paymentId: number; actor: OperatorActor },
): Promise<RepairResult> {
  const { actor } = refusal;
  const { auditId } = await repairs.audited(
    () => Promise.resolve(undefined),
    () => ({
      operatorId: actor.operatorId,
      action: refusal.action,
      paymentId: refusal.paymentId,
      reason: actor.reason,
      outcome: refusal.outcome,
      requestId: actor.requestId,
    }),
  );
  return {
    kind: 'refused',
    action: refusal.action,
    outcome: refusal.outcome,
    message: refusal.message,
    paymentId: refusal.paymentId,
    auditId,
  };
}
