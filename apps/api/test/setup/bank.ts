import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';

import { startBankSim } from '@paygate/bank-sim';
import { loadConfig } from '@paygate/bank-sim/config';
import type { BankControl } from '@paygate/contracts';

import { WEBHOOK_SECRET } from './api';

export const TEST_BANK_API_KEY = 'api-test-bank-api-key-0123456789';

export interface TestBank {
  url: string;
  control(body: BankControl): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The bank simulator in-process on this run's bank database, settling at once. Its webhooks go nowhere
 * (dropped): the tests that use it are about payments whose webhook never came.
 */
export async function startTestBank(): Promise<TestBank> {
  const databaseUrl = inject('run').bankDatabaseUrl;
  if (databaseUrl === undefined) throw new Error('the run has no bank database');
  const sim = await startBankSim({
    config: loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WEBHOOK_SECRET,
      BANK_API_KEY: TEST_BANK_API_KEY,
      BANK_DATABASE_URL: databaseUrl,
      BANK_CALLBACK_URL: 'http://127.0.0.1:9/webhooks/bank-callback',
      BANK_SWEEP_INTERVAL_MS: '50',
      BANK_MIN_DELAY_MS: '0',
      BANK_MAX_DELAY_MS: '0',
      BANK_SUCCESS_RATE: '1',
      BANK_SEED: 'api-tests',
    }),
  });
  const server = createServer(sim.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const control = async (body: BankControl) => {
    const response = await fetch(`${url}/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_BANK_API_KEY}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`bank control refused: ${response.status}`);
  };
  await control({ drop_webhooks: true });
  return {
    url,
    control,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
    },
  };
}
