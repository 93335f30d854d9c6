import type { RepairsRepository } from '@paygate/db';
import { gatewayFailureMessage, isTerminal } from '@paygate/domain';

import type { BankClient } from '../bank-client';
import { describeBankFailure } from '../bank-client';
import { askBankForOrder, refuseAudited } from './ask-bank';
import type { BankAttemptLog, OperatorActor, RepairResult } from './repair-result';

/**
 * An operator fails a payment that is not final, with a reason; a withdrawal's hold is released, once, by
 * the settlement path. Failing money the bank is moving would be worse than leaving it stuck, so a
 * payment that was sent is failed only after the bank says it holds no order under its key, and the SQL
 * refuses when the payment changed since that answer (a worker took it, the bank accepted it, or a bank
 * call may still be in flight: touched within `quietMs`). The end user reads the plain sentence of
 * operator_failed; the operator's reason stays on the event and in the audit log.
 */
export async function failByOperator(
  deps: { repairs: RepairsRepository; bank: BankClient; attempts: BankAttemptLog; quietMs: number },
  command: { transactionId: number; actor: OperatorActor },
): Promise<RepairResult> {
  const { repairs } = deps;
  const { transactionId: id, actor } = command;
  const submission = await repairs.findSubmission(id);
  if (!submission) return { kind: 'not_found', action: 'fail', message: `No payment ${id}.` };
  const { transaction, orderKey } = submission;

  if (!isTerminal(transaction.status) && orderKey !== null && transaction.bankReference === null) {
    const found = await askBankForOrder(deps, { ...submission, orderKey }, actor.requestId);
    const refuse = (outcome: string, message: string) =>
      refuseAudited(repairs, { action: 'fail', outcome, message, paymentId: id, actor });
    if (!found.ok) {
      return refuse(
        'bank_unreachable',
        `The bank could not be asked whether it holds an order for payment ${id} (${describeBankFailure(found.failure)}); nothing was changed.`,
      );
    }
    if (found.value !== null) {
      return refuse(
        'bank_holds_order',
        `The bank holds an order for payment ${id} (${found.value.status}); failing it here would not stop the bank. Reconcile it instead.`,
      );
    }
  }

  const row = await repairs.fail(
    {
      transactionId: id,
      expectedOrderKey: orderKey,
      quietMs: deps.quietMs,
      errorCode: 'operator_failed',
      errorMessage: gatewayFailureMessage('operator_failed', transaction.type),
      detail: `Failed by operator #${actor.operatorId}: ${actor.reason}`,
    },
    actor,
  );
  if (row.outcome === 'not_found' || row.auditId === null) {
    return { kind: 'not_found', action: 'fail', message: `No payment ${id}.` };
  }
  const done = row.outcome === 'failed';
  return {
    kind: done ? 'done' : 'refused',
    action: 'fail',
    outcome: row.outcome,
    message: failMessage(id, row.outcome, row.status ?? transaction.status, transaction.type, deps.quietMs),
    paymentId: id,
    auditId: row.auditId,
  };
}

function failMessage(id: number, outcome: string, status: string, type: string, quietMs: number): string {
  switch (outcome) {
    case 'failed':
      return type === 'withdrawal'
        ? `Payment ${id} failed; its hold was released and the amount is available again.`
        : `Payment ${id} failed; no money moved.`;
    case 'already_final':
      return `Payment ${id} is ${status}: a final payment is never changed.`;
    case 'bank_holds_order':
      return `The bank accepted an order for payment ${id}; failing it here would not stop the bank. Reconcile it instead.`;
    case 'changed_meanwhile':
      return `Payment ${id} changed while the bank was asked (a worker picked it up); read its story and try again.`;
    default:
      return `Payment ${id} was touched by a worker less than ${Math.ceil(quietMs / 1_000)} s ago and a bank call may be in flight; try again in a minute.`;
  }
}
