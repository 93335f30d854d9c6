import { defineConfig } from 'prisma/config';

// The datasource is declared only when DATABASE_URL is set: `prisma generate` needs none, and Prisma 7
// refuses to start without one otherwise.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
