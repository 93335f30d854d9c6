import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';

import { useSession, useUser } from '../session/session';

/** The frame of every logged-in page: brand, navigation, who is logged in, and "Log out". */
export function Layout() {
  const user = useUser();
  const { logOut } = useSession();
  const navigate = useNavigate();
  useFocusHeadingOnNavigation();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <span className="brand">
            <span className="brand__mark" aria-hidden="true">
              P
            </span>
            Paygate
          </span>
          <nav aria-label="Main" className="nav">
            <NavLink to="/" end data-testid="nav-dashboard">
              Dashboard
            </NavLink>
            <NavLink to="/deposits" data-testid="nav-deposits">
              Deposits
            </NavLink>
            <NavLink to="/withdrawals" data-testid="nav-withdrawals">
              Withdrawals
            </NavLink>
          </nav>
          <div className="account">
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
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** After a client-side navigation, move focus to the new page's heading, as a page load would for a screen reader. */
function useFocusHeadingOnNavigation(): void {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    heading?.focus();
  }, [pathname]);
}
