import type { TransactionStatus, TransactionType } from '@paygate/domain/transaction-status';

/** Words and dates for people, in their own locale. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatTime(date: Date): string {
  return timeOnly.format(date);
}

export const STATUS_LABELS: Record<TransactionStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  success: 'Success',
  failed: 'Failed',
};

export const TYPE_LABELS: Record<TransactionType, string> = { deposit: 'Deposit', withdrawal: 'Withdrawal' };

/** What each recorded cause means; a cause this list does not know is shown as it is. */
const CAUSE_LABELS: Record<string, string> = {
  'api.create': 'Accepted by Paygate',
  'worker.submit': 'Sent to the bank',
  'worker.failed': 'Could not be sent to the bank',
  'bank.webhook': 'Bank reported the outcome',
  'bank.callback': 'Bank reported the outcome',
  reconciliation: 'Outcome confirmed with the bank',
  'worker.reconcile': 'Outcome confirmed with the bank',
};

export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause;
}
