import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Component tests only: e2e specs live in e2e/ and run through vitest.e2e.config.ts against a browser.
export default defineConfig({
  plugins: [react()],
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['test/setup.ts'],
    testTimeout: 15_000,
  },
});
