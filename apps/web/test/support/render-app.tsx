import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';

import { App } from '../../src/app';
import type { AppDeps } from '../../src/deps';
import { queryDefaults } from '../../src/deps';
import { writeSession } from '../../src/session/storage';
import type { Settings } from '../../src/settings';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { ALICE } from './fixtures';

interface RenderOptions {
  baseUrl: string;
  path?: string;
  loggedIn?: boolean;
  settings?: Partial<Settings>;
}

/** The real app, with a memory router, the real fetch aimed at a local server, and jsdom's sessionStorage. */
export function renderApp({ baseUrl, path = '/', loggedIn = true, settings = {} }: RenderOptions) {
  const merged: Settings = { ...DEFAULT_SETTINGS, queryRetryCountMax: 0, ...settings };
  if (loggedIn) writeSession(window.sessionStorage, { user: ALICE });
  const deps: AppDeps = {
    fetch: (input, init) => fetch(input, init),
    baseUrl,
    storage: window.sessionStorage,
    settings: merged,
    queryClient: new QueryClient({ defaultOptions: queryDefaults(merged) }),
  };
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <App deps={deps} />
    </MemoryRouter>,
  );
  return { ...view, deps };
}
