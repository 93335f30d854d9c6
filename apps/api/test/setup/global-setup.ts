import type { TestProject } from 'vitest/node';

import type { RunInfo } from '@paygate/testkit';
import { createIsolatedRun } from '@paygate/testkit';

import { runMigrations } from '@paygate/db';

declare module 'vitest' {
  export interface ProvidedContext {
    run: RunInfo;
  }
}

// One fresh, migrated database per test run (and an empty one for the bank simulator), dropped afterwards.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = await createIsolatedRun({
    label: 'api',
    bankDatabase: true,
    migrate: async (url) => {
      await runMigrations(url);
    },
  });
  project.provide('run', run.info());
  return () => run.cleanup();
}
