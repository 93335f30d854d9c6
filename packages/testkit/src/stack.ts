import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { NODE_HEAP_FLAG } from '@paygate/config';

import type { RunInfo } from './isolated-run';

/**
 * The whole system as real processes, built apps on free ports, wired to one isolated run: api, worker,
 * bank-sim and, on request, the web app. System tests kill, restart and reconfigure them at will.
 * The apps must be built (turbo makes the e2e test tasks depend on their builds).
 */

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const STACK_WEBHOOK_SECRET = 'stack-webhook-secret-0123456789abcdef';
/** The gateway's merchant credential at the stack's bank. */
export const STACK_BANK_API_KEY = 'stack-bank-api-key-0123456789abcdef';

export type AppName = 'api' | 'worker' | 'bank' | 'web';

export interface StackOptions {
  run: RunInfo;
  /** Extra environment per app (e.g. bank delays, worker retry timings). */
  env?: Partial<Record<AppName | 'all', Record<string, string>>>;
  web?: boolean;
  /** Start the workers now (default) or leave them for the test to start. */
  startWorker?: boolean;
  /** API processes (default 1); the bank calls back the first. */
  apiCount?: number;
  /** Worker processes (default 1). */
  workerCount?: number;
  /** Extra node options per app, before the script (e.g. `--cpu-prof` for a benchmark). */
  nodeArgs?: Partial<Record<'api' | 'worker' | 'bank', string[]>>;
}

