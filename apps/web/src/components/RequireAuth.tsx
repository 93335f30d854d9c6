import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { useSession } from '../session/session';

/** Pages behind a login; anyone else goes to /login and comes back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, checking } = useSession();
  const location = useLocation();
  if (user === null && checking) {
    return (
      <p className="muted" role="status" data-testid="session-checking">
        Loading…
      </p>
    );
  }
  if (user === null) return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
}
