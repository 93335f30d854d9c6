import type { TransactionType } from '@paygate/domain/transaction-status';

/**
 * A transaction's page carries its type in the path, like the API does (/deposits/5, /withdrawals/7):
 * the page then needs one request, and the URL reads the same as the API's.
 */
export function transactionPath(type: TransactionType, id: number): string {
  return `${listPath(type)}/${id}`;
}

export function listPath(type: TransactionType): '/deposits' | '/withdrawals' {
  return type === 'deposit' ? '/deposits' : '/withdrawals';
}

/** Ids as the API takes them in a path: a positive integer, at most 16 digits. */
export function parseTransactionId(text: string | undefined): number | null {
  if (text === undefined || !/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}
