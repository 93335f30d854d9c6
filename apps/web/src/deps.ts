import { isRetryable, problemOf } from '@paygate/ui';
import type { QueryClient } from '@tanstack/react-query';
import { createContext, use } from 'react';

import type { Settings } from './settings';

/** What the app needs from its surroundings; main.tsx passes the browser's, tests pass their own. */
export interface AppDeps {
  fetch: typeof fetch;
  /** '' for same-origin calls; tests point it at a local server. */
  baseUrl: string;
  storage: Storage;
  settings: Settings;
  queryClient: QueryClient;
}

export const SettingsContext = createContext<Settings | null>(null);

export function useSettings(): Settings {
  const settings = use(SettingsContext);
  if (settings === null) throw new Error('useSettings must be used inside <App>');
  return settings;
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