export class ManagedProcess {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private exitPromise: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: AppName,
    private readonly cwd: string,
    private readonly command: string[],
    private readonly env: Record<string, string>,
    private readonly healthUrl: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const [command = 'node', ...args] = this.command;
    const child = spawn(command, args, {
      cwd: this.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitPromise = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 5_000) this.output.splice(0, 1_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited while starting:\n${this.tail()}`);
      try {
        if ((await fetch(this.healthUrl, { signal: AbortSignal.timeout(1_000) })).status < 500) return;
      } catch {
        // Not up yet.
      }
      if (Date.now() > deadline) {
        // Never leave a half-started process behind.
        child.kill('SIGKILL');
        throw new Error(`${this.name} not healthy at ${this.healthUrl} after ${timeoutMs} ms:\n${this.tail()}`);
      }
      await sleep(100);
    }
  }

  /** Sends a signal and waits for the exit (SIGKILL is the crash test: no shutdown code runs). */
  async kill(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<number | null> {
    if (!this.running) return this.exitPromise;
    this.child?.kill(signal);
    const code = await Promise.race([this.exitPromise, sleep(timeoutMs).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      this.child?.kill('SIGKILL');
      return this.exitPromise;
    }
    return code;
  }

  async restart(): Promise<void> {
    await this.kill('SIGTERM');
    await this.start();
  }

  tail(lines = 40): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }
}

export interface Stack {
  apiUrl: string;
  /** Every API instance's URL, the first being apiUrl. */
  apiUrls: string[];
  bankUrl: string;
  bankApiKey: string;
  webUrl: string | undefined;
  workerMetricsUrl: string;
  webhookSecret: string;
  api: ManagedProcess;
  apis: ManagedProcess[];
  worker: ManagedProcess;
  workers: ManagedProcess[];
  bank: ManagedProcess;
  web: ManagedProcess | undefined;
  /** Forces a bank mode through its loopback control endpoint. */
  controlBank(control: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  for (const app of ['api', 'worker', 'bank-sim']) {
    if (!existsSync(path.join(REPO_ROOT, 'apps', app, 'dist', 'main.js')))
      throw new Error(`apps/${app} is not built: run pnpm build`);
  }
  const { run } = options;
  if (run.bankDatabaseUrl === undefined)
    throw new Error('the stack needs a bank database: createIsolatedRun({ ..., bankDatabase: true })');
  const apiCount = options.apiCount ?? 1;
  const workerCount = options.workerCount ?? 1;
  const [bankPort, webPort, ...ports] = await Promise.all(
    Array.from({ length: 2 + apiCount + workerCount }, () => freePort()),
  );
  const apiPorts = ports.slice(0, apiCount);
  const workerPorts = ports.slice(apiCount);
  const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const apiUrl = apiUrls[0] ?? '';
  const bankUrl = `http://127.0.0.1:${bankPort}`;
  const common: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: run.databaseUrl,
    AMQP_URL: run.amqpUrl,
    AMQP_PREFIX: run.amqpPrefix,
    REDIS_URL: run.redisUrl,
    REDIS_PREFIX: run.redisPrefix,
    WEBHOOK_SECRET: STACK_WEBHOOK_SECRET,
    BANK_API_KEY: STACK_BANK_API_KEY,
    API_URL: apiUrl,
    BANK_URL: bankUrl,
    ...options.env?.all,
  };
  const appDir = (name: string) => path.join(REPO_ROOT, 'apps', name);
  const bank = new ManagedProcess(
    'bank',
    appDir('bank-sim'),
    ['node', NODE_HEAP_FLAG, ...(options.nodeArgs?.bank ?? []), 'dist/main.js'],
    {
      ...common,
      BANK_PORT: String(bankPort),
      BANK_HOST: '127.0.0.1',
      BANK_DATABASE_URL: run.bankDatabaseUrl,
      BANK_CALLBACK_URL: `${apiUrl}/webhooks/bank-callback`,
      BANK_MIN_DELAY_MS: '5',
      BANK_MAX_DELAY_MS: '30',
      BANK_SUCCESS_RATE: '1',
      BANK_SEED: run.runId,
      BANK_WEBHOOK_RETRY_BASE_MS: '50',
      BANK_WEBHOOK_RETRY_CAP_MS: '1000',
      ...options.env?.bank,
    },
    `${bankUrl}/health`,
  );
  const apis = apiPorts.map(
    (port) =>
      new ManagedProcess(
        'api',
        appDir('api'),
        ['node', NODE_HEAP_FLAG, ...(options.nodeArgs?.api ?? []), 'dist/main.js'],
        {
          ...common,
          API_PORT: String(port),
          API_HOST: '127.0.0.1',
          // The web app's origin on this run's port: its session cookie's changes must come from there.
          WEB_ORIGINS: `http://127.0.0.1:${webPort},http://localhost:${webPort}`,
          ...options.env?.api,
        },
        `http://127.0.0.1:${port}/health`,
      ),
  );
  const workers = workerPorts.map(
    (port) =>
      new ManagedProcess(
        'worker',
        appDir('worker'),
        ['node', NODE_HEAP_FLAG, ...(options.nodeArgs?.worker ?? []), 'dist/main.js'],
        {
          ...common,
          WORKER_METRICS_PORT: String(port),
          WORKER_METRICS_HOST: '127.0.0.1',
          AMQP_QUEUE_EXPIRES_MS: '3600000',
          ...options.env?.worker,
        },
        `http://127.0.0.1:${port}/health`,
      ),
  );
  const web = options.web
    ? new ManagedProcess(
        'web',
        appDir('web'),
        ['node', 'node_modules/vite/bin/vite.js', 'preview', '--strictPort'],
        { ...common, WEB_PORT: String(webPort), ...options.env?.web },
        `http://127.0.0.1:${webPort}/`,
      )
    : undefined;
  const started: ManagedProcess[] = [];
  try {
    for (const process of [bank, ...apis, ...(options.startWorker === false ? [] : workers), ...(web ? [web] : [])]) {
      await process.start();
      started.push(process);
    }
  } catch (error) {
    await Promise.all(started.map((process) => process.kill('SIGKILL')));
    throw error;
  }
  const [api, worker] = [apis[0], workers[0]];
  if (api === undefined || worker === undefined) throw new Error('a stack has at least one api and one worker');
  return {
    apiUrl,
    apiUrls,
    bankUrl,
    bankApiKey: STACK_BANK_API_KEY,
    webUrl: web ? `http://127.0.0.1:${webPort}` : undefined,
    workerMetricsUrl: `http://127.0.0.1:${workerPorts[0]}/metrics`,
    webhookSecret: STACK_WEBHOOK_SECRET,
    api,
    apis,
    worker,
    workers,
    bank,
    web,
    controlBank: async (control) => {
      const response = await fetch(`${bankUrl}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${STACK_BANK_API_KEY}` },
        body: JSON.stringify(control),
      });
      if (!response.ok)
        throw new Error(`bank control refused ${JSON.stringify(control)}: ${response.status} ${await response.text()}`);
    },
    stop: async () => {
      await Promise.all(
        [web, ...workers, ...apis, bank]
          .filter((process): process is ManagedProcess => process !== undefined)
          .map((process) => process.kill('SIGTERM')),
      );
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
