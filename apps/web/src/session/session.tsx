import type { UserWire } from '@paygate/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createContext, use, useCallback, useMemo, useState } from 'react';

import { ApiClient } from '../api/client';
import type { AppDeps } from '../deps';
import { clearSession, readSession, writeSession } from './storage';

export const SESSION_ENDED_MESSAGE = 'Your session has ended, please log in again';
export const LOGGED_OUT_MESSAGE = 'You have logged out.';

export interface Session {
  user: UserWire | null;
  /** Said once on the login page: why the person is there. */
  notice: string | null;
  api: ApiClient;
  logIn: (apiKey: string, user: UserWire) => void;
  logOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Owns who is logged in. The API client asks it for the key on every call and tells it about a 401; ending
 * a session (by a 401 or by "Log out") forgets the key and every cached answer, so nothing of one person's
 * data is shown to the next.
 */
export function SessionProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>(() => ({
    user: readSession(deps.storage)?.user ?? null,
    notice: null,
  }));

  // Created once; everything it closes over (storage, the query client, setState) is stable for the provider's life.
  const [api] = useState(
    () =>
      new ApiClient({
        baseUrl: deps.baseUrl,
        fetch: deps.fetch,
        requestTimeoutMs: deps.settings.requestTimeoutMs,
        getApiKey: () => readSession(deps.storage)?.apiKey ?? null,
        onUnauthorized: () => endSession(deps.storage, queryClient, setState, SESSION_ENDED_MESSAGE),
      }),
  );

  const logIn = useCallback(
    (apiKey: string, user: UserWire) => {
      queryClient.clear();
      writeSession(deps.storage, { apiKey, user });
      setState({ user, notice: null });
    },
    [deps.storage, queryClient],
  );
  const logOut = useCallback(
    () => endSession(deps.storage, queryClient, setState, LOGGED_OUT_MESSAGE),
    [deps.storage, queryClient],
  );

  const value = useMemo<Session>(() => ({ ...state, api, logIn, logOut }), [state, api, logIn, logOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

interface SessionState {
  user: UserWire | null;
  notice: string | null;
}

/** Forgets the key and every cached answer, so nothing of one person's data is shown to the next. */
function endSession(
  storage: Storage,
  queryClient: QueryClient,
  setState: (state: SessionState) => void,
  notice: string,
): void {
  clearSession(storage);
  void queryClient.cancelQueries();
  queryClient.clear();
  setState({ user: null, notice });
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
