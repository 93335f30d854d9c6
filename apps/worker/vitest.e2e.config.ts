import { defineConfig } from 'vitest/config';

// System tests: the real stack as processes. Files run one after another: each starts its own stack,
// and the box has two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
