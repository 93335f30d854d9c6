import type { TestProject } from 'vitest/node';

import type { RunInfo } from '@paygate/testkit';
import { createIsolatedRun } from '@paygate/testkit';

import { runMigrations } from '@paygate/db';

declare module 'vitest' {
  export interface ProvidedContext {
    run: RunInfo;
  }
}

// One fresh, migrated database (and AMQP and Redis prefixes) per e2e run, dropped afterwards. The stack a
// test file starts removes its own broker topology (see stopStack in postman.e2e.ts).
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = await createIsolatedRun({
    label: 'api_e2e',
    bankDatabase: true,
    migrate: async (url) => {
      await runMigrations(url);
    },
  });
  project.provide('run', run.info());
  return () => run.cleanup();
}
