import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client';

export { PrismaClient } from './generated/prisma/client';
export type * from './generated/prisma/client';

/** The Prisma client over a bounded pg pool (Prisma 7 runs without a native engine through the adapter). */
export function createPrismaClient(connectionString: string, poolSizeMax = 5): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSizeMax }) });
}
