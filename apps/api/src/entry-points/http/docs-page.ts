import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderApiReference } from '@scalar/client-side-rendering';
import type { RequestHandler } from 'express';
import { Router } from 'express';

import { IDEMPOTENCY_KEY_SAMPLE } from '@paygate/contracts';
import { assert } from '@paygate/domain';

/**
 * GET /docs: Scalar's API reference over /openapi.json, with its browser bundle served by the API itself
 * from /scalar-assets (no CDN: the page must work where only this server can be reached). The page is
 * rendered once; its inline script, which starts Scalar, is allowed by its hash in the Content-Security-
 * Policy (app.ts), so no script the server did not write can run there.
 */

export const SCALAR_BUNDLE_URL = '/scalar-assets/standalone.js';

/** Paygate's icon, so a browser showing /docs (which asks for /favicon.ico whatever the page says) gets one. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f5eff"/><path d="M11 25V8h6.5a5 5 0 0 1 0 10H11" fill="none" stroke="#fff" stroke-width="3.5" stroke-linejoin="round"/></svg>';

export interface DocsPage {
  html: string;
  /** CSP sources ('sha256-...') for the page's inline scripts. */
  scriptHashes: string[];
  /** False when the Scalar bundle is nowhere to be found (a build that skipped copy-assets): the page stays blank. */
  bundleFound: boolean;
  router: Router;
}

export function buildDocsPage(options: { demoApiKey: string | undefined }): DocsPage {
  const html = renderApiReference({
    pageTitle: 'Paygate API reference',
    cdn: SCALAR_BUNDLE_URL,
    config: {
      url: '/openapi.json',
      theme: 'default',
      favicon: '/favicon.svg',
      layout: 'modern',
      // Scalar's defaults reach for its own hosts (fonts, telemetry, the agent); this page stays on ours.
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: 'never',
      documentDownloadType: 'json',
      // The document's own samples (curl, JavaScript, Python: x-codeSamples) instead of generated ones.
      hiddenClients: true,
      hideModels: false,
      // Outside production "Try it" starts with alice's public demo key (CREDENTIALS.md); in production
      // demo keys open nothing, so nothing is prefilled.
      authentication:
        options.demoApiKey === undefined
          ? { preferredSecurityScheme: 'ApiKey' }
          : { preferredSecurityScheme: 'ApiKey', securitySchemes: { ApiKey: { value: options.demoApiKey } } },
      onBeforeRequest: freshIdempotencyKey,
    },
  });
  const scriptHashes = inlineScripts(html).map(
    (script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`,
  );
  assert(scriptHashes.length > 0, 'the docs page starts Scalar with an inline script');
  const router = Router();
  const page: RequestHandler = (_req, res) => {
    res.type('html').send(html);
  };
  router.get(['/docs', '/docs/'], page);
  router.get(['/favicon.svg', '/favicon.ico'], (_req, res) => {
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=86400');
    res.send(FAVICON_SVG);
  });
  const bundle = scalarBundlePath();
  if (bundle !== undefined) {
    router.get(SCALAR_BUNDLE_URL, (_req, res) => {
      // The path is ours, not the client's; from source it runs through node_modules/.pnpm, a dot-folder.
      res.sendFile(bundle, { maxAge: '1d', dotfiles: 'allow' });
    });
  }
  return { html, scriptHashes, bundleFound: bundle !== undefined, router };
}

/**
 * "Try it" hook, run in the browser before a request is sent (Scalar serializes it into the page, so it
 * refers to nothing outside its own body). A create whose Idempotency-Key is empty or still the
 * documented sample gets a fresh UUID, so each send is a new deposit; a key the reader typed is kept, so a
 * replay can be tried too. crypto.randomUUID exists only in secure contexts (https, localhost); elsewhere
 * a v4 UUID is made from getRandomValues.
 */
const freshIdempotencyKey = ({ requestBuilder }: { requestBuilder: unknown }): void => {
  const request = requestBuilder as { method?: string; path?: { raw?: string }; headers?: Headers };
  const isCreate = request.method === 'POST' && /\/api\/v1\/(deposits|withdrawals)\/?$/.test(request.path?.raw ?? '');
  if (!isCreate || request.headers === undefined) return;
  const key = (request.headers.get('Idempotency-Key') ?? '').trim();
  if (key !== '' && key !== 'b7f3c1e2-4d5a-4f6b-9c8d-0e1f2a3b4c5d') return;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  request.headers.set('Idempotency-Key', uuid);
};
// The hook cannot import the sample it replaces: it runs in the browser as its own source text.
assert(
  freshIdempotencyKey.toString().includes(IDEMPOTENCY_KEY_SAMPLE),
  'the Try it hook names the documented sample key',
);

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
}

/**
 * The built API carries the bundle in dist/scalar-assets (scripts/copy-assets.mjs), so the production image
 * needs no @scalar/api-reference; from source (tsx, tests) it is read from the dev dependency.
 */
function scalarBundlePath(): string | undefined {
  const built = fileURLToPath(new URL('./scalar-assets/standalone.js', import.meta.url));
  if (existsSync(built)) return built;
  try {
    const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
    const fromPackage = path.join(path.dirname(entry), 'browser', 'standalone.js');
    return existsSync(fromPackage) ? fromPackage : undefined;
  } catch {
    return undefined;
  }
}
