import type { OperatorWire } from '@paygate/contracts';
import type { ApiProblem } from '@paygate/ui';
import { ApiError, problemOf } from '@paygate/ui';
import type { QueryClient } from '@tanstack/react-query';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createContext, use, useCallback, useMemo, useState } from 'react';

import { AdminClient } from './api/client';
import type { AppDeps } from './deps';

export const SESSION_ENDED_MESSAGE = 'Your session has ended, please log in again';
export const LOGGED_OUT_MESSAGE = 'You have logged out.';
const ME_KEY = ['me'] as const;

export interface Session {
  /** undefined while the first "who am I" check runs; null when nobody is logged in. */
  operator: OperatorWire | null | undefined;
  /** Why the operator is on the login page, said once. */
  notice: string | null;
  /** The start-up check failed for another reason than "not logged in" (API down): shown on the login page. */
  checkProblem: ApiProblem | null;
  api: AdminClient;
  logIn: (operator: OperatorWire) => void;
  logOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Who is logged in. The session itself is the httpOnly cookie the API set at login, which this code never
 * sees: at start it asks GET /auth/me; a 401 there means nobody is logged in. A 401 on any later call ends
 * the session: every cached answer is dropped (nothing of one operator's view stays for the next) and the
 * app returns to the login page with a notice.
 */
export function SessionProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  // Created once; everything it closes over (the query client, setNotice) is stable for the provider's life.
  const [api] = useState(
    () =>
      new AdminClient({
        baseUrl: deps.baseUrl,
        fetch: deps.fetch,
        requestTimeoutMs: deps.settings.requestTimeoutMs,
        onUnauthorized: () => endSession(queryClient, () => setNotice(SESSION_ENDED_MESSAGE)),
      }),
  );
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: async ({ signal }): Promise<OperatorWire | null> => {
      try {
        return await api.me(signal);
      } catch (error) {
        if (error instanceof ApiError && error.problem.kind === 'unauthorized') return null;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });

  const logIn = useCallback(
    (operator: OperatorWire) => {
      forgetAllButMe(queryClient);
      queryClient.setQueryData(ME_KEY, operator);
      setNotice(null);
    },
    [queryClient],
  );
  const logOut = useCallback(async () => {
    let message = LOGGED_OUT_MESSAGE;
    try {
      await api.logout();
    } catch (error) {
      // The API keeps the session until it expires if it was not told; say so rather than pretend.
      if (problemOf(error).kind !== 'unauthorized') {
        message =
          'You are logged out in this browser, but Paygate could not be told: log out again to end the session now.';
      }
    }
    endSession(queryClient, () => setNotice(message));
  }, [api, queryClient]);

  const checkProblem = me.isError ? problemOf(me.error) : null;
  const operator = me.isError ? null : me.data;
  const value = useMemo<Session>(
    () => ({ operator, notice, checkProblem, api, logIn, logOut }),
    [operator, notice, checkProblem, api, logIn, logOut],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

/** Forgets every cached answer and who is logged in; the login page comes next. */
function endSession(queryClient: QueryClient, say: () => void): void {
  forgetAllButMe(queryClient);
  queryClient.setQueryData(ME_KEY, null);
  say();
}

/**
 * Drops every cached answer but the "who am I" query, which the session provider observes: removing that
 * one too would leave the provider watching a query that is no longer in the cache.
 */
function forgetAllButMe(queryClient: QueryClient): void {
  const others = { predicate: (query: { queryKey: readonly unknown[] }) => query.queryKey[0] !== ME_KEY[0] };
  void queryClient.cancelQueries(others);
  queryClient.removeQueries(others);
}

export function useSession(): Session {
  const session = use(SessionContext);
  if (session === null) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The logged-in operator; only for pages behind <RequireOperator>. */
export function useOperator(): OperatorWire {
  const { operator } = useSession();
  if (operator === null || operator === undefined) throw new Error('useOperator must be used behind <RequireOperator>');
  return operator;
}

/** Whether the operator may change things (repairs, replays, keys); viewers only read. */
export function useCanAct(): boolean {
  return useOperator().role === 'operator';
}
