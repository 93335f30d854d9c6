// The workspace config plus what shared React code needs: browser globals and the rules of hooks.
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

import workspace, { browserImportRules } from '../../eslint.config.mjs';

export default [
  ...workspace,
  reactHooks.configs.flat['recommended-latest'],
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/testing/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: browserImportRules,
  },
];
