// One flat config for the whole workspace; each package runs `eslint .` from its own folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * For code that runs in browsers (contracts, ui, the two SPAs; the last three apply it in their own configs):
 * @paygate/domain by subpath only, since the package root also exports server-only modules (node:net in the
 * webhook address rule), which once broke the console's bundle.
 */
export const browserImportRules = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: '@paygate/domain',
          message: "Import a subpath (e.g. '@paygate/domain/money'): the root pulls server-only modules.",
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/src/generated/**',
      '**/artifacts/**',
      '**/*.mjs',
      '**/*.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allow: [{ from: 'lib', name: 'BigInt' }] },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      // Configuration is read once, in each app's config.ts; anywhere else process.env is a hidden input.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in config.ts only.' },
      ],
    },
  },
  {
    files: [
      '**/config.ts',
      '**/cli/config.ts',
      '**/test/**',
      '**/*.test.ts',
      '**/*.test.tsx',
      'scripts/**',
      '**/e2e/**',
      '**/vitest.config.ts',
      '**/prisma.config.ts',
      '**/testkit/src/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['packages/contracts/src/**'],
    rules: browserImportRules,
  },
  {
    files: ['**/test/**', '**/*.test.ts', '**/*.test.tsx', '**/e2e/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read untyped JSON answers; asserting on them is the point, so `any` flows there by design.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
