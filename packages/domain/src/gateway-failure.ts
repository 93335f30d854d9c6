import type { TransactionType } from './transaction-status';

/**
 * Failures the gateway itself decides (the bank's own refusals are in bank-failure.ts). Each has a stable
 * error_code and a plain sentence for the end user, which says what happened to their money; the
 * technical detail (attempt counts, the bank's last answer) goes to operators on the transaction's event.
 */

export const GATEWAY_FAILURE_CODES = [
  'bank_unavailable',
  'bank_rejected',
  'bank_unknown_order',
  'operator_failed',
] as const;
export type GatewayFailureCode = (typeof GATEWAY_FAILURE_CODES)[number];

export function gatewayFailureMessage(code: GatewayFailureCode, type: TransactionType): string {
  const noun = type === 'deposit' ? 'deposit' : 'withdrawal';
  const money = type === 'deposit' ? 'No money moved.' : 'No money moved, and the held amount is available again.';
  switch (code) {
    case 'bank_unavailable':
      return `The bank could not be reached for too long, so this ${noun} was cancelled. ${money} You can try again.`;
    case 'bank_rejected':
      return `The bank refused this ${noun}. ${money}`;
    case 'bank_unknown_order':
      return `The bank never received this ${noun}, so it was cancelled. ${money}`;
    case 'operator_failed':
      return `This ${noun} was cancelled by our support team. ${money}`;
  }
}
