// `pnpm db:seed`: the demo users, created through the ledger like any other user. Keys are printed once;
// a second run leaves existing users alone and says how to get a new key.
import { UserAdmin, UserAlreadyExistsError } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import { formatAmount } from '@paygate/domain';

import { cliConfig } from './cli-config';

export const DEMO_USERS = [
  { email: 'alice@example.com', openingBalanceMinor: 100_000n },
  { email: 'bob@example.com', openingBalanceMinor: 50_000n },
  { email: 'charlie@example.com', openingBalanceMinor: 0n },
] as const;

async function seed(): Promise<void> {
  const prisma = createPrismaClient(cliConfig().database.url, 2);
  const admin = new UserAdmin(prisma);
  try {
    for (const demo of DEMO_USERS) {
      try {
        const user = await admin.createUser({ email: demo.email, openingBalanceMinor: demo.openingBalanceMinor, currency: 'USD' });
        console.log(`created ${user.email.padEnd(22)} id ${String(user.id).padEnd(4)} balance ${formatAmount(user.balanceMinor).padStart(8)} USD  api key: ${user.apiKey}`);
      } catch (error) {
        if (!(error instanceof UserAlreadyExistsError)) throw error;
        console.log(`exists  ${demo.email.padEnd(22)} (key not shown again; new one: pnpm paygate key rotate --email ${demo.email})`);
      }
    }
  } finally {
    await prisma.$disconnect();
  }
}

seed().catch((error: unknown) => {
  console.error(`seed failed: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}`);
  process.exit(1);
});
