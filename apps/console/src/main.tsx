// The shared stylesheet first, so the console's own rules come after it.
import '@paygate/ui/styles.css';
import './console.css';

import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';

import { App } from './app';
import type { AppDeps } from './deps';
import { queryDefaults } from './deps';
import { DEFAULT_SETTINGS } from './settings';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

const deps: AppDeps = {
  // Bound: fetch called as a method of another object throws "Illegal invocation" in browsers.
  fetch: window.fetch.bind(window),
  baseUrl: '',
  settings: DEFAULT_SETTINGS,
  queryClient: new QueryClient({ defaultOptions: queryDefaults(DEFAULT_SETTINGS) }),
  // The Clipboard API exists only in secure contexts (https, localhost); the key panel says what to do without it.
  copyText: async (text) => {
    if (!('clipboard' in navigator)) throw new Error('no clipboard in this context');
    await navigator.clipboard.writeText(text);
  },
};

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <App deps={deps} />
    </BrowserRouter>
  </StrictMode>,
);
