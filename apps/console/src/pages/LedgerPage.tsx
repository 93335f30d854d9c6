import type { LedgerCheckWire } from '@paygate/contracts';
import { formatAmount } from '@paygate/domain/money';
import { amountTextToMinor, formatMinorText } from '@paygate/ui';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { Problem } from '../components/Problem';
import { Time } from '../components/Time';
import { userPath } from '../paths';
import { useLedgerCheck } from '../queries';

/**
 * The ledger check: every account's postings must sum to zero per currency, each cached balance must equal
 * its postings, each hold its open withdrawals, and no available balance may be negative. A red banner
 * when anything drifts, green when all holds. Differences are computed in bigint minor units.
 */
export function LedgerPage() {
  const ledger = useLedgerCheck();
  return (
    <>
      <title>Ledger check · Paygate Console</title>
      <div className="page-header page-header--split">
        <h1 tabIndex={-1}>Ledger check</h1>
        <button
          type="button"
          className="button button--secondary"
          disabled={ledger.isFetching}
          onClick={() => void ledger.refetch()}
          data-testid="ledger-recheck"
        >
          {ledger.isFetching ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {ledger.isError && (
        <Problem
          error={ledger.error}
          testId="ledger-error"
          onRetry={() => void ledger.refetch()}
          retrying={ledger.isFetching}
        />
      )}
      {ledger.data === undefined ? (
        !ledger.isError && <p className="muted">Checking the ledger…</p>
      ) : (
        <LedgerBody data={ledger.data} />
      )}
    </>
  );
}

function LedgerBody({ data }: { data: LedgerCheckWire }) {
  const drifts = data.balance_drift.length + data.hold_drift.length + data.negative_available.length;
  return (
    <>
      {data.is_balanced ? (
        <div className="banner banner--ok" role="status" data-testid="ledger-banner" data-balanced="true">
          <strong>Balanced.</strong> Every invariant holds across {data.account_count} accounts (checked{' '}
          <Time iso={data.checked_at} />
          ).
        </div>
      ) : (
        <div className="banner banner--danger" role="alert" data-testid="ledger-banner" data-balanced="false">
          <strong>Drift found.</strong> {drifts === 0 ? 'The sums are not zero' : `${drifts} account problem(s)`}{' '}
          (checked <Time iso={data.checked_at} />
          ). Stop repairs that move money and follow the <Link to="/runbook#ledger-drift">ledger drift runbook</Link>.
        </div>
      )}
      <section className="card" aria-labelledby="sums-title">
        <h2 id="sums-title" className="card__title">
          Sum over all accounts, per currency
        </h2>
        <p className="muted">Double entry: each sum must be exactly zero.</p>
        <table className="table table--compact" data-testid="ledger-sums">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col" className="numeric">
                Sum
              </th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(data.sum_minor_by_currency).map(([code, sum]) => (
              <tr key={code} data-testid="ledger-sum" data-currency={code}>
                <td>{code}</td>
                <td className="numeric">{formatMinorText(sum, code)}</td>
                <td>
                  {sum === '0' ? (
                    <span className="tag tag--ok">zero</span>
                  ) : (
                    <span className="tag tag--danger">not zero</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <DriftList
        title="Cached balance differs from the postings"
        testId="balance-drift"
        count={data.balance_drift.length}
        head={['Account', 'User', 'Cached', 'Postings', 'Difference']}
        rows={data.balance_drift.map((row) => [
          `#${row.account_id}`,
          row.user_id === null ? 'gateway account' : <UserLink key="u" id={row.user_id} email={row.email} />,
          row.cached,
          row.postings,
          difference(row.cached, row.postings),
        ])}
      />
      <DriftList
        title="Hold differs from the open withdrawals"
        testId="hold-drift"
        count={data.hold_drift.length}
        head={['Account', 'User', 'Held', 'Open withdrawals', 'Difference']}
        rows={data.hold_drift.map((row) => [
          `#${row.account_id}`,
          <UserLink key="u" id={row.user_id} email={row.email} />,
          row.held,
          row.open_withdrawals,
          difference(row.held, row.open_withdrawals),
        ])}
      />
      <DriftList
        title="Negative available balance"
        testId="negative-available"
        count={data.negative_available.length}
        head={['Account', 'User', 'Available']}
        rows={data.negative_available.map((row) => [
          `#${row.account_id}`,
          <UserLink key="u" id={row.user_id} email={row.email} />,
          row.available,
        ])}
      />
    </>
  );
}

/** Amounts here are decimal strings without a currency in the contract; shown as the API wrote them. */
function DriftList({
  title,
  testId,
  count,
  head,
  rows,
}: {
  title: string;
  testId: string;
  count: number;
  head: string[];
  rows: ReactNode[][];
}) {
  return (
    <section className="card" aria-label={title} data-testid={testId} data-count={count}>
      <div className="card__header">
        <h2 className="card__title">{title}</h2>
        {count === 0 ? <span className="tag tag--ok">none</span> : <span className="tag tag--danger">{count}</span>}
      </div>
      {count > 0 && (
        <div className="table-scroll">
          <table className="table table--compact">
            <thead>
              <tr>
                {head.map((name, index) => (
                  <th key={name} scope="col" className={index >= 2 ? 'numeric' : undefined}>
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((cells, rowIndex) => (
                <tr key={rowIndex} data-testid={`${testId}-row`}>
                  {cells.map((cell, index) => (
                    <td key={index} className={index >= 2 ? 'numeric mono' : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function UserLink({ id, email }: { id: number; email: string | null }) {
  return <Link to={userPath(id)}>{email ?? `User #${id}`}</Link>;
}

/** a - b of two decimal strings, exactly, through bigint minor units. */
function difference(a: string, b: string): string {
  const left = amountTextToMinor(a);
  const right = amountTextToMinor(b);
  if (left === null || right === null) return '—';
  const delta = left - right;
  return `${delta > 0n ? '+' : ''}${formatAmount(delta)}`;
}
