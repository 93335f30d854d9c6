import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from '@paygate/domain/transaction-status';
import { checkAmountInput, Pagination, STATUS_LABELS, TYPE_LABELS, useCursorStack } from '@paygate/ui';
import type { SubmitEvent } from 'react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';

import { PaymentTable } from '../components/PaymentTable';
import { Problem } from '../components/Problem';
import type { PaymentFilters } from '../filters';
import {
  hasFilters,
  isoToLocalInput,
  localInputToIso,
  readPaymentFilters,
  SEARCH_LENGTH_MAX,
  writeFilters,
} from '../filters';
import { usePayments } from '../queries';

/**
 * Find payments: one search box for whatever the operator has in hand (a payment id, an idempotency key,
 * a bank reference, a request id from a log line, a user's email) and filters. Everything is in the URL,
 * so the overview can link to the stuck payments and a search can be shared.
 */
export function PaymentsPage() {
  const [params, setParams] = useSearchParams();
  const filters = readPaymentFilters(params);
  const filterKey = writeFilters(filters).toString();
  return (
    <>
      <title>Payments · Paygate Console</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Payments</h1>
      </div>
      {/* Keyed by the URL's filters: a link or Back that changes them resets the form and the pages. */}
      <SearchForm key={`form-${filterKey}`} filters={filters} onSearch={(next) => setParams(writeFilters(next))} />
      <PaymentPages key={`pages-${filterKey}`} filters={filters} />
    </>
  );
}

interface FormErrors {
  amountMin: string | null;
  amountMax: string | null;
}

function SearchForm({ filters, onSearch }: { filters: PaymentFilters; onSearch: (filters: PaymentFilters) => void }) {
  const [q, setQ] = useState(filters.q ?? '');
  const [status, setStatus] = useState<string>(filters.status ?? '');
  const [type, setType] = useState<string>(filters.type ?? '');
  const [amountMin, setAmountMin] = useState(filters.amount_min ?? '');
  const [amountMax, setAmountMax] = useState(filters.amount_max ?? '');
  const [createdFrom, setCreatedFrom] = useState(isoToLocalInput(filters.created_from));
  const [createdTo, setCreatedTo] = useState(isoToLocalInput(filters.created_to));
  const [stuck, setStuck] = useState(filters.stuck === 'true');
  const [errors, setErrors] = useState<FormErrors>({ amountMin: null, amountMax: null });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const min = optionalAmount(amountMin);
    const max = optionalAmount(amountMax);
    const next: FormErrors = { amountMin: min.ok ? null : min.message, amountMax: max.ok ? null : max.message };
    setErrors(next);
    if (!min.ok || !max.ok) return;
    onSearch(
      readPaymentFilters(
        writeFilters({
          q: q.trim(),
          status,
          type,
          amount_min: min.amount,
          amount_max: max.amount,
          created_from: localInputToIso(createdFrom),
          created_to: localInputToIso(createdTo),
          stuck: stuck ? 'true' : undefined,
        }),
      ),
    );
  }

  return (
    <form className="card filters" role="search" aria-label="Payments" onSubmit={onSubmit} noValidate>
      <div className="field filters__search">
        <label htmlFor="payments-q">Search</label>
        <input
          id="payments-q"
          type="search"
          value={q}
          maxLength={SEARCH_LENGTH_MAX}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="payments-q-hint"
          data-testid="payments-search"
          onChange={(event) => setQ(event.target.value)}
        />
        <p id="payments-q-hint" className="field__hint">
          Payment id, idempotency key, bank reference (BNK-…), request id, or the user&apos;s email.
        </p>
      </div>
      <div className="filters__grid">
        <div className="field">
          <label htmlFor="payments-status">Status</label>
          <select
            id="payments-status"
            value={status}
            data-testid="payments-status"
            onChange={(event) => setStatus(event.target.value)}
          >
            <option value="">Any</option>
            {TRANSACTION_STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="payments-type">Type</label>
          <select id="payments-type" value={type} onChange={(event) => setType(event.target.value)}>
            <option value="">Any</option>
            {TRANSACTION_TYPES.map((value) => (
              <option key={value} value={value}>
                {TYPE_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <AmountFilter
          id="payments-amount-min"
          label="Amount from"
          value={amountMin}
          error={errors.amountMin}
          onChange={setAmountMin}
        />
        <AmountFilter
          id="payments-amount-max"
          label="Amount to"
          value={amountMax}
          error={errors.amountMax}
          onChange={setAmountMax}
        />
        <div className="field">
          <label htmlFor="payments-created-from">Created from</label>
          <input
            id="payments-created-from"
            type="datetime-local"
            value={createdFrom}
            aria-describedby="payments-zone"
            onChange={(event) => setCreatedFrom(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="payments-created-to">Created before</label>
          <input
            id="payments-created-to"
            type="datetime-local"
            value={createdTo}
            aria-describedby="payments-zone"
            onChange={(event) => setCreatedTo(event.target.value)}
          />
        </div>
      </div>
      <p id="payments-zone" className="field__hint">
        Times are in your time zone ({zone}).
      </p>
      <div className="filters__actions">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={stuck}
            data-testid="payments-stuck"
            onChange={(event) => setStuck(event.target.checked)}
          />
          Only stuck payments (pending or processing past the threshold)
        </label>
        <div className="filters__buttons">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => onSearch({})}
            disabled={!hasFilters(filters)}
          >
            Clear
          </button>
          <button type="submit" className="button button--primary" data-testid="payments-submit">
            Search
          </button>
        </div>
      </div>
    </form>
  );
}

function AmountFilter({
  id,
  label,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        placeholder="0.00"
        autoComplete="off"
        value={value}
        aria-invalid={error !== null}
        aria-describedby={error === null ? undefined : `${id}-error`}
        onChange={(event) => onChange(event.target.value)}
      />
      {error !== null && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function optionalAmount(text: string): { ok: true; amount: string | undefined } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, amount: undefined };
  const checked = checkAmountInput(text);
  return checked.ok ? { ok: true, amount: checked.amount } : checked;
}

function PaymentPages({ filters }: { filters: PaymentFilters }) {
  const pager = useCursorStack();
  const page = usePayments(filters, pager.cursor);
  const data = page.data;
  const busy = page.isFetching;
  const searched = hasFilters(filters);
  return (
    <section className="card" aria-busy={busy} aria-label="Results">
      {page.isError && (
        <Problem error={page.error} testId="payments-error" onRetry={() => void page.refetch()} retrying={busy} />
      )}
      {data === undefined ? (
        !page.isError && <p className="muted">Loading payments…</p>
      ) : data.items.length === 0 ? (
        <p className="empty" data-testid="payments-empty">
          {searched ? 'No payment matches this search.' : 'No payments yet.'}
        </p>
      ) : (
        <PaymentTable
          items={data.items}
          caption={searched ? 'Payments matching the search, newest first' : 'All payments, newest first'}
          testId="payments-table"
        />
      )}
      {data !== undefined && (
        <Pagination
          canPrevious={pager.canPrevious}
          canNext={data.has_more && data.next_cursor !== null}
          busy={busy}
          onPrevious={pager.previous}
          onNext={() => pager.next(data.next_cursor)}
          pageNumber={pager.pageNumber}
        >
          Page {pager.pageNumber} · {data.items.length} shown
        </Pagination>
      )}
    </section>
  );
}
