import type { NavItem } from '@paygate/ui';
import { Shell } from '@paygate/ui';
import { useState } from 'react';
import { Outlet } from 'react-router';

import { useOperator, useSession } from '../session';

const NAV: readonly NavItem[] = [
  { to: '/', label: 'Overview', testId: 'nav-overview', end: true },
  { to: '/payments', label: 'Payments', testId: 'nav-payments' },
  { to: '/dead-letters', label: 'Dead letters', testId: 'nav-dead-letters' },
  { to: '/users', label: 'Users', testId: 'nav-users' },
  { to: '/ledger', label: 'Ledger', testId: 'nav-ledger' },
  { to: '/audit', label: 'Audit log', testId: 'nav-audit' },
  { to: '/runbook', label: 'Runbook', testId: 'nav-runbook' },
];

/** The frame of every console page: navigation, who is logged in with their role, and "Log out". */
export function Layout() {
  const operator = useOperator();
  const { logOut } = useSession();
  const [leaving, setLeaving] = useState(false);
  return (
    <Shell
      brand="Paygate Console"
      nav={NAV}
      account={
        <>
          <span className="account__email" data-testid="operator-email" title={operator.email}>
            {operator.email}
          </span>
          <span className={`tag tag--role-${operator.role}`} data-testid="operator-role">
            {operator.role === 'operator' ? 'Operator' : 'Viewer'}
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="logout-button"
            disabled={leaving}
            onClick={() => {
              setLeaving(true);
              void logOut();
            }}
          >
            {leaving ? 'Logging out…' : 'Log out'}
          </button>
        </>
      }
    >
      <Outlet />
    </Shell>
  );
}
