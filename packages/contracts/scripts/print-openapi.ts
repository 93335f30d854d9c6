import { buildOpenApiDocument } from '../src/openapi';

process.stdout.write(`${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
