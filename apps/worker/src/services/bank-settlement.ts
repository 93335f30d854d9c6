import type { BankOrder } from '@paygate/contracts';
import type { Settlement, TransactionSubmission } from '@paygate/db';
import { bankFailure, formatAmount } from '@paygate/domain';

/**
 * Turning a bank order into a settlement, shared by the submit path and the reconciler so that the same
 * answer from the bank is recorded the same way (and the same way as the API's webhook handler: failure
 * reasons go through bankFailure from @paygate/domain).
 */

export type FinalBankOrder = BankOrder & { status: 'success' | 'failed' };

export function isFinalOrder(order: BankOrder): order is FinalBankOrder {
  return order.status === 'success' || order.status === 'failed';
}

/**
 * Whether the bank's order is the one we placed for this transaction: under our order key, for this
 * transaction, type, amount and currency. Anything else is a bank bug or tampering: money must not move on it.
 */
export function orderMatches(submission: TransactionSubmission, order: BankOrder): boolean {
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

export function settlementFromOrder(
  transactionId: number,
  order: FinalBankOrder,
  cause: string,
  requestId: string | null,
): Settlement {
  const failure = order.status === 'failed' ? bankFailure(order.error_message) : null;
  return {
    transactionId,
    status: order.status,
    bankReference: order.bank_reference,
    errorCode: failure?.code ?? null,
    errorMessage: failure?.message ?? null,
    detail: failure === null ? null : `The bank's order ${order.bank_reference} failed: ${order.error_message ?? 'no reason given'}.`,
    cause,
    requestId,
  };
}
