import { EMAIL_LENGTH_MAX } from '@paygate/domain/limits';
import { formatAmountText, Pagination, useCursorStack } from '@paygate/ui';
import type { SubmitEvent } from 'react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { Problem } from '../components/Problem';
import { Time } from '../components/Time';
import { userPath } from '../paths';
import { useUsers } from '../queries';

/** Find a user by id or part of their email; each row opens the user with their money and keys. */
export function UsersPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q')?.trim() ?? '';
  return (
    <>
      <title>Users · Paygate Console</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Users</h1>
      </div>
      <UserSearch key={search} search={search} onSearch={(q) => setParams(q === '' ? {} : { q })} />
      <UserPages key={`pages-${search}`} search={search === '' ? undefined : search} />
    </>
  );
}

function UserSearch({ search, onSearch }: { search: string; onSearch: (q: string) => void }) {
  const [q, setQ] = useState(search);
  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(q.trim());
  }
  return (
    <form className="card filters filters--inline" role="search" aria-label="Users" onSubmit={onSubmit} noValidate>
      <div className="field filters__search">
        <label htmlFor="users-q">Search users</label>
        <input
          id="users-q"
          type="search"
          value={q}
          maxLength={EMAIL_LENGTH_MAX}
          autoComplete="off"
          aria-describedby="users-q-hint"
          data-testid="users-search"
          onChange={(event) => setQ(event.target.value)}
        />
        <p id="users-q-hint" className="field__hint">
          A user id or part of an email.
        </p>
      </div>
      <button type="submit" className="button button--primary" data-testid="users-submit">
        Search
      </button>
    </form>
  );
}

function UserPages({ search }: { search: string | undefined }) {
  const pager = useCursorStack();
  const page = useUsers(search, pager.cursor);
  const data = page.data;
  const busy = page.isFetching;
  return (
    <section className="card" aria-busy={busy} aria-label="Users">
      {page.isError && (
        <Problem error={page.error} testId="users-error" onRetry={() => void page.refetch()} retrying={busy} />
      )}
      {data === undefined ? (
        !page.isError && <p className="muted">Loading users…</p>
      ) : data.items.length === 0 ? (
        <p className="empty" data-testid="users-empty">
          {search === undefined ? 'No users yet.' : 'No user matches this search.'}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="users-table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col" className="numeric">
                  Balance
                </th>
                <th scope="col" className="numeric">
                  Available
                </th>
                <th scope="col" className="numeric">
                  Held
                </th>
                <th scope="col" className="numeric">
                  Active keys
                </th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((user) => (
                <tr key={user.id} data-testid="user-row" data-user-id={user.id}>
                  <td className="cell-ellipsis">
                    <Link to={userPath(user.id)}>{user.email}</Link> <span className="muted">#{user.id}</span>
                  </td>
                  <td className="numeric">{formatAmountText(user.balance, user.currency)}</td>
                  <td className="numeric">{formatAmountText(user.available_balance, user.currency)}</td>
                  <td className="numeric">{formatAmountText(user.held, user.currency)}</td>
                  <td className="numeric">{user.active_key_count}</td>
                  <td className="nowrap">
                    <Time iso={user.created_at} />
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
