import type { TransactionDetailWire, TransactionEventWire } from '@paygate/contracts';
import type { TransactionType } from '@paygate/domain/transaction-status';
import {
  formatAmountText,
  formatDateTimeZone,
  ProblemAlert,
  problemOf,
  STATUS_LABELS,
  StatusBadge,
  TYPE_LABELS,
} from '@paygate/ui';
import { Link, useParams } from 'react-router';

import { causeLabel } from '../format';
import { useTransactionDetail } from '../queries';
import { listPath, parseTransactionId, transactionPath } from '../routes';
import { NotFoundPage } from './NotFoundPage';

const OTHER: Record<TransactionType, TransactionType> = { deposit: 'withdrawal', withdrawal: 'deposit' };

/** /deposits/:id and /withdrawals/:id: a transaction, its outcome and its audit trail, live while open. */
export function TransactionDetailPage({ type }: { type: TransactionType }) {
  const id = parseTransactionId(useParams().id);
  if (id === null) return <NotFoundPage />;
  // Keyed so that moving from one transaction to another starts a fresh polling window.
  return <TransactionDetail key={`${type}-${id}`} type={type} id={id} />;
}

function TransactionDetail({ type, id }: { type: TransactionType; id: number }) {
  const { query, polling, pollExpired, checkAgain } = useTransactionDetail(type, id);
  const transaction = query.data;
  const label = `${TYPE_LABELS[type]} #${id}`;
  const problem = query.isError ? problemOf(query.error) : null;

  return (
    <>
      <title>{`${label} · Paygate`}</title>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={listPath(type)}>{type === 'deposit' ? 'Deposits' : 'Withdrawals'}</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">#{id}</span>
      </nav>
      <div className="page-header">
        <h1 tabIndex={-1}>{label}</h1>
      </div>
      {problem?.kind === 'not_found' ? (
        <ProblemAlert
          problem={problem}
          testId="detail-error"
          message={`We could not find ${label.toLowerCase()}. It may not exist, or it may be a ${OTHER[type]}.`}
        />
      ) : (
        problem !== null && (
          <ProblemAlert
            problem={problem}
            testId="detail-error"
            onRetry={() => void query.refetch()}
            retrying={query.isFetching}
          />
        )
      )}
      {problem?.kind === 'not_found' && (
        <p>
          <Link to={transactionPath(OTHER[type], id)}>
            Look for {TYPE_LABELS[OTHER[type]].toLowerCase()} #{id} instead
          </Link>
        </p>
      )}
      {transaction === undefined ? (
        !query.isError && <p className="muted">Loading {label.toLowerCase()}…</p>
      ) : (
        <TransactionSummary
          transaction={transaction}
          polling={polling}
          pollExpired={pollExpired}
          onCheckAgain={checkAgain}
        />
      )}
    </>
  );
}

interface SummaryProps {
  transaction: TransactionDetailWire;
  polling: boolean;
  pollExpired: boolean;
  onCheckAgain: () => void;
}

function TransactionSummary({ transaction, polling, pollExpired, onCheckAgain }: SummaryProps) {
  return (
    <div
      className="detail"
      data-testid="transaction-detail"
      data-transaction-id={transaction.id}
      data-status={transaction.status}
    >
      <section className="card detail__summary" aria-label="Summary">
        <div className="detail__amount" data-testid="detail-amount">
          {formatAmountText(transaction.amount, transaction.currency)}
        </div>
        <div className="detail__status" role="status" aria-live="polite" data-testid="detail-status">
          <span className="visually-hidden">Status: </span>
          <StatusBadge status={transaction.status} />
          {polling && (
            <span className="live-indicator" data-testid="detail-polling">
              <span className="live-indicator__dot" aria-hidden="true" />
              Updating automatically
            </span>
          )}
        </div>
        {pollExpired && (
          <p className="alert alert--info" data-testid="detail-poll-expired">
            Still {STATUS_LABELS[transaction.status].toLowerCase()}. Automatic updates have stopped.{' '}
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={onCheckAgain}
              data-testid="detail-check-again"
            >
              Check again
            </button>
          </p>
        )}
        <dl className="facts">
          <Fact term="Type" value={TYPE_LABELS[transaction.type]} testId="detail-type" />
          <Fact
            term="Bank reference"
            value={transaction.bank_reference ?? (transaction.status === 'failed' ? 'None' : 'Not assigned yet')}
            testId="detail-bank-reference"
          />
          <Fact term="Created" value={formatDateTimeZone(transaction.created_at)} testId="detail-created" />
          <Fact term="Last updated" value={formatDateTimeZone(transaction.updated_at)} testId="detail-updated" />
          {transaction.completed_at !== null && (
            <Fact term="Completed" value={formatDateTimeZone(transaction.completed_at)} testId="detail-completed" />
          )}
        </dl>
        {transaction.status === 'failed' && (
          <div className="alert alert--error" role="alert" data-testid="detail-failure">
            <p>
              <strong>This {TYPE_LABELS[transaction.type].toLowerCase()} failed.</strong>{' '}
              {transaction.error_message ?? 'The bank gave no reason.'}
            </p>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title" className="card__title">
          Timeline
        </h2>
        <Timeline events={transaction.events} />
      </section>
    </div>
  );
}

function Fact({ term, value, testId, mono = false }: { term: string; value: string; testId: string; mono?: boolean }) {
  return (
    <div className="facts__item">
      <dt>{term}</dt>
      <dd data-testid={testId} className={mono ? 'mono' : undefined}>
        {value}
      </dd>
    </div>
  );
}

function Timeline({ events }: { events: readonly TransactionEventWire[] }) {
  if (events.length === 0) return <p className="muted">No events recorded yet.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event, index) => (
        <li
          key={`${event.created_at}-${index}`}
          className={`timeline__item timeline__item--${event.to_status}`}
          data-testid="timeline-event"
          data-to-status={event.to_status}
        >
          <div className="timeline__head">
            <span className="timeline__transition">
              {event.from_status === null ? 'Created as' : `${STATUS_LABELS[event.from_status]} →`}{' '}
              <StatusBadge status={event.to_status} />
            </span>
            <time dateTime={event.created_at} className="muted">
              {formatDateTimeZone(event.created_at)}
            </time>
          </div>
          <p className="timeline__cause">{causeLabel(event.cause)}</p>
          {event.bank_reference !== null && <p className="timeline__meta">Bank reference {event.bank_reference}</p>}
          {event.error_message !== null && (
            <p className="timeline__meta timeline__meta--error">{event.error_message}</p>
          )}
        </li>
      ))}
    </ol>
  );
}
