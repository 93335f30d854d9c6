// `pnpm db:seed`: the demo users, created through the ledger like any other user. Keys are printed once;
// a second run leaves existing users alone and says how to get a new key. Refused in production.
import { UserAdmin, UserAlreadyExistsError } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import { assert, formatAmount } from '@paygate/domain';

import { ConfigError, configErrorLine, readNodeEnv } from '../config';
import { DEMO_USERS, isDemoApiKey } from '../services/demo-users';
import { cliConfig } from './cli-config';

const PRODUCTION_REFUSAL =
  'seed refused: NODE_ENV=production. The demo users get opening balances posted from clearing (money created from nothing) and public keys; create real users with pnpm paygate user create.';

async function seed(): Promise<void> {
  // Decided before any other variable is read or any connection made, so nothing is touched.
  if (readNodeEnv() === 'production') {
    console.error(PRODUCTION_REFUSAL);
    process.exitCode = 1;
    return;
  }
  const config = cliConfig();
  const prisma = createPrismaClient(config.database.url, 2);
  const admin = new UserAdmin(prisma);
  try {
    for (const demo of DEMO_USERS) {
      assert(isDemoApiKey(demo.demoKey), 'a demo key carries the demo prefix, or production would accept it');
      try {
        const user = await admin.createUser({
          email: demo.email,
          openingBalanceMinor: demo.openingBalanceMinor,
          currency: 'USD',
          apiKey: demo.demoKey,
        });
        console.log(
          `created ${user.email.padEnd(22)} id ${String(user.id).padEnd(4)} balance ${formatAmount(user.balanceMinor).padStart(8)} USD  api key: ${user.apiKey}`,
        );
      } catch (error) {
        if (!(error instanceof UserAlreadyExistsError)) throw error;
        console.log(
          `exists  ${demo.email.padEnd(22)} (key not shown again; new one: pnpm paygate key rotate --email ${demo.email})`,
        );
      }
    }
  } finally {
    await prisma.$disconnect();
  }
}

seed().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? configErrorLine(error)
      : error instanceof Error
        ? (error.message.split('\n')[0] ?? '')
        : String(error);
  console.error(`seed failed: ${message}`);
  process.exit(1);
});
