/**
 * Global setup of the browser specs: unless WEB_URL points at a stack someone already runs
 * (PAYGATE_E2E_EXTERNAL=1), start the real one for this run - api, worker, bank-sim and the built web app
 * as processes on an isolated database, AMQP prefix and Redis prefix - and a user with money. The specs
 * read where everything is from the environment set here (test workers start after this and inherit it).
 */
import { randomUUID } from 'node:crypto';

import { runMigrations, UserAdmin } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import type { IsolatedRun, Stack } from '@paygate/testkit';
import { createIsolatedRun, startStack } from '@paygate/testkit';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.PAYGATE_E2E_EXTERNAL === '1') return () => Promise.resolve();
  let run: IsolatedRun | undefined;
  let stack: Stack | undefined;
  try {
    run = await createIsolatedRun({
      label: 'web_e2e',
      bankDatabase: true,
      migrate: async (url) => {
        await runMigrations(url);
      },
    });
    stack = await startStack({
      run: run.info(),
      web: true,
      env: {
        // Settlement takes about a second, so a person (and a spec) sees pending/processing on the page.
        bank: { BANK_MIN_DELAY_MS: '800', BANK_MAX_DELAY_MS: '1500', BANK_SUCCESS_RATE: '1' },
        api: { RATE_LIMIT_BALANCE_PER_MIN: '1000', RATE_LIMIT_TRANSACTIONS_PER_MIN: '1000', LOG_LEVEL: 'warn' },
        worker: { LOG_LEVEL: 'warn' },
      },
    });
    const prisma = createPrismaClient(run.databaseUrl, 2);
    const user = await new UserAdmin(prisma).createUser({
      email: `web-${randomUUID().slice(0, 8)}@test.paygate`,
      openingBalanceMinor: 100_000n,
      currency: 'USD',
    });
    // A second user whose integration exhausts its key's budget while the person uses the web app.
    const busy = await new UserAdmin(prisma).createUser({
      email: `busy-${randomUUID().slice(0, 8)}@test.paygate`,
      openingBalanceMinor: 1_000n,
      currency: 'USD',
    });
    await prisma.$disconnect();
    Object.assign(process.env, {
      PAYGATE_E2E_BUSY_EMAIL: busy.email,
      PAYGATE_E2E_BUSY_API_KEY: busy.apiKey,
      WEB_URL: stack.webUrl ?? '',
      API_URL: stack.apiUrl,
      PAYGATE_E2E_EMAIL: user.email,
      PAYGATE_E2E_API_KEY: user.apiKey,
      BANK_SUCCESS_RATE: '1',
    });
  } catch (error) {
    await stack?.stop();
    await run?.cleanup();
    throw error;
  }
  const started = { stack, run };
  return async () => {
    await started.stack.stop();
    await started.run.cleanup();
  };
}
