import { amountTextToMinor, formatAmountText, formatMinor, formatTimeZone, ProblemAlert, problemOf } from '@paygate/ui';
import { Link } from 'react-router';

import { TransactionTable } from '../components/TransactionTable';
import { useBalance, useRecentTransactions } from '../queries';
import { useUser } from '../session/session';
import { CreateTransactionForm } from '../transactions/CreateTransactionForm';

/**
 * Balance, quick deposit and withdrawal, and the 10 latest transactions. They follow the live stream
 * (live/live.tsx): a deposit's row, its confirmation and the balance change as the bank settles it. Only
 * while the stream is down do they poll, slowly; "Refresh" reads again at once.
 */
export function DashboardPage() {
  const user = useUser();
  return (
    <>
      <title>Dashboard · Paygate</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Dashboard</h1>
      </div>
      <BalanceCard userId={user.id} />
      <div className="grid grid--2">
        <CreateTransactionForm type="deposit" currency={user.currency} />
        <CreateTransactionForm type="withdrawal" currency={user.currency} />
      </div>
      <RecentTransactions userId={user.id} />
    </>
  );
}

function BalanceCard({ userId }: { userId: number }) {
  const balance = useBalance(userId);
  const data = balance.data;
  return (
    <section
      className="card balance-card"
      aria-labelledby="balance-title"
      aria-busy={balance.isFetching}
      data-testid="balance-card"
    >
      <div className="card__header">
        <h2 id="balance-title" className="card__title">
          Balance
        </h2>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => void balance.refetch()}
          disabled={balance.isFetching}
          data-testid="balance-refresh"
        >
          {balance.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {balance.isError && (
        <ProblemAlert
          problem={problemOf(balance.error)}
          testId="balance-error"
          onRetry={() => void balance.refetch()}
          retrying={balance.isFetching}
        />
      )}
      {data === undefined ? (
        !balance.isError && <p className="muted">Loading balance…</p>
      ) : (
        <>
          <dl className="balance">
            <div className="balance__item">
              <dt>Balance</dt>
              <dd data-testid="balance" data-amount={data.balance}>
                {formatAmountText(data.balance, data.currency)}
              </dd>
            </div>
            <div className="balance__item balance__item--primary">
              <dt>Available</dt>
              <dd data-testid="available-balance" data-amount={data.available_balance}>
                {formatAmountText(data.available_balance, data.currency)}
              </dd>
            </div>
          </dl>
          <p className="muted balance__note" data-testid="balance-held">
            <HeldExplanation balance={data.balance} available={data.available_balance} currency={data.currency} />
          </p>
          <p className="muted balance__updated">Updated at {formatTimeZone(new Date(balance.dataUpdatedAt))}</p>
        </>
      )}
    </section>
  );
}

function HeldExplanation({ balance, available, currency }: { balance: string; available: string; currency: string }) {
  const balanceMinor = amountTextToMinor(balance);
  const availableMinor = amountTextToMinor(available);
  if (balanceMinor === null || availableMinor === null || balanceMinor === availableMinor) {
    return <>All of your balance is available.</>;
  }
  return (
    <>
      <strong>{formatMinor(balanceMinor - availableMinor, currency)}</strong> is held for pending withdrawals, so you
      can withdraw up to {formatAmountText(available, currency)} now.
    </>
  );
}

function RecentTransactions({ userId }: { userId: number }) {
  const recent = useRecentTransactions(userId);
  return (
    <section className="card" aria-labelledby="recent-title" aria-busy={recent.isFetching}>
      <div className="card__header">
        <h2 id="recent-title" className="card__title">
          Recent transactions
        </h2>
        <div className="card__links">
          <Link to="/deposits">All deposits</Link>
          <Link to="/withdrawals">All withdrawals</Link>
        </div>
      </div>
      {recent.isError && (
        <ProblemAlert
          problem={problemOf(recent.error)}
          testId="recent-error"
          onRetry={() => void recent.refetch()}
          retrying={recent.isFetching}
        />
      )}
      {recent.data === undefined ? (
        !recent.isError && <p className="muted">Loading transactions…</p>
      ) : recent.data.items.length === 0 ? (
        <p className="empty" data-testid="recent-empty">
          No transactions yet. Make a deposit to get started.
        </p>
      ) : (
        <TransactionTable
          items={recent.data.items}
          caption="Your 10 most recent transactions"
          testId="recent-transactions"
        />
      )}
    </section>
  );
}
