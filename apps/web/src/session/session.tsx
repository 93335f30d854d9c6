import type { UserWire } from '@paygate/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createContext, use, useCallback, useEffect, useMemo, useState } from 'react';

import { ApiClient } from '../api/client';
import type { AppDeps } from '../deps';
import { clearSession, readSession, userOf, writeSession } from './storage';

export const SESSION_ENDED_MESSAGE = 'Your session has ended, please log in again';
export const LOGGED_OUT_MESSAGE = 'You have logged out.';

export interface Session {
  user: UserWire | null;
  /** True while GET /auth/me has not yet said whether a cookie of an earlier visit is still live. */
  checking: boolean;
  /** Said once on the login page: why the person is there. */
  notice: string | null;
  api: ApiClient;
  logIn: (user: UserWire) => void;
  logOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Owns who is logged in. The credential is the httpOnly session cookie, which no script can read; this
 * tab remembers only the user. At start GET /auth/me tells whether the cookie is live (a new tab of a
 * logged-in person opens logged in). A 401 on any call, or "Log out", forgets the user and every cached
 * answer, so nothing of one person's data is shown to the next.
 */
export function SessionProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>(() => {
    const user = readSession(deps.storage)?.user ?? null;
    return { user, notice: null, checking: user === null };
  });
  // Created once; everything it closes over (storage, the query client, setState) is stable for the provider's life.
  const [api] = useState(
    () =>
      new ApiClient({
        baseUrl: deps.baseUrl,
        fetch: deps.fetch,
        requestTimeoutMs: deps.settings.requestTimeoutMs,
        onUnauthorized: () =>
          // Nobody is logged in (a first visit, or the session already ended): nothing more to say. The
          // tab's record of who is logged in is written at login and cleared when a session ends.
          readSession(deps.storage) === null
            ? setState((current) => ({ ...current, checking: false }))
            : endSession(deps.storage, queryClient, setState, SESSION_ENDED_MESSAGE),
      }),
  );

  useEffect(() => {
    const controller = new AbortController();
    api.me(controller.signal).then(
      (answer) => {
        const user = userOf(answer);
        if (user === null) {
          setState((current) => ({ ...current, checking: false }));
          return;
        }
        writeSession(deps.storage, { user });
        setState((current) => ({ user, notice: current.notice, checking: false }));
      },
      () => {
        if (!controller.signal.aborted) setState((current) => ({ ...current, checking: false }));
      },
    );
    return () => controller.abort();
  }, [api, deps.storage]);

  const logIn = useCallback(
    (answer: UserWire) => {
      // Login's answer also echoes the API key (for the seed's clients): keep only the user's own fields.
      const { id, email, currency, created_at } = answer;
      const user: UserWire = { id, email, currency, created_at };
      queryClient.clear();
      writeSession(deps.storage, { user });
      setState({ user, notice: null, checking: false });
    },
    [deps.storage, queryClient],
  );
  const logOut = useCallback(() => {
    // The server forgets the session and clears the cookie; the page forgets at once, whatever it answers.
    api.logout().catch(() => undefined);
    endSession(deps.storage, queryClient, setState, LOGGED_OUT_MESSAGE);
  }, [api, deps.storage, queryClient]);

  const value = useMemo<Session>(() => ({ ...state, api, logIn, logOut }), [state, api, logIn, logOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

interface SessionState {
  user: UserWire | null;
  notice: string | null;
  checking: boolean;
}

/** Forgets the user and every cached answer, so nothing of one person's data is shown to the next. */
function endSession(
  storage: Storage,
  queryClient: QueryClient,
  setState: (state: SessionState) => void,
  notice: string,
): void {
  clearSession(storage);
  void queryClient.cancelQueries();
  queryClient.clear();
  setState({ user: null, notice, checking: false });
}

export function useSession(): Session {
  const session = use(SessionContext);
  if (session === null) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The logged-in user; only for pages behind <RequireAuth>. */
export function useUser(): UserWire {
  const { user } = useSession();
  if (user === null) throw new Error('useUser must be used on a page behind <RequireAuth>');
  return user;
}
