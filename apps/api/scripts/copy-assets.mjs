// Files the built API reads next to its bundle: the SQL migrations (the migrate command in the image) and
// Scalar's browser bundle for /docs (served by the API itself, so the image needs no @scalar/api-reference).
import { cp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

await rm('dist/migrations', { recursive: true, force: true });
await cp('../../packages/db/prisma/migrations', 'dist/migrations', { recursive: true });

const scalarEntry = createRequire(import.meta.url).resolve('@scalar/api-reference');
await rm('dist/scalar-assets', { recursive: true, force: true });
await mkdir('dist/scalar-assets', { recursive: true });
await cp(path.join(path.dirname(scalarEntry), 'browser', 'standalone.js'), 'dist/scalar-assets/standalone.js');
