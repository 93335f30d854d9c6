import { defineConfig } from 'vitest/config';

// End-to-end tests against the real stack (built api, worker and bank-sim as processes). `pnpm test` runs
// them after the in-process tests (turbo builds the apps first); `pnpm test:e2e` runs only these.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // A whole collection run, with polls until the bank settles, is far longer than a unit test.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Each file starts its own stack; the box has two cores.
    fileParallelism: false,
  },
});
