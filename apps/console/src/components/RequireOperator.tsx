import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { useSession } from '../session';

/** Pages behind a login; anyone else goes to /login and comes back here afterwards. */
export function RequireOperator({ children }: { children: ReactNode }) {
  const { operator } = useSession();
  const location = useLocation();
  if (operator === undefined) {
    return (
      <p className="splash muted" role="status" data-testid="session-checking">
        Checking your session…
      </p>
    );
  }
  if (operator === null) {
    return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return children;
}
