// The workspace config plus what a React app needs: browser globals and the rules of hooks.
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

import workspace, { browserImportRules } from '../../eslint.config.mjs';

export default [
  ...workspace,
  reactHooks.configs.flat['recommended-latest'],
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: browserImportRules,
  },
  {
    // Vite's configs are this app's config.ts: the only place that reads the environment.
    files: ['vite.config.ts', 'vitest.e2e.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
];
