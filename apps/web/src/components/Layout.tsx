import { Shell } from '@paygate/ui';
import { Outlet, useNavigate } from 'react-router';

import { LiveIndicator } from '../live/live';
import { useSession, useUser } from '../session/session';

const NAV = [
  { to: '/', label: 'Dashboard', testId: 'nav-dashboard', end: true },
  { to: '/deposits', label: 'Deposits', testId: 'nav-deposits' },
  { to: '/withdrawals', label: 'Withdrawals', testId: 'nav-withdrawals' },
  { to: '/developers', label: 'Developers', testId: 'nav-developers' },
] as const;

/** The frame of every logged-in page: brand, navigation, who is logged in, and "Log out". */
export function Layout() {
  const user = useUser();
  const { logOut } = useSession();
  const navigate = useNavigate();

  return (
    <Shell
      brand="Paygate"
      nav={NAV}
      account={
        <>
          <LiveIndicator />
          <span className="account__email" data-testid="user-email" title={user.email}>
            {user.email}
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="logout-button"
            onClick={() => {
              logOut();
              void navigate('/login', { replace: true });
            }}
          >
            Log out
          </button>
        </>
      }
    >
      <Outlet />
    </Shell>
  );
}
