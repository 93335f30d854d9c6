/** The only lifecycle a transaction has: pending -> processing -> success | failed. */

export const TRANSACTION_STATUSES = ['pending', 'processing', 'success', 'failed'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const TRANSACTION_TYPES = ['deposit', 'withdrawal'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

const NEXT: Record<TransactionStatus, readonly TransactionStatus[]> = {
  pending: ['processing'],
  processing: ['success', 'failed'],
  success: [],
  failed: [],
};

export function canTransition(from: TransactionStatus, to: TransactionStatus): boolean {
  return NEXT[from].includes(to);
}

export function isTerminal(status: TransactionStatus): boolean {
  return NEXT[status].length === 0;
}

export function isTransactionStatus(value: unknown): value is TransactionStatus {
  return typeof value === 'string' && (TRANSACTION_STATUSES as readonly string[]).includes(value);
}

export function isTransactionType(value: unknown): value is TransactionType {
  return typeof value === 'string' && (TRANSACTION_TYPES as readonly string[]).includes(value);
}

/** A withdrawal holds its amount from acceptance until it is terminal. */
export function holdsFunds(type: TransactionType, status: TransactionStatus): boolean {
  return type === 'withdrawal' && !isTerminal(status);
}
