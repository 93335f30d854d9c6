import type { TransactionStatus } from '@paygate/domain/transaction-status';
import { isTransactionStatus } from '@paygate/domain/transaction-status';
import { checkAmountInput } from '@paygate/ui';

/**
 * The list filters live in the URL (?status=failed&from=2026-11-01&to=2026-11-30&amount_min=100), so a
 * reload or a shared link keeps them. Days are the person's own calendar days, both included; the API's
 * range is instants with an exclusive end, so `to` becomes the start of the next local day. Only values
 * the API would accept are read back, so a hand-edited URL cannot make every page a 422.
 */

export interface ListFilters {
  status?: TransactionStatus | undefined;
  /** YYYY-MM-DD, the first day included. */
  from?: string | undefined;
  /** YYYY-MM-DD, the last day included. */
  to?: string | undefined;
  /** Normalised amounts ("1000.50"). */
  amount_min?: string | undefined;
  amount_max?: string | undefined;
}

/** What the API is sent for the filters (TransactionListQuery's names). */
export interface ListFilterQuery {
  status?: TransactionStatus | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
  amount_min?: string | undefined;
  amount_max?: string | undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readListFilters(params: URLSearchParams): ListFilters {
  const status = params.get('status');
  return {
    status: isTransactionStatus(status) ? status : undefined,
    from: day(params.get('from')),
    to: day(params.get('to')),
    amount_min: amount(params.get('amount_min')),
    amount_max: amount(params.get('amount_max')),
  };
}

export function writeListFilters(filters: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  return params;
}

export function toListFilterQuery(filters: ListFilters): ListFilterQuery {
  return {
    status: filters.status,
    created_from: filters.from === undefined ? undefined : localDayStart(filters.from, 0),
    created_to: filters.to === undefined ? undefined : localDayStart(filters.to, 1),
    amount_min: filters.amount_min,
    amount_max: filters.amount_max,
  };
}

/** A stable text of the filters: a React key (a new filter starts from page one) and part of the query key. */
export function filtersKey(filters: ListFilters): string {
  return writeListFilters(filters).toString();
}

/** The start of a local calendar day, `plusDays` later, as an ISO instant. */
function localDayStart(text: string, plusDays: number): string {
  const [year, month, date] = text.split('-').map(Number);
  return new Date(year ?? 0, (month ?? 1) - 1, (date ?? 1) + plusDays).toISOString();
}

function day(text: string | null): string | undefined {
  if (text === null || !DAY.test(text)) return undefined;
  return Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? undefined : text;
}

function amount(text: string | null): string | undefined {
  if (text === null) return undefined;
  const checked = checkAmountInput(text);
  return checked.ok ? checked.amount : undefined;
}
