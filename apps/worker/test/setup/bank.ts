import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import pino from 'pino';

import { createApp } from '@paygate/bank-sim';
import { loadConfig } from '@paygate/bank-sim/config';
import type { BankControl } from '@paygate/contracts';

import { TEST_WEBHOOK_SECRET } from './suites';

type Bank = ReturnType<typeof createApp>['bank'];

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
  /** POST /v1/payments calls made for one transaction (its id is the idempotency key). */
  postsFor(transactionId: number): BankRequest[];
  control(body: BankControl): Promise<void>;
  stop(): Promise<void>;
}

/** The bank simulator in-process, fast, behind a thin server that records every request it gets. */
export async function startTestBank(env: Record<string, string> = {}): Promise<TestBank> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    BANK_SEED: 'worker-tests',
    BANK_MIN_DELAY_MS: '5',
    BANK_MAX_DELAY_MS: '20',
    BANK_SUCCESS_RATE: '1',
    BANK_WEBHOOK_TIMEOUT_MS: '1000',
    BANK_WEBHOOK_RETRY_BASE_MS: '20',
    BANK_WEBHOOK_RETRY_CAP_MS: '200',
    BANK_HANG_MS: '2000',
    ...env,
  });
  const { app, bank } = createApp({ config, logger: pino({ level: 'silent' }) });
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
    postsFor: (transactionId) =>
      requests.filter((request) => request.method === 'POST' && request.idempotencyKey === String(transactionId)),
    control: async (body) => {
      const response = await fetch(`${url}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`bank control refused: ${response.status} ${await response.text()}`);
    },
    stop: async () => {
      bank.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
