// Goal: the bank prepares its own database (creates it when missing, migrates it, safely when several
// start at once), and several bank processes on one database settle each order once and post each
// webhook once. Method: in-process banks on databases of this run; webhook records and a receiver.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { dropDatabase } from '@paygate/testkit';

import { databaseNameOf } from '../src/config';
import { MIGRATIONS } from '../src/data-access/migrations';
import { asOrder, createTestRun, newOrder, startBank, waitForWebhooksFinished } from './setup/bank';
import type { TestBank, TestRun } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let run: TestRun;
let receiver: Receiver;

beforeAll(async () => {
  [run, receiver] = await Promise.all([createTestRun('shared_db'), startReceiver()]);
});

afterAll(async () => {
  await Promise.all([receiver.stop(), run.cleanup()]);
});

describe('the bank database', () => {
  test('when it does not exist and three banks start at once, then it is created and migrated once, and all serve', async () => {
    const missingUrl = new URL(run.bankDatabaseUrl);
    missingUrl.pathname = `${missingUrl.pathname}_new`;
    const databaseUrl = missingUrl.toString();
    const banks = await Promise.all(
      ['a', 'b', 'c'].map((seed) =>
        startBank({ databaseUrl, callbackUrl: receiver.url, env: { BANK_SEED: `create-${seed}` } }),
      ),
    );
    try {
      for (const bank of banks) {
        const { key, body } = newOrder();
        expect((await bank.post(body, { 'idempotency-key': key })).status).toBe(202);
        expect(await bank.get('/health')).toMatchObject({ status: 200, body: { database: 'up' } });
      }
      expect(await appliedMigrationNames(databaseUrl)).toEqual(MIGRATIONS.map((migration) => migration.name));
    } finally {
      await Promise.all(banks.map((bank) => bank.stop()));
      await dropDatabase(run.adminDatabaseUrl, databaseNameOf(databaseUrl));
    }
  });
});

describe('several banks on one database', () => {
  let banks: TestBank[] = [];

  afterAll(async () => {
    await Promise.all(banks.map((bank) => bank.stop()));
  });

  // Method: both banks sweep every 10 ms, so each also tries to take the other's due orders and webhooks;
  // the settle and claim statements must hand every row to exactly one of them.
  test('when orders are placed on both, then each order settles once and each webhook is posted once', async () => {
    const env = { BANK_SWEEP_INTERVAL_MS: '10', BANK_MIN_DELAY_MS: '0', BANK_MAX_DELAY_MS: '30' };
    banks = await Promise.all([
      startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url, env: { ...env, BANK_SEED: 'left' } }),
      startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url, env: { ...env, BANK_SEED: 'right' } }),
    ]);
    const orders = Array.from({ length: 40 }, () => newOrder());

    const placed = await Promise.all(
      orders.map(async ({ key, body }, index) => {
        const answer = await banks[index % 2]!.post(body, { 'idempotency-key': key });
        expect(answer.status).toBe(202);
        return { key, bankReference: asOrder(answer).bank_reference };
      }),
    );

    for (const order of placed) {
      expect(await waitForWebhooksFinished(banks[0]!, order.bankReference)).toEqual([
        { attemptCount: 1, isDelivered: true, isGivenUp: false },
      ]);
      expect(receiver.webhooksFor(order.key)).toHaveLength(1);
    }
    const settledCounts = await Promise.all(banks.map((bank) => settledSuccessCount(bank)));
    expect(settledCounts[0]! + settledCounts[1]!).toBe(40);
  });
});

async function appliedMigrationNames(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const applied = await client.query<{ name: string }>('SELECT name FROM bank_schema_migrations ORDER BY name');
    return applied.rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

async function settledSuccessCount(bank: TestBank): Promise<number> {
  const metrics = String((await bank.get('/metrics')).body);
  const match = /bank_sim_settlements_total\{status="success"\} (\d+)/.exec(metrics);
  return match === null ? 0 : Number(match[1]);
}
