import { isRetryable, problemOf } from '@paygate/ui';
import type { QueryClient } from '@tanstack/react-query';
import { createContext, use } from 'react';

import type { Settings } from './settings';

/** What the console needs from its surroundings; main.tsx passes the browser's, tests pass their own. */
export interface AppDeps {
  fetch: typeof fetch;
  /** '' for same-origin calls; tests point it at a local server. */
  baseUrl: string;
  settings: Settings;
  queryClient: QueryClient;
  /** Copies a new API key; the browser's clipboard in main.tsx. */
  copyText: (text: string) => Promise<void>;
}

export const DepsContext = createContext<AppDeps | null>(null);

export function useDeps(): AppDeps {
  const deps = use(DepsContext);
  if (deps === null) throw new Error('useDeps must be used inside <App>');
  return deps;
}

export function useSettings(): Settings {
  return useDeps().settings;
}

/** Query defaults: a GET that failed on the network is tried again a bounded number of times, nothing else is. */
export function queryDefaults(settings: Settings) {
  return {
    queries: {
      staleTime: settings.staleTimeMs,
      refetchOnWindowFocus: true,
      retry: (failureCount: number, error: unknown) =>
        failureCount < settings.queryRetryCountMax && isRetryable(problemOf(error)),
    },
    mutations: { retry: false },
  } as const;
}
