// Creates N bench users with 1000.00 each through the same code as the CLI, printing one key per line.
import { UserAdmin } from '../../packages/db/src/index';
import { createPrismaClient } from '../../packages/db/src/prisma';

const count = Number(process.argv[2] ?? 10);
const prisma = createPrismaClient(process.env.DATABASE_URL ?? '', 4);
const admin = new UserAdmin(prisma);
for (let index = 0; index < count; index += 1) {
  const user = await admin.createUser({
    email: `bench-${index}@bench.paygate`,
    openingBalanceMinor: 100_000n,
    currency: 'USD',
  });
  console.log(user.apiKey);
}
await prisma.$disconnect();
