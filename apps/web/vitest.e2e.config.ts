import { defineConfig } from 'vitest/config';

// Browser specs: each file drives a real Chromium through playwright-core. One file at a time, since
// they share the built app, the server port and (for the stack specs) the seeded users' rate limits.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/support/global-stack.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
