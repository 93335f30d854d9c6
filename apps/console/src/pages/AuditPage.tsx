import type { AuditEntryWire } from '@paygate/contracts';
import { Pagination, useCursorStack } from '@paygate/ui';
import type { SubmitEvent } from 'react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { Problem } from '../components/Problem';
import { Time } from '../components/Time';
import type { AuditFilters } from '../filters';
import { parseEntityId, readAuditFilters, writeFilters } from '../filters';
import { paymentPath, userPath } from '../paths';
import { useAudit } from '../queries';

export const AUDIT_ACTION_LABELS: Record<AuditEntryWire['action'], string> = {
  login: 'Logged in',
  logout: 'Logged out',
  reconcile: 'Reconciled',
  retry: 'Retried submission',
  fail: 'Failed payment',
  replay_dead_letter: 'Replayed dead letter',
  issue_key: 'Issued key',
  revoke_key: 'Revoked key',
};

/** Who did what to which payment or user, why, when, and what came of it. Filterable by payment or user. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters = readAuditFilters(params);
  const filterKey = writeFilters(filters).toString();
  return (
    <>
      <title>Audit log · Paygate Console</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Audit log</h1>
      </div>
      <AuditFilterForm key={`form-${filterKey}`} filters={filters} onFilter={(next) => setParams(writeFilters(next))} />
      <AuditPages key={`pages-${filterKey}`} filters={filters} />
    </>
  );
}

function AuditFilterForm({ filters, onFilter }: { filters: AuditFilters; onFilter: (filters: AuditFilters) => void }) {
  const [paymentId, setPaymentId] = useState(filters.payment_id ?? '');
  const [userId, setUserId] = useState(filters.user_id ?? '');
  const [error, setError] = useState<string | null>(null);
  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const payment = paymentId.trim();
    const user = userId.trim();
    if ((payment !== '' && parseEntityId(payment) === null) || (user !== '' && parseEntityId(user) === null)) {
      setError('Ids are whole numbers such as 4182.');
      return;
    }
    setError(null);
    onFilter({ payment_id: payment === '' ? undefined : payment, user_id: user === '' ? undefined : user });
  }
  return (
    <form className="card filters" role="search" aria-label="Audit log" onSubmit={onSubmit} noValidate>
      <div className="filters__grid">
        <div className="field">
          <label htmlFor="audit-payment">Payment id</label>
          <input
            id="audit-payment"
            inputMode="numeric"
            value={paymentId}
            autoComplete="off"
            aria-invalid={error !== null}
            data-testid="audit-payment"
            onChange={(event) => setPaymentId(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-user">User id</label>
          <input
            id="audit-user"
            inputMode="numeric"
            value={userId}
            autoComplete="off"
            aria-invalid={error !== null}
            data-testid="audit-user"
            onChange={(event) => setUserId(event.target.value)}
          />
        </div>
      </div>
      {error !== null && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="filters__buttons">
        <button type="button" className="button button--secondary" onClick={() => onFilter({})}>
          Clear
        </button>
        <button type="submit" className="button button--primary" data-testid="audit-submit">
          Filter
        </button>
      </div>
    </form>
  );
}

function AuditPages({ filters }: { filters: AuditFilters }) {
  const pager = useCursorStack();
  const page = useAudit(filters, pager.cursor);
  const data = page.data;
  const busy = page.isFetching;
  return (
    <section className="card" aria-busy={busy} aria-label="Audit entries">
      {page.isError && (
        <Problem error={page.error} testId="audit-error" onRetry={() => void page.refetch()} retrying={busy} />
      )}
      {data === undefined ? (
        !page.isError && <p className="muted">Loading the audit log…</p>
      ) : data.items.length === 0 ? (
        <p className="empty" data-testid="audit-empty">
          No audit entries{filters.payment_id === undefined && filters.user_id === undefined ? '' : ' for this filter'}.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="audit-table">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Why</th>
                <th scope="col">Outcome</th>
                <th scope="col">Request id</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-audit-id={entry.id}>
                  <td className="nowrap">
                    <Time iso={entry.at} />
                  </td>
                  <td className="cell-ellipsis">{entry.operator_email}</td>
                  <td>{AUDIT_ACTION_LABELS[entry.action]}</td>
                  <td className="nowrap">
                    {entry.payment_id !== null && (
                      <Link to={paymentPath(entry.payment_id)}>Payment #{entry.payment_id}</Link>
                    )}
                    {entry.payment_id !== null && entry.user_id !== null && ' · '}
                    {entry.user_id !== null && <Link to={userPath(entry.user_id)}>User #{entry.user_id}</Link>}
                    {entry.payment_id === null && entry.user_id === null && <span className="muted">—</span>}
                  </td>
                  <td className="audit__reason" data-testid="audit-reason">
                    {entry.reason ?? <span className="muted">—</span>}
                  </td>
                  <td className="nowrap" data-testid="audit-outcome">
                    <code>{entry.outcome}</code>
                  </td>
                  <td
                    className="mono audit__request cell-ellipsis"
                    title={entry.request_id ?? undefined}
                    data-testid="audit-request-id"
                  >
                    {entry.request_id ?? <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
