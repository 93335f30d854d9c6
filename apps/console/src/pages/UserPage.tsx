import type { AdminUserDetailWire, RepairResultWire } from '@paygate/contracts';
import { formatAmountText, problemOf } from '@paygate/ui';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import type { IssuedKeyWire } from '../api/client';
import { KeyReveal } from '../components/KeyReveal';
import { PaymentTable } from '../components/PaymentTable';
import { Problem } from '../components/Problem';
import { ReasonDialog } from '../components/ReasonDialog';
import { ResultNote } from '../components/ResultNote';
import { MaybeTime, Time } from '../components/Time';
import { parseEntityId } from '../filters';
import { auditPathFor } from '../paths';
import { useIssueKey, useRevokeKey, useUserDetail } from '../queries';
import { useCanAct } from '../session';
import { NotFoundPage } from './NotFoundPage';

/** One user: their money, their open withdrawals, their API keys (issue, revoke) and recent payments. */
export function UserPage() {
  const { id: idText } = useParams();
  const id = parseEntityId(idText);
  if (id === null) return <NotFoundPage />;
  return <UserDetail key={id} id={id} />;
}

function UserDetail({ id }: { id: number }) {
  const user = useUserDetail(id);
  return (
    <>
      <title>{`User #${id} · Paygate Console`}</title>
      <p className="breadcrumb">
        <Link to="/users">Users</Link> / #{id}
      </p>
      {user.isError && (
        <Problem
          error={user.error}
          testId="user-error"
          onRetry={() => void user.refetch()}
          retrying={user.isFetching}
          message={problemOf(user.error).kind === 'not_found' ? `There is no user #${id}.` : undefined}
        />
      )}
      {user.data === undefined ? (
        !user.isError && (
          <>
            <h1 tabIndex={-1}>User #{id}</h1>
            <p className="muted">Loading the user…</p>
          </>
        )
      ) : (
        <UserBody user={user.data} />
      )}
    </>
  );
}

function UserBody({ user }: { user: AdminUserDetailWire }) {
  return (
    <div className="user-page" data-testid="user-detail" data-user-id={user.id}>
      <div className="page-header page-header--split">
        <div>
          <h1 tabIndex={-1} className="cell-ellipsis">
            {user.email}
          </h1>
          <p className="muted page-header__sub">
            User #{user.id} · since <Time iso={user.created_at} />
          </p>
        </div>
        <p className="page-header__links">
          <Link to={`/payments?q=${encodeURIComponent(user.email)}`}>All their payments</Link>
          <Link to={auditPathFor({ userId: user.id })}>Audit log for this user</Link>
        </p>
      </div>
      <section className="tiles" aria-label="Money">
        <div className="tile" data-testid="user-balance">
          <p className="tile__label">Balance</p>
          <p className="tile__value">{formatAmountText(user.balance, user.currency)}</p>
        </div>
        <div className="tile" data-testid="user-available">
          <p className="tile__label">Available</p>
          <p className="tile__value">{formatAmountText(user.available_balance, user.currency)}</p>
        </div>
        <div className="tile" data-testid="user-held">
          <p className="tile__label">Held by open withdrawals</p>
          <p className="tile__value">{formatAmountText(user.held, user.currency)}</p>
        </div>
        <div className="tile" data-testid="user-open-withdrawals">
          <p className="tile__label">Open withdrawals</p>
          <p className="tile__value">{user.open_withdrawals}</p>
        </div>
      </section>
      <Keys user={user} />
      <section className="card" aria-labelledby="recent-title">
        <h2 id="recent-title" className="card__title">
          Recent payments
        </h2>
        {user.recent_payments.length === 0 ? (
          <p className="empty">No payments yet.</p>
        ) : (
          <PaymentTable
            items={user.recent_payments}
            caption={`Recent payments of ${user.email}`}
            testId="user-payments"
            showUser={false}
          />
        )}
      </section>
    </div>
  );
}

function Keys({ user }: { user: AdminUserDetailWire }) {
  const canAct = useCanAct();
  const issue = useIssueKey(user.id);
  const revoke = useRevokeKey(user.id);
  const [dialog, setDialog] = useState<{ kind: 'issue' } | { kind: 'revoke'; prefix: string } | null>(null);
  // The new key lives here only, and only until "I have stored it" or leaving the page.
  const [issued, setIssued] = useState<IssuedKeyWire | null>(null);
  const [result, setResult] = useState<RepairResultWire | null>(null);

  return (
    <section className="card" aria-labelledby="keys-title" data-testid="user-keys">
      <div className="card__header">
        <h2 id="keys-title" className="card__title">
          API keys
        </h2>
        {canAct && issued === null && (
          <button
            type="button"
            className="button button--secondary"
            data-testid="issue-key"
            onClick={() => {
              issue.reset();
              setResult(null);
              setDialog({ kind: 'issue' });
            }}
          >
            Issue a new key
          </button>
        )}
      </div>
      {issued !== null && <KeyReveal apiKey={issued.api_key} prefix={issued.prefix} onDone={() => setIssued(null)} />}
      {result !== null && <ResultNote result={result} testId="revoke-result" />}
      {user.keys.length === 0 ? (
        <p className="empty">No keys.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table--compact" data-testid="keys-table">
            <caption className="visually-hidden">API keys of {user.email}</caption>
            <thead>
              <tr>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
                {canAct && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {user.keys.map((key) => (
                <tr
                  key={key.prefix}
                  data-testid="key-row"
                  data-prefix={key.prefix}
                  data-revoked={key.revoked_at !== null}
                >
                  <td className="mono">{key.prefix}…</td>
                  <td className="nowrap">
                    <Time iso={key.created_at} />
                  </td>
                  <td>
                    {key.revoked_at === null ? (
                      <span className="tag tag--ok">Active</span>
                    ) : (
                      <span className="tag tag--muted">
                        Revoked <MaybeTime iso={key.revoked_at} />
                      </span>
                    )}
                  </td>
                  {canAct && (
                    <td>
                      {key.revoked_at === null && (
                        <button
                          type="button"
                          className="button button--danger-outline button--small"
                          data-testid="revoke-key"
                          aria-label={`Revoke key ${key.prefix}`}
                          onClick={() => {
                            revoke.reset();
                            setResult(null);
                            setDialog({ kind: 'revoke', prefix: key.prefix });
                          }}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === 'issue' && (
        <ReasonDialog
          title={`Issue a new key for ${user.email}`}
          description={
            <p>
              A new API key is created and shown to you once. The user&apos;s other keys keep working; revoke them
              separately.
            </p>
          }
          confirmLabel="Issue key"
          pending={issue.isPending}
          error={issue.error}
          testId="issue-dialog"
          onCancel={() => setDialog(null)}
          onConfirm={(reason) =>
            issue.mutate(reason, {
              onSuccess: (key) => {
                setDialog(null);
                setIssued(key);
              },
            })
          }
        />
      )}
      {dialog?.kind === 'revoke' && (
        <ReasonDialog
          title={`Revoke key ${dialog.prefix}…`}
          description={<p>Every call with this key is refused from now on. This cannot be undone.</p>}
          confirmLabel="Revoke key"
          tone="danger"
          pending={revoke.isPending}
          error={revoke.error}
          testId="revoke-dialog"
          onCancel={() => setDialog(null)}
          onConfirm={(reason) =>
            revoke.mutate(
              { prefix: dialog.prefix, reason },
              {
                onSuccess: (answer) => {
                  setDialog(null);
                  setResult(answer);
                },
              },
            )
          }
        />
      )}
    </section>
  );
}
