import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Builds the console and serves it the way `pnpm --filter @paygate/console start` does (vite preview), on
 * a free port, forwarding /api/v1/admin to the caller's API_URL. Everything started here is stopped by `stop`.
 */

export const CONSOLE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const BUILD_TIMEOUT_MS = 120_000;

export interface ServedApp {
  url: string;
  stop: () => Promise<void>;
}

export async function buildConsole(): Promise<void> {
  await run('pnpm', ['run', 'build'], BUILD_TIMEOUT_MS);
}

/** `port`: one chosen beforehand (the API must know the console's origin before it starts). */
export async function startBuiltConsole(apiUrl: string, port?: number): Promise<ServedApp> {
  port ??= await freePort();
  // detached: `pnpm start` runs vite as a child; the whole process group is stopped together.
  const child = spawn('pnpm', ['run', 'start'], {
    cwd: CONSOLE_DIR,
    env: { ...process.env, CONSOLE_PORT: String(port), API_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  try {
    await waitUntilServing(url, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`the built console did not start on ${url}: ${String(error)}\n${output}`);
  }
  return { url, stop };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('the server process exited');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not serving after ${READY_TIMEOUT_MS} ms`);
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: CONSOLE_DIR, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${String(code)}\n${output}`));
    });
  });
}
