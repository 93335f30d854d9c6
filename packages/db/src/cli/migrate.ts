// `pnpm db:migrate`: creates the database if it is missing, then applies pending migrations.
import { ensureDatabaseExists } from '../admin';
import { runMigrations } from '../migrate';
import { databaseUrlFromEnv } from './config';

async function main(): Promise<void> {
  const databaseUrl = databaseUrlFromEnv();
  if (await ensureDatabaseExists(databaseUrl))
    console.log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const result = await runMigrations(databaseUrl, { log: (line) => console.log(line) });
  console.log(`migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
}

main().catch((error: unknown) => {
  console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
