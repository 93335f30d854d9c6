import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import pino from 'pino';

import type { BankControl, BankOrder, BankOrderRequest } from '@paygate/contracts';

import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { BankConfig } from '../../src/config';
import type { Bank } from '../../src/services/bank';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** Tiny delays so a whole suite of settle-and-deliver round trips stays fast. */
const FAST_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  BANK_SEED: 'bank-sim-tests',
  BANK_MIN_DELAY_MS: '5',
  BANK_MAX_DELAY_MS: '20',
  BANK_SUCCESS_RATE: '1',
  BANK_WEBHOOK_TIMEOUT_MS: '1000',
  BANK_WEBHOOK_RETRY_BASE_MS: '5',
  BANK_WEBHOOK_RETRY_CAP_MS: '20',
  BANK_HANG_MS: '1500',
};

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestBank {
  baseUrl: string;
  bank: Bank;
  config: BankConfig;
  post(body: unknown, headers?: Record<string, string>, options?: { signal?: AbortSignal }): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  control(body: BankControl): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

/** Runs the bank in-process on 127.0.0.1, port 0; `env` overrides the fast test defaults. */
export async function startBank(env: Record<string, string> = {}, host = '127.0.0.1'): Promise<TestBank> {
  const config = loadConfig({ ...FAST_ENV, ...env });
  const { app, bank } = createApp({ config, logger: pino({ level: 'silent' }) });
  const server = await listen(app.listen.bind(app), host);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    bank,
    config,
    post: (body, headers = {}, options = {}) =>
      send(`${baseUrl}/v1/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: options.signal,
      }),
    get: (path) => send(`${baseUrl}${path}`, { method: 'GET' }),
    control: (body) =>
      send(`${baseUrl}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    stop: async () => {
      bank.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
export function newOrder(
  callbackUrl: string,
  overrides: Partial<BankOrderRequest> = {},
): { key: string; body: BankOrderRequest } {
  referenceCounter += 1;
  const body: BankOrderRequest = {
    reference: String(referenceCounter),
    type: 'deposit',
    amount: '100.50',
    currency: 'USD',
    callback_url: callbackUrl,
    ...overrides,
  };
  return { key: `key-${referenceCounter}-${Math.random().toString(36).slice(2)}`, body };
}

export function asOrder(answer: HttpAnswer): BankOrder {
  return answer.body as BankOrder;
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 3000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for the settlement of an order, read through the public GET. */
export async function waitForSettled(testBank: TestBank, bankReference: string): Promise<BankOrder> {
  return waitFor(
    async () => {
      const order = asOrder(await testBank.get(`/v1/payments/${bankReference}`));
      return order.status === 'pending' ? undefined : order;
    },
    3000,
    `order ${bankReference} to settle`,
  );
}

function listen(listenFn: (port: number, host: string, callback: () => void) => Server, host: string): Promise<Server> {
  return new Promise((resolve) => {
    const server = listenFn(0, host, () => resolve(server));
  });
}
