import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import { NavLink, useLocation } from 'react-router';

export interface NavItem {
  to: string;
  label: string;
  testId: string;
  /** Active only on this exact path (for "/"), not on the paths below it. */
  end?: boolean;
}

interface ShellProps {
  /** The product's name next to the mark, e.g. "Paygate" or "Paygate Console". */
  brand: string;
  nav: readonly NavItem[];
  /** Who is logged in and the way out, at the right of the top bar. */
  account: ReactNode;
  children: ReactNode;
}

/**
 * The frame of every logged-in page of both apps: a skip link, the brand, the main navigation, the account
 * area, and the main region. After a client-side navigation, focus moves to the new page's heading, as a
 * page load would for a screen reader. Its width is the CSS variable --shell-width (1120px by default).
 */
export function Shell({ brand, nav, account, children }: ShellProps) {
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
            {brand}
          </span>
          <nav aria-label="Main" className="nav">
            {nav.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.end === true} data-testid={item.testId}>
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="account">{account}</div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

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
