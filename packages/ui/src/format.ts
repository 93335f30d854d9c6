import type { TransactionStatus, TransactionType } from '@paygate/domain/transaction-status';

/** Words and dates for people, in their own locale. */

// timeStyle 'long' ends with the zone ("10:15:30 AM GMT+1"): operators compare times across places and logs.
const dateTimeZone = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const timeOnlyZone = new Intl.DateTimeFormat(undefined, { timeStyle: 'long' });

/** A date and time with its time zone, e.g. "Nov 27, 2026, 11:15:30 AM GMT+1". */
export function formatDateTimeZone(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeZone.format(date);
}

export function formatTime(date: Date): string {
  return timeOnly.format(date);
}

export function formatTimeZone(date: Date): string {
  return timeOnlyZone.format(date);
}

/** A duration in milliseconds for people: "850 ms", "1.2 s", "4 min 5 s", "2 h 3 min". */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const totalS = Math.round(ms / 1_000);
  if (totalS < 3_600) return joinUnits(Math.floor(totalS / 60), 'min', totalS % 60, 's');
  const totalMin = Math.round(totalS / 60);
  return joinUnits(Math.floor(totalMin / 60), 'h', totalMin % 60, 'min');
}

/** "4 min 5 s", or "5 min" when the smaller unit is zero. */
function joinUnits(large: number, largeUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${large} ${largeUnit}` : `${large} ${largeUnit} ${small} ${smallUnit}`;
}

export const STATUS_LABELS: Record<TransactionStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  success: 'Success',
  failed: 'Failed',
};

export const TYPE_LABELS: Record<TransactionType, string> = { deposit: 'Deposit', withdrawal: 'Withdrawal' };
