// `node dist/cli/migrate.js` (the compose `migrate` service, `make migrate`): creates the database when it
// is missing, then applies the pending SQL migrations. Safe to run from several containers at once: the
// runner takes an advisory lock, and an applied migration is skipped.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ensureDatabaseExists, runMigrations } from '@paygate/db';

import { ConfigError, configErrorLine } from '../config';
import { cliConfig } from './cli-config';

/**
 * In the bundle (dist/cli/migrate.js) the SQL files sit next to it in dist/migrations (copied by
 * scripts/copy-assets.mjs). Run from source with tsx, that folder does not exist and @paygate/db's own
 * default (packages/db/prisma/migrations) is the right one.
 */
const BUNDLED_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

async function migrate(): Promise<void> {
  const databaseUrl = cliConfig().database.url;
  const databaseName = new URL(databaseUrl).pathname.slice(1);
  if (await ensureDatabaseExists(databaseUrl)) console.log(`created database ${databaseName}`);
  const migrationsDir = existsSync(BUNDLED_MIGRATIONS_DIR) ? BUNDLED_MIGRATIONS_DIR : undefined;
  const result = await runMigrations(databaseUrl, { migrationsDir, log: (line) => console.log(line) });
  console.log(
    `migrations on ${databaseName}: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`,
  );
}

migrate().catch((error: unknown) => {
  // A config error names every bad variable, on one line; anything else is cut to its first line.
  const message =
    error instanceof ConfigError
      ? configErrorLine(error)
      : (String(error instanceof Error ? error.message : error).split('\n')[0] ?? '');
  console.error(`migrate failed: ${message}`);
  process.exit(1);
});
