// `pnpm db:seed`: the demo users, created through the ledger like any other user. Keys are printed once;
// a second run leaves existing users alone and says how to get a new key.
import { UserAdmin, UserAlreadyExistsError } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import { formatAmount } from '@paygate/domain';

import { cliConfig } from './cli-config';

/**
 * Outside production the demo users get well-known keys (listed in CREDENTIALS.md and the Postman
 * environment) so a newcomer can try the API at once; in production every key is random.
 */
export const DEMO_USERS = [
  { email: 'alice@example.com', openingBalanceMinor: 100_000n, demoKey: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d' },
  { email: 'bob@example.com', openingBalanceMinor: 50_000n, demoKey: 'pgk_demo_bob_1b2c3d4e5f6a7b8c9d0e' },
  { email: 'charlie@example.com', openingBalanceMinor: 0n, demoKey: 'pgk_demo_charlie_2c3d4e5f6a7b8c9d0e1f' },
] as const;

async function seed(): Promise<void> {
  const config = cliConfig();
  const prisma = createPrismaClient(config.database.url, 2);
  const admin = new UserAdmin(prisma);
  try {
    for (const demo of DEMO_USERS) {
      try {
        const apiKey = config.env === 'production' ? undefined : demo.demoKey;
        const user = await admin.createUser({
          email: demo.email,
          openingBalanceMinor: demo.openingBalanceMinor,
          currency: 'USD',
          apiKey,
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
  console.error(`seed failed: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
  process.exit(1);
});
