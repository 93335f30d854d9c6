import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

/**
 * The web app's configuration: the only file that reads the environment. `dev` and `start` (vite preview)
 * serve the SPA on WEB_PORT and forward the API's public paths to API_URL, so the browser only ever talks
 * to its own origin (no CORS, and the API key never leaves for another host).
 */

const PROXIED_PATHS = ['/api', '/webhooks', '/health', '/docs', '/openapi.json'] as const;
/** Longest the proxy waits for the API before answering 504; the SPA's own request timeout is shorter. */
const PROXY_TIMEOUT_MS = 30_000;

export default defineConfig(({ mode }) => {
  // An empty prefix makes loadEnv return process.env merged with any .env files of this folder.
  const env = loadEnv(mode, import.meta.dirname, '');
  const apiUrl = readUrl(env, 'API_URL', 'http://127.0.0.1:8000');
  const port = readPort(env, 'WEB_PORT', 5500);
  const proxy = Object.fromEntries(
    PROXIED_PATHS.map((path) => [
      path,
      { target: apiUrl, xfwd: true, timeout: PROXY_TIMEOUT_MS, proxyTimeout: PROXY_TIMEOUT_MS },
    ]),
  );
  const server = { host: '0.0.0.0', port, strictPort: true, proxy };
  return {
    plugins: [react()],
    // 'spa' makes both servers answer deep links such as /deposits/5 with index.html.
    appType: 'spa',
    server,
    preview: server,
    build: { outDir: 'dist', sourcemap: true, emptyOutDir: true },
  };
});

function readUrl(env: Record<string, string>, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return url.origin;
  } catch {
    throw new Error(`${name} must be an http(s) URL such as ${fallback}, got "${value}"`);
  }
}

function readPort(env: Record<string, string>, name: string, fallback: number): number {
  const text = env[name] ?? String(fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new Error(`${name} must be a TCP port 1-65535, got "${text}"`);
  }
  return value;
}
