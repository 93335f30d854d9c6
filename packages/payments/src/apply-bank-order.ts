import type { BankOrder } from '@paygate/contracts';
import type { SettlementRepository, TransactionSubmission } from '@paygate/db';
import type { TransactionStatus } from '@paygate/domain';
import { bankFailure, formatAmount } from '@paygate/domain';

/**
 * The bank's own record of our order, read back (the answer to our order, a replay of it, or the
 * reconciler's status query), applied to the transaction: its reference remembered, and, when the bank
 * already settled it, the settlement applied once, the same way a webhook would. An order that is not the
 * one we placed (another key, reference, type, amount or currency) moves no money.
 */

export type ApplyBankOrderOutcome =
  | { kind: 'mismatch' }
  /** The bank holds the order and has not settled it yet: its webhook (or the reconciler) finishes it. */
  | { kind: 'pending'; bankReference: string }
  | { kind: 'settled'; status: 'success' | 'failed'; bankReference: string }
  | { kind: 'already_final'; status: TransactionStatus };

export async function applyBankOrder(
  settlement: SettlementRepository,
  command: { submission: TransactionSubmission; order: BankOrder; cause: string; requestId: string | null },
): Promise<ApplyBankOrderOutcome> {
  const { submission, order } = command;
  const { transaction } = submission;
  if (!isOurOrder(submission, order)) return { kind: 'mismatch' };
  await settlement.recordBankReference(transaction.id, order.bank_reference);
  if (order.status === 'pending') return { kind: 'pending', bankReference: order.bank_reference };
  const failure = order.status === 'failed' ? bankFailure(order.error_message) : null;
  const settled = await settlement.settle({
    transactionId: transaction.id,
    status: order.status,
    bankReference: order.bank_reference,
    errorCode: failure?.code ?? null,
    errorMessage: failure?.message ?? null,
    detail:
      failure === null
        ? null
        : `The bank's order ${order.bank_reference} failed: ${order.error_message ?? 'no reason given'}.`,
    cause: command.cause,
    requestId: command.requestId,
  });
  if (settled.outcome !== 'applied') return { kind: 'already_final', status: settled.status ?? order.status };
  return { kind: 'settled', status: order.status, bankReference: order.bank_reference };
}

function isOurOrder(submission: TransactionSubmission, order: BankOrder): boolean {
  const { transaction } = submission;
  return (
    submission.orderKey !== null &&
    order.order_key === submission.orderKey &&
    order.reference === String(transaction.id) &&
    order.type === transaction.type &&
    order.currency === transaction.currency &&
    order.amount === formatAmount(transaction.amountMinor)
  );
}
