import type { RepairsRepository, TransactionSubmission } from '@paygate/db';
import { isTerminal } from '@paygate/domain';

import type { ApplyBankOrderOutcome } from '../apply-bank-order';
import { applyBankOrder } from '../apply-bank-order';
import type { BankClient } from '../bank-client';
import { describeBankFailure } from '../bank-client';
import { askBankForOrder, refuseAudited } from './ask-bank';
import type { BankAttemptLog, OperatorActor, RepairResult } from './repair-result';

/**
 * "Reconcile now": what the reconciler does for a stuck payment, at an operator's request. Ask the bank
 * for the order placed under the payment's order key; when the bank has settled it, settle it here
 * through the same apply-bank-order path as the reconciler and the worker (the conditional settlement, so
 * a webhook racing us settles it once), with the audit row in the same transaction. Nothing is changed
 * when the payment is final, was never sent, the bank holds no order, or the bank does not answer.
 */
export async function reconcileNow(
  deps: { repairs: RepairsRepository; bank: BankClient; attempts: BankAttemptLog },
  command: { transactionId: number; actor: OperatorActor },
): Promise<RepairResult> {
  const { repairs } = deps;
  const { transactionId: id, actor } = command;
  const refuse = (outcome: string, message: string) =>
    refuseAudited(repairs, { action: 'reconcile', outcome, message, paymentId: id, actor });

  const submission = await repairs.findSubmission(id);
  if (!submission) return { kind: 'not_found', action: 'reconcile', message: `No payment ${id}.` };
  const { transaction, orderKey } = submission;
  if (isTerminal(transaction.status)) {
    return refuse('already_final', `Payment ${id} is ${transaction.status} already; there is nothing to reconcile.`);
  }
  if (orderKey === null) {
    return refuse('no_order', `Payment ${id} was never sent to the bank; retry its submission instead.`);
  }

  const found = await askBankForOrder(deps, { ...submission, orderKey }, actor.requestId);
  if (!found.ok) {
    return refuse(
      'bank_unreachable',
      `The bank did not answer about payment ${id} (${describeBankFailure(found.failure)}); nothing was changed.`,
    );
  }
  const order = found.value;
  if (order === null) {
    return refuse(
      'no_order',
      `The bank holds no order for payment ${id} under its order key; retry its submission, or fail it.`,
    );
  }

  const { result, auditId } = await repairs.audited(
    (settlement) =>
      applyBankOrder(settlement, { submission, order, cause: 'operator.reconcile', requestId: actor.requestId }),
    (applied) => ({
      operatorId: actor.operatorId,
      action: 'reconcile',
      paymentId: id,
      reason: actor.reason,
      outcome: outcomeOf(applied),
      requestId: actor.requestId,
    }),
  );
  return {
    kind: result.kind === 'settled' || result.kind === 'pending' ? 'done' : 'refused',
    action: 'reconcile',
    outcome: outcomeOf(result),
    message: messageOf(submission, result),
    paymentId: id,
    auditId,
  };
}

function outcomeOf(applied: ApplyBankOrderOutcome): string {
  switch (applied.kind) {
    case 'settled':
      return `settled_${applied.status}`;
    case 'pending':
      return 'bank_pending';
    case 'already_final':
      return 'already_final';
    case 'mismatch':
      return 'mismatch';
  }
}

function messageOf(submission: TransactionSubmission, applied: ApplyBankOrderOutcome): string {
  const id = submission.transaction.id;
  switch (applied.kind) {
    case 'settled':
      return `The bank settled payment ${id} as ${applied.status} (${applied.bankReference}); settled here the same way.`;
    case 'pending':
      return `The bank holds the order of payment ${id} (${applied.bankReference}) and has not settled it yet; its webhook, or a later reconcile, settles it.`;
    case 'already_final':
      return `Payment ${id} became ${applied.status} meanwhile (a webhook settled it first); nothing more was changed.`;
    case 'mismatch':
      return `The bank's order for payment ${id} does not match it (amount, currency, type or reference); nothing was changed. Investigate before repairing.`;
  }
}
