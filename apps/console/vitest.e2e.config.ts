import { defineConfig } from 'vitest/config';

// Browser specs: each file drives a real Chromium through playwright-core against the built console and
// the real stack (see e2e/support/global-stack.ts). One file at a time: they share the stack.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/support/global-stack.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 240_000,
  },
});
