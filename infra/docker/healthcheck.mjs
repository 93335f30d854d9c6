// HEALTHCHECK of the Node images (node:20-bookworm-slim has neither curl nor wget):
//   node healthcheck.mjs <PORT_VARIABLE> <default port> [path]
// Exits 0 when http://127.0.0.1:<port><path> answers 2xx within 3 s, else 1. The port is read from the
// same variable the app listens on, so overriding it does not break the check.
const [portVariable = 'PORT', defaultPort = '8000', path = '/health'] = process.argv.slice(2);
const port = process.env[portVariable] || defaultPort;

try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
