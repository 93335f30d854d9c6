import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import pino from 'pino';

import type { BankControl, BankOrder, BankOrderRequest } from '@paygate/contracts';
import { createIsolatedRun, waitFor } from '@paygate/testkit';

import { startBankSim } from '../../src/bank-sim';
import type { BankSim } from '../../src/bank-sim';
import { loadConfig } from '../../src/config';
import type { BankConfig } from '../../src/config';
import type { Bank } from '../../src/services/bank';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const TEST_BANK_API_KEY = 'test-bank-api-key-0123456789';
/** How long a wait for a state may take before the test fails: generous, since a passing test never waits it. */
export const STATE_WAIT_MS = 15_000;

/** Tiny delays so a whole suite of settle-and-deliver round trips stays fast. */
export const FAST_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  BANK_API_KEY: TEST_BANK_API_KEY,
  BANK_SEED: 'bank-sim-tests',
  BANK_MIN_DELAY_MS: '5',
  BANK_MAX_DELAY_MS: '20',
  BANK_SUCCESS_RATE: '1',
  BANK_WEBHOOK_TIMEOUT_MS: '2000',
  BANK_WEBHOOK_RETRY_BASE_MS: '5',
  BANK_WEBHOOK_RETRY_CAP_MS: '20',
  BANK_HANG_MS: '1500',
  BANK_SWEEP_INTERVAL_MS: '250',
  BANK_DATABASE_POOL_SIZE_MAX: '4',
};

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** `credential: null` sends no Authorization header; a string sends that one instead of the right one. */
export interface CallOptions {
  credential?: string | null;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface TestBank {
  baseUrl: string;
  bank: Bank;
  sim: BankSim;
  config: BankConfig;
  post(body: unknown, headers?: Record<string, string>, options?: CallOptions): Promise<HttpAnswer>;
  get(path: string, options?: CallOptions): Promise<HttpAnswer>;
  control(body: BankControl, options?: CallOptions): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export interface TestRun {
  bankDatabaseUrl: string;
  /** The server's maintenance database, to create or drop more databases. */
  adminDatabaseUrl: string;
  cleanup(): Promise<void>;
}

/** A database of the bank's own for this test file (or test), dropped by cleanup(). */
export async function createTestRun(label: string): Promise<TestRun> {
  const run = await createIsolatedRun({ label: `bank_${label}`, bankDatabase: true });
  if (run.bankDatabaseUrl === undefined) throw new Error('the isolated run has no bank database');
  return { bankDatabaseUrl: run.bankDatabaseUrl, adminDatabaseUrl: run.adminDatabaseUrl, cleanup: () => run.cleanup() };
}

/** Runs the bank in-process on port 0 against `databaseUrl`; `env` overrides the fast test defaults. */
export async function startBank(options: {
  databaseUrl: string;
  callbackUrl: string;
  env?: Record<string, string>;
  host?: string;
  /** Changes a fixed limit that no variable sets (a test that needs a wider window, say). */
  adjust?: (config: BankConfig) => BankConfig;
}): Promise<TestBank> {
  const loaded = loadConfig({
    ...FAST_ENV,
    BANK_DATABASE_URL: options.databaseUrl,
    BANK_CALLBACK_URL: options.callbackUrl,
    ...options.env,
  });
  const config = options.adjust === undefined ? loaded : options.adjust(loaded);
  const sim = await startBankSim({ config, logger: pino({ level: 'silent' }) });
  const server = await listen(sim, options.host ?? '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    bank: sim.bank,
    sim,
    config,
    post: (body, headers = {}, callOptions = {}) =>
      call(`${baseUrl}/v1/payments`, 'POST', JSON.stringify(body), { ...callOptions, headers }),
    get: (path, callOptions = {}) => call(`${baseUrl}${path}`, 'GET', undefined, callOptions),
    control: (body, callOptions = {}) => call(`${baseUrl}/control`, 'POST', JSON.stringify(body), callOptions),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
    },
  };
}

/** A call as the merchant makes it: JSON, with the merchant's credential unless told otherwise. */
export function call(url: string, method: string, body: string | undefined, options: CallOptions): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const credential = options.credential === undefined ? TEST_BANK_API_KEY : options.credential;
  if (credential !== null) headers.authorization = `Bearer ${credential}`;
  return send(url, { method, headers, body, signal: options.signal });
}

/** fetch that never throws on a status code, and reads JSON when the answer is JSON. */
export async function send(url: string, init: RequestInit): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  return { status: response.status, body: isJson ? JSON.parse(text) : text, headers: response.headers };
}

let referenceCounter = 1000;

/** A fresh, valid order request and a unique idempotency key for it. */
export function newOrder(overrides: Partial<BankOrderRequest> = {}): { key: string; body: BankOrderRequest } {
  referenceCounter += 1;
  const body: BankOrderRequest = {
    reference: String(referenceCounter),
    type: 'deposit',
    amount: '100.50',
    currency: 'USD',
    ...overrides,
  };
  return { key: `key-${referenceCounter}-${Math.random().toString(36).slice(2)}`, body };
}

export function asOrder(answer: HttpAnswer): BankOrder {
  return answer.body as BankOrder;
}

/** Waits for the settlement of an order, read through the public GET. */
export function waitForSettled(testBank: TestBank, bankReferenceOrKey: string): Promise<BankOrder> {
  return waitFor(
    async () => {
      const order = asOrder(await testBank.get(`/v1/payments/${encodeURIComponent(bankReferenceOrKey)}`));
      return order.status === 'pending' ? undefined : order;
    },
    `order ${bankReferenceOrKey} to settle`,
    { timeoutMs: STATE_WAIT_MS },
  );
}

/**
 * Waits until every webhook of the order has reached its end (delivered or given up), which the bank
 * records only after the receiver has answered: from then on no further attempt can come.
 */
export function waitForWebhooksFinished(
  testBank: TestBank,
  bankReference: string,
): Promise<Awaited<ReturnType<Bank['webhooksOf']>>> {
  return waitFor(
    async () => {
      const webhooks = await testBank.bank.webhooksOf(bankReference);
      const isFinished = webhooks.length > 0 && webhooks.every((webhook) => webhook.isDelivered || webhook.isGivenUp);
      return isFinished ? webhooks : undefined;
    },
    `the webhooks of ${bankReference} to finish`,
    { timeoutMs: STATE_WAIT_MS },
  );
}

function listen(sim: BankSim, host: string): Promise<Server> {
  return new Promise((resolve) => {
    const server = sim.app.listen(0, host, () => resolve(server));
  });
}
