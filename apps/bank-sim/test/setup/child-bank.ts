import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { FAST_ENV } from './bank';

/**
 * The bank as its own process (`node --import tsx src/main.ts`: one process, so SIGKILL kills the bank
 * itself, not a wrapper), for what only a real process shows: a crash, a restart, a refused start-up.
 */

const APP_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));
/** A cold start under tsx on a busy machine takes a few seconds; this only bounds a broken one. */
const START_WAIT_MS = 60_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildBank {
  baseUrl: string;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): Promise<Exit>;
  output(): string;
}

/** Starts the bank and resolves once it logs that it listens (on the port it chose: BANK_PORT=0). */
export async function startChildBank(env: Record<string, string>): Promise<ChildBank> {
  const child = spawnBank({ ...FAST_ENV, LOG_LEVEL: 'info', BANK_PORT: '0', BANK_HOST: '127.0.0.1', ...env });
  let output = '';
  const exited = exitOf(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the bank did not listen within ${START_WAIT_MS} ms:\n${output}`)),
      START_WAIT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const listening = listeningPortIn(output);
      if (listening === undefined) return;
      clearTimeout(timer);
      resolve(listening);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the bank exited (${exit.code ?? exit.signal}) before it listened:\n${output}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    exited,
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
    output: () => output,
  };
}

/** Runs the bank to its end (a refused configuration) and returns how it ended and what it wrote. */
export async function runChildBankToExit(env: Record<string, string>): Promise<Exit & { stderr: string }> {
  const child = spawnBank(env);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = await exitOf(child);
  return { ...exit, stderr };
}

function spawnBank(env: Record<string, string>): ChildProcess {
  // Only what Node and tsx need from this process's environment; the bank's variables are the test's.
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR'].flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])),
  ) as Record<string, string>;
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: APP_DIRECTORY,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function listeningPortIn(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('bank simulator listening')) continue;
    const entry = JSON.parse(line) as { address?: { port?: number } };
    if (typeof entry.address?.port === 'number') return entry.address.port;
  }
  return undefined;
}
