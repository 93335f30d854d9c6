import { defineConfig } from 'vitest/config';

// Generous bounds: tests wait for states, so a passing test never takes them; a busy machine may need them.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } });
