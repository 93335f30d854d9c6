// Bundles an app's entry points into dist/ with esbuild. Our own @paygate/* packages are TypeScript
// source, so they are bundled in; every third-party package stays external and is loaded from the
// app's node_modules at run time, so an app must list in its own package.json every third-party
// package its code or its @paygate/* packages import (the Docker images install exactly those).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';

import { build } from 'esbuild';

const entries = process.argv.slice(2);
if (entries.length === 0) {
  console.error('usage: node ../../scripts/build-app.mjs src/main.ts [src/other.ts ...]');
  process.exit(2);
}

const externals = new Set();
const externalThirdParty = {
  name: 'external-third-party',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@paygate/')) return undefined;
      externals.add(packageNameOf(args.path));
      return { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalThirdParty],
});

// A third-party import the app does not list would work here (pnpm hoists nothing, but a sibling's link
// may resolve) and fail in its Docker image: refuse the build instead.
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const declared = new Set(Object.keys(manifest.dependencies ?? {}));
const missing = [...externals].filter((name) => !declared.has(name) && !isBuiltin(name)).sort();
if (missing.length > 0) {
  console.error(`${manifest.name}: the bundle imports ${missing.join(', ')}, missing from its dependencies`);
  process.exit(1);
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(name) {
  return name.startsWith('node:') || builtinModules.includes(name);
}
