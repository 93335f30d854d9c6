import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

/**
 * The console's configuration: the only file that reads the environment. `dev` and `start` (vite preview)
 * serve the SPA on CONSOLE_PORT and forward the operator API (/api/v1/admin) to API_URL, so the browser
 * talks to one origin: the operator session cookie (Path=/api/v1/admin) is first-party and no CORS is needed.
 */

const PROXIED_PATHS = ['/api/v1/admin'] as const;
/** Longest the proxy waits for the API before answering 504; the SPA's own request timeout is shorter. */
const PROXY_TIMEOUT_MS = 30_000;

export default defineConfig(({ mode }) => {
  // An empty prefix makes loadEnv return process.env merged with any .env files of this folder.
  const env = loadEnv(mode, import.meta.dirname, '');
  const apiUrl = readUrl(env, 'API_URL', 'http://127.0.0.1:8000');
  const port = readPort(env, 'CONSOLE_PORT', 5600);
  const proxy = Object.fromEntries(
    PROXIED_PATHS.map((path) => [
      path,
      { target: apiUrl, xfwd: true, timeout: PROXY_TIMEOUT_MS, proxyTimeout: PROXY_TIMEOUT_MS },
    ]),
  );
  const server = { host: '0.0.0.0', port, strictPort: true, proxy };
  return {
    plugins: [react()],
    // 'spa' makes both servers answer deep links such as /payments/4182 with index.html.
    appType: 'spa',
    server,
    preview: server,
    build: {
      outDir: 'dist',
      sourcemap: true,
      emptyOutDir: true,
      rolldownOptions: {
        output: {
          // Libraries in chunks of their own: cached across deploys of the console's own code, and each under
          // Vite's 500 kB warning. zod comes with the contracts, whose schemas decode every answer.
          codeSplitting: {
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|@tanstack)[\\/]/ },
              { name: 'contracts', test: /node_modules[\\/]zod[\\/]|packages[\\/](contracts|domain)[\\/]/ },
              { name: 'charts', test: /node_modules[\\/](@visx|d3-[a-z-]+|internmap|classnames)[\\/]/ },
            ],
          },
        },
      },
    },
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
