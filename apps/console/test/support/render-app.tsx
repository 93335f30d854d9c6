import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';

import { App } from '../../src/app';
import type { AppDeps } from '../../src/deps';
import { queryDefaults } from '../../src/deps';
import type { Settings } from '../../src/settings';
import { DEFAULT_SETTINGS } from '../../src/settings';

interface RenderOptions {
  baseUrl: string;
  path?: string;
  settings?: Partial<Settings>;
}

/** The real console, with a memory router and the real fetch aimed at a local server. */
export function renderApp({ baseUrl, path = '/', settings = {} }: RenderOptions) {
  const merged: Settings = { ...DEFAULT_SETTINGS, queryRetryCountMax: 0, ...settings };
  const copyText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve());
  const deps: AppDeps = {
    fetch: (input, init) => fetch(input, init),
    baseUrl,
    settings: merged,
    queryClient: new QueryClient({ defaultOptions: queryDefaults(merged) }),
    copyText,
  };
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <App deps={deps} />
    </MemoryRouter>,
  );
  return { ...view, deps, copyText };
}
