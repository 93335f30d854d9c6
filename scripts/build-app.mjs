// Bundles an app's entry points into dist/ with esbuild. Our own @paygate/* packages are TypeScript
// source, so they are bundled in; every third-party package stays external and is loaded from the
// app's node_modules at run time, so an app must list in its own package.json every third-party
// package its code or its @paygate/* packages import (the Docker images install exactly those).
import { build } from 'esbuild';

const entries = process.argv.slice(2);
if (entries.length === 0) {
  console.error('usage: node ../../scripts/build-app.mjs src/main.ts [src/other.ts ...]');
  process.exit(2);
}

const externalThirdParty = {
  name: 'external-third-party',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@paygate/')) return undefined;
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
