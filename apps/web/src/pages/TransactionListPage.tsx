import type { TransactionType } from '@paygate/domain/transaction-status';
import { isTransactionStatus, TRANSACTION_STATUSES } from '@paygate/domain/transaction-status';
import { Pagination, ProblemAlert, problemOf, STATUS_LABELS, useCursorStack } from '@paygate/ui';
import { useSearchParams } from 'react-router';

import { TransactionTable } from '../components/TransactionTable';
import { useTransactionPage } from '../queries';
import type { ListFilters } from '../transactions/list-filters';
import { filtersKey, readListFilters, toListFilterQuery, writeListFilters } from '../transactions/list-filters';
import { ListFilterForm } from '../transactions/ListFilterForm';

const PLURAL: Record<TransactionType, string> = { deposit: 'deposits', withdrawal: 'withdrawals' };

/**
 * The full history of one type, newest first. Pages follow the API's opaque keyset cursor: "Next" pushes
 * `next_cursor` on a stack and "Previous" pops it. The filters (status, days, amounts) live in the URL
 * (?status=failed&from=2026-11-01) so they survive a reload; the cursor stack does not, since a cursor is
 * only meaningful from page one.
 */
export function TransactionListPage({ type }: { type: TransactionType }) {
  const [params, setParams] = useSearchParams();
  const filters = readListFilters(params);
  const noun = PLURAL[type];
  const title = noun.charAt(0).toUpperCase() + noun.slice(1);
  const apply = (change: Partial<ListFilters>) => setParams(writeListFilters({ ...filters, ...change }));

  return (
    <>
      <title>{`${title} · Paygate`}</title>
      <div className="page-header page-header--split">
        <h1 tabIndex={-1}>{title}</h1>
        <div className="field field--inline">
          <label htmlFor="status-filter">Status</label>
          <select
            id="status-filter"
            value={filters.status ?? 'all'}
            data-testid="status-filter"
            onChange={(event) => {
              const value = event.target.value;
              apply({ status: isTransactionStatus(value) ? value : undefined });
            }}
          >
            <option value="all">All</option>
            {TRANSACTION_STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {/* Keyed by the URL's filters, so a link or Back that changes them refills the fields. */}
      <ListFilterForm key={`form?${filtersKey(filters)}`} filters={filters} onApply={apply} />
      {/* A new filter starts again from page one, with an empty cursor stack. */}
      <TransactionPages key={`pages?${filtersKey(filters)}`} type={type} filters={filters} noun={noun} />
    </>
  );
}

function TransactionPages({ type, filters, noun }: { type: TransactionType; filters: ListFilters; noun: string }) {
  const pager = useCursorStack();
  const page = useTransactionPage(type, toListFilterQuery(filters), pager.cursor);
  const data = page.data;
  const busy = page.isFetching;
  const { status } = filters;
  const filterWord = status === undefined ? '' : `${STATUS_LABELS[status].toLowerCase()} `;
  const ranged = [filters.from, filters.to, filters.amount_min, filters.amount_max].some((v) => v !== undefined);

  return (
    <section className="card" aria-busy={busy} aria-label={`${noun} list`}>
      {page.isError && (
        <ProblemAlert
          problem={problemOf(page.error)}
          testId="list-error"
          onRetry={() => void page.refetch()}
          retrying={busy}
        />
      )}
      {data === undefined ? (
        !page.isError && <p className="muted">Loading {noun}…</p>
      ) : data.items.length === 0 ? (
        <p className="empty" data-testid="list-empty">
          No {filterWord}
          {noun} {ranged ? 'in this range' : 'yet'}.
        </p>
      ) : (
        <TransactionTable
          items={data.items}
          caption={`Your ${filterWord}${noun}, newest first`}
          testId="transaction-list"
        />
      )}
      {/* An empty list has no pages to walk. */}
      {data !== undefined && (data.items.length > 0 || pager.canPrevious) && (
        <Pagination
          canPrevious={pager.canPrevious}
          canNext={data.has_more && data.next_cursor !== null}
          busy={busy}
          onPrevious={pager.previous}
          onNext={() => pager.next(data.next_cursor)}
          pageNumber={pager.pageNumber}
        >
          Page {pager.pageNumber} of {data.total_is_estimate ? 'about ' : ''}
          {Math.max(1, Math.ceil(data.total / data.limit)).toLocaleString('en-US')} ·{' '}
          {data.total_is_estimate ? 'about ' : ''}
          {data.total.toLocaleString('en-US')} {filterWord}
          {noun}
        </Pagination>
      )}
    </section>
  );
}
