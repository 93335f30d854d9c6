import type { TransactionStatus, TransactionType } from '@paygate/domain/transaction-status';
import { isTransactionStatus, isTransactionType } from '@paygate/domain/transaction-status';
import { checkAmountInput } from '@paygate/ui';

/**
 * The filters of the lists live in the URL (?status=failed&stuck=true), so a link can carry them (the
 * overview's "stuck payments" link, a runbook step) and a reload keeps them. These read them back, keeping
 * only values the operator API accepts, and write them in the API's own names.
 */

export interface PaymentFilters {
  q?: string | undefined;
  status?: TransactionStatus | undefined;
  type?: TransactionType | undefined;
  amount_min?: string | undefined;
  amount_max?: string | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
  stuck?: 'true' | undefined;
}

export const PAYMENT_FILTER_NAMES = [
  'q',
  'status',
  'type',
  'amount_min',
  'amount_max',
  'created_from',
  'created_to',
  'stuck',
] as const satisfies readonly (keyof PaymentFilters)[];

/** The operator API's length limits for these query values (AdminPaymentListQuery). */
export const SEARCH_LENGTH_MAX = 255;
const TIME_LENGTH_MAX = 40;

export function readPaymentFilters(params: URLSearchParams): PaymentFilters {
  const text = (name: string, lengthMax: number) => {
    const value = params.get(name)?.trim();
    return value === undefined || value === '' || value.length > lengthMax ? undefined : value;
  };
  const status = params.get('status');
  const type = params.get('type');
  return {
    q: text('q', SEARCH_LENGTH_MAX),
    status: isTransactionStatus(status) ? status : undefined,
    type: isTransactionType(type) ? type : undefined,
    amount_min: amount(params.get('amount_min')),
    amount_max: amount(params.get('amount_max')),
    created_from: isoTime(text('created_from', TIME_LENGTH_MAX)),
    created_to: isoTime(text('created_to', TIME_LENGTH_MAX)),
    stuck: params.get('stuck') === 'true' ? 'true' : undefined,
  };
}

export function writeFilters(filters: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  return params;
}

export function hasFilters(filters: object): boolean {
  return Object.values(filters).some((value) => value !== undefined);
}

export interface AuditFilters {
  payment_id?: string | undefined;
  user_id?: string | undefined;
}

export function readAuditFilters(params: URLSearchParams): AuditFilters {
  return { payment_id: entityId(params.get('payment_id')), user_id: entityId(params.get('user_id')) };
}

/** Ids as the API takes them: a positive integer, at most 16 digits. */
export function parseEntityId(text: string | null | undefined): number | null {
  if (text === undefined || text === null || !/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

function entityId(text: string | null): string | undefined {
  return parseEntityId(text) === null ? undefined : (text ?? undefined);
}

function amount(text: string | null): string | undefined {
  if (text === null) return undefined;
  const checked = checkAmountInput(text);
  return checked.ok ? checked.amount : undefined;
}

function isoTime(text: string | undefined): string | undefined {
  return text !== undefined && !Number.isNaN(Date.parse(text)) ? text : undefined;
}

/** "2026-11-27T10:15:30.000Z" -> "2026-11-27T11:15" in the browser's zone, for a datetime-local input. */
export function isoToLocalInput(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A datetime-local value (the browser's zone) -> ISO UTC, or undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
