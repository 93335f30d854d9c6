// `pnpm start`: at this stage it prepares the database (create, migrate, seed when empty). The apps are
// added as they are built.
import { spawnSync } from 'node:child_process';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('pnpm', ['db:migrate']);
run('pnpm', ['db:seed']);
