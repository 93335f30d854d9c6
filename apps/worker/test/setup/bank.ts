import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import pg from 'pg';
import pino from 'pino';

import type { BankSim } from '@paygate/bank-sim';
import { startBankSim } from '@paygate/bank-sim';
import { loadConfig } from '@paygate/bank-sim/config';
import type { BankControl } from '@paygate/contracts';

import { TEST_BANK_API_KEY, TEST_WEBHOOK_SECRET } from './suites';

type Bank = BankSim['bank'];

/** A bank call as the bank saw it. */
export interface BankRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  requestId: string | undefined;
}

export interface TestBank {
  url: string;
  bank: Bank;
  requests: BankRequest[];
  /** POST /v1/payments calls placed under one order key (the idempotency key the worker sends). */
  postsFor(orderKey: string): BankRequest[];
  /** How many orders the bank's books hold for one merchant reference (a transaction id). */
  orderCountFor(reference: number): Promise<number>;
  control(body: BankControl): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The bank simulator in-process, fast, on its own database, posting its webhooks to `callbackUrl`, behind a
 * thin server that records every request it gets.
 */
export async function startTestBank(options: {
  databaseUrl: string;
  callbackUrl: string;
  env?: Record<string, string>;
}): Promise<TestBank> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    BANK_API_KEY: TEST_BANK_API_KEY,
    BANK_DATABASE_URL: options.databaseUrl,
    BANK_CALLBACK_URL: options.callbackUrl,
    BANK_SWEEP_INTERVAL_MS: '200',
    BANK_SEED: 'worker-tests',
    BANK_MIN_DELAY_MS: '5',
    BANK_MAX_DELAY_MS: '20',
    BANK_SUCCESS_RATE: '1',
    BANK_WEBHOOK_TIMEOUT_MS: '1000',
    BANK_WEBHOOK_RETRY_BASE_MS: '20',
    BANK_WEBHOOK_RETRY_CAP_MS: '200',
    BANK_HANG_MS: '2000',
    ...options.env,
  });
  const sim = await startBankSim({ config, logger: pino({ level: 'silent' }) });
  const books = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  const { app, bank } = sim;
  const requests: BankRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      idempotencyKey: header(request.headers['idempotency-key']),
      requestId: header(request.headers['x-request-id']),
    });
    app(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    bank,
    requests,
    orderCountFor: async (reference) => {
      const { rows } = await books.query<{ count: string }>(
        'SELECT count(*) AS count FROM bank_orders WHERE reference = $1',
        [String(reference)],
      );
      return Number(rows[0]?.count);
    },
    postsFor: (orderKey) =>
      requests.filter((request) => request.method === 'POST' && request.idempotencyKey === orderKey),
    control: async (body) => {
      const response = await fetch(`${url}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_BANK_API_KEY}` },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`bank control refused: ${response.status} ${await response.text()}`);
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
      await books.end();
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
