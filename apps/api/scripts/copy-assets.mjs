// The migrate command in the built image reads the SQL migrations next to its bundle.
import { cp, rm } from 'node:fs/promises';

await rm('dist/migrations', { recursive: true, force: true });
await cp('../../packages/db/prisma/migrations', 'dist/migrations', { recursive: true });
