// Goal: a restart forgets nothing. A bank killed with SIGKILL before its orders settle settles every one
// of them after a restart and delivers every webhook; a webhook that was failing when the bank died is
// retried by the restarted bank until it gets a 2xx; GET answers for orders placed before the restart.
// Method: the bank as a child process (tsx) on a database of this run; a local receiver; states are
// polled (rows, deliveries), never slept for.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { verifySignature } from '@paygate/domain';

import { waitFor } from '@paygate/testkit';

import { asOrder, call, createTestRun, newOrder, STATE_WAIT_MS, TEST_WEBHOOK_SECRET } from './setup/bank';
import type { TestRun } from './setup/bank';
import { startChildBank } from './setup/child-bank';
import type { ChildBank } from './setup/child-bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let run: TestRun;
let receiver: Receiver;
let database: pg.Client | undefined;
const children: ChildBank[] = [];

beforeAll(async () => {
  [run, receiver] = await Promise.all([createTestRun('durability'), startReceiver()]);
});

afterAll(async () => {
  await Promise.all(children.map((child) => child.kill('SIGKILL')));
  await database?.end();
  await Promise.all([receiver.stop(), run.cleanup()]);
});

interface Placed {
  key: string;
  bankReference: string;
}

async function startBankProcess(env: Record<string, string>): Promise<ChildBank> {
  const child = await startChildBank({
    BANK_DATABASE_URL: run.bankDatabaseUrl,
    BANK_CALLBACK_URL: receiver.url,
    BANK_SWEEP_INTERVAL_MS: '200',
    ...env,
  });
  children.push(child);
  return child;
}

async function placeOrders(child: ChildBank, count: number): Promise<Placed[]> {
  const placed: Placed[] = [];
  for (let index = 0; index < count; index += 1) {
    const { key, body } = newOrder({ type: index % 2 === 0 ? 'deposit' : 'withdrawal' });
    const answer = await call(`${child.baseUrl}/v1/payments`, 'POST', JSON.stringify(body), {
      headers: { 'idempotency-key': key },
    });
    expect(answer.status).toBe(202);
    placed.push({ key, bankReference: asOrder(answer).bank_reference });
  }
  return placed;
}

async function rowsOf(placed: Placed[]): Promise<{ status: string; webhook_count: number; delivered_count: number }[]> {
  database ??= await connect(run.bankDatabaseUrl);
  const rows = await database.query<{ status: string; webhook_count: number; delivered_count: number }>(
    `SELECT o.status,
            count(w.id)::integer AS webhook_count,
            count(w.delivered_at)::integer AS delivered_count
     FROM bank_orders AS o LEFT JOIN bank_webhooks AS w USING (bank_reference)
     WHERE o.bank_reference = ANY($1)
     GROUP BY o.bank_reference, o.status`,
    [placed.map((order) => order.bankReference)],
  );
  return rows.rows;
}

describe('a bank killed and started again', () => {
  test('when SIGKILL comes before the orders settle, then after a restart every order settles and every webhook arrives, signed', async () => {
    const env = { BANK_MIN_DELAY_MS: '3000', BANK_MAX_DELAY_MS: '3000' };
    const first = await startBankProcess(env);
    const placed = await placeOrders(first, 5);

    expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');

    // The premise, checked rather than assumed: nothing had settled or been sent when the bank died.
    expect((await rowsOf(placed)).map((row) => row.status)).toEqual(Array(5).fill('pending'));
    expect(placed.flatMap((order) => receiver.webhooksFor(order.key))).toHaveLength(0);

    const second = await startBankProcess(env);
    for (const order of placed) {
      const byReference = await call(`${second.baseUrl}/v1/payments/${order.bankReference}`, 'GET', undefined, {});
      const byKey = await call(`${second.baseUrl}/v1/payments/${order.key}`, 'GET', undefined, {});
      expect(byReference).toMatchObject({
        status: 200,
        body: { bank_reference: order.bankReference, order_key: order.key },
      });
      expect(byKey).toMatchObject({ status: 200, body: { bank_reference: order.bankReference } });
    }

    await waitFor(
      () => (placed.every((order) => receiver.webhooksFor(order.key).length > 0) ? true : undefined),
      'a webhook for every order',
      { timeoutMs: STATE_WAIT_MS * 2 },
    );
    const delivered = placed.flatMap((order) => receiver.webhooksFor(order.key));
    expect(new Set(delivered.map((delivery) => delivery.body.bank_reference))).toEqual(
      new Set(placed.map((order) => order.bankReference)),
    );
    for (const delivery of delivered) {
      expect(verifySignature(delivery.body, delivery.body.signature, TEST_WEBHOOK_SECRET)).toBe(true);
      expect(delivery.body.status).toBe('success');
    }
    for (const order of placed) {
      const answer = await call(`${second.baseUrl}/v1/payments/${order.bankReference}`, 'GET', undefined, {});
      expect(answer.body).toMatchObject({ status: 'success' });
    }
    // SIGTERM stops it gracefully: exit code 0.
    expect((await second.kill('SIGTERM')).code).toBe(0);
  }, 120_000);

  test('when SIGKILL comes while webhooks are being refused, then the restarted bank retries them until a 2xx', async () => {
    const env = {
      BANK_MIN_DELAY_MS: '0',
      BANK_MAX_DELAY_MS: '0',
      BANK_WEBHOOK_RETRY_BASE_MS: '50',
      BANK_WEBHOOK_RETRY_CAP_MS: '200',
      BANK_WEBHOOK_ATTEMPT_COUNT_MAX: '1000',
      BANK_WEBHOOK_TIMEOUT_MS: '1000',
    };
    receiver.answerWith([], 503);
    const first = await startBankProcess(env);
    const placed = await placeOrders(first, 3);
    await waitFor(
      () => (placed.every((order) => receiver.webhooksFor(order.key).length > 0) ? true : undefined),
      'a refused attempt for every order',
      { timeoutMs: STATE_WAIT_MS },
    );

    await first.kill('SIGKILL');
    const refusedCount = receiver.deliveries.length;
    receiver.answerWith([], 200);
    await startBankProcess(env);

    const rows = await waitFor(
      async () => {
        const current = await rowsOf(placed);
        return current.length === placed.length && current.every((row) => row.delivered_count === 1)
          ? current
          : undefined;
      },
      'every webhook delivered after the restart',
      { timeoutMs: STATE_WAIT_MS * 2 },
    );
    expect(rows.map((row) => row.webhook_count)).toEqual([1, 1, 1]);
    for (const order of placed) {
      const afterRestart = receiver.deliveries
        .slice(refusedCount)
        .filter((delivery) => delivery.body.order_key === order.key);
      expect(afterRestart.length).toBeGreaterThan(0);
      expect(verifySignature(afterRestart[0]!.body, afterRestart[0]!.body.signature, TEST_WEBHOOK_SECRET)).toBe(true);
    }
  }, 120_000);
});

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}
