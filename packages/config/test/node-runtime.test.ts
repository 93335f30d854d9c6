import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { NODE_HEAP_FLAG } from '../src/node-runtime';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const NODE_APPS = ['api', 'worker', 'bank-sim'];

describe('the heap limit of the Node apps', () => {
  it.each(NODE_APPS)('is the one the %s image and start script use', (app) => {
    const dockerfile = readFileSync(path.join(ROOT, 'apps', app, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`NODE_OPTIONS=${NODE_HEAP_FLAG}`);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'apps', app, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.start).toBe(`node ${NODE_HEAP_FLAG} dist/main.js`);
  });
});
