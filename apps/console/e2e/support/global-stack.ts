/**
 * Global setup of the console's browser specs: unless PAYGATE_E2E_EXTERNAL=1 (a stack someone already
 * runs, described by the variables in stack.ts), start the real one for this run - api, worker and
 * bank-sim as processes on an isolated database, AMQP prefix and Redis prefix - build the console and
 * serve it against that API, and create a user with money. The specs read where everything is from the
 * environment set here (test workers start after this and inherit it).
 */
import { randomUUID } from 'node:crypto';

import { runMigrations, UserAdmin } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import type { IsolatedRun, Stack } from '@paygate/testkit';
import { createIsolatedRun, startStack } from '@paygate/testkit';

import type { ServedApp } from './serve';
import { buildConsole, freePort, startBuiltConsole } from './serve';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.PAYGATE_E2E_EXTERNAL === '1') return () => Promise.resolve();
  let run: IsolatedRun | undefined;
  let stack: Stack | undefined;
  let served: ServedApp | undefined;
  try {
    run = await createIsolatedRun({
      label: 'console_e2e',
      bankDatabase: true,
      migrate: async (url) => {
        await runMigrations(url);
      },
    });
    // The API refuses an operator's change (login included) from an origin it does not know: the console's
    // port is chosen first, so the API can be told its origin.
    const consolePort = await freePort();
    stack = await startStack({
      run: run.info(),
      env: {
        // Settlement within a second: the specs wait for a success and a failure.
        bank: { BANK_MIN_DELAY_MS: '100', BANK_MAX_DELAY_MS: '500', BANK_SUCCESS_RATE: '1' },
        api: {
          RATE_LIMIT_BALANCE_PER_MIN: '1000',
          RATE_LIMIT_TRANSACTIONS_PER_MIN: '1000',
          LOG_LEVEL: 'warn',
          CONSOLE_ORIGINS: `http://127.0.0.1:${consolePort},http://localhost:${consolePort}`,
        },
        worker: { LOG_LEVEL: 'warn' },
      },
    });
    await buildConsole();
    served = await startBuiltConsole(stack.apiUrl, consolePort);
    const prisma = createPrismaClient(run.databaseUrl, 2);
    const user = await new UserAdmin(prisma).createUser({
      email: `console-${randomUUID().slice(0, 8)}@test.paygate`,
      openingBalanceMinor: 100_000n,
      currency: 'USD',
    });
    await prisma.$disconnect();
    Object.assign(process.env, {
      CONSOLE_URL: served.url,
      API_URL: stack.apiUrl,
      BANK_URL: stack.bankUrl,
      BANK_API_KEY: stack.bankApiKey,
      DATABASE_URL: run.databaseUrl,
      PAYGATE_E2E_EMAIL: user.email,
      PAYGATE_E2E_API_KEY: user.apiKey,
    });
  } catch (error) {
    await served?.stop();
    await stack?.stop();
    await run?.cleanup();
    throw error;
  }
  const started = { stack, run, served };
  return async () => {
    await started.served.stop();
    await started.stack.stop();
    await started.run.cleanup();
  };
}
