// Goal: the control endpoint (loopback callers holding the merchant credential) forces each failure mode
// a Paygate test needs. Method: one bank, switched through POST /control and reset after every test;
// outcomes read through the API, the bank's webhook records and a receiver.
import { networkInterfaces } from 'node:os';

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { isLoopbackAddress } from '../src/entry-points/http/loopback';
import {
  asOrder,
  call,
  createTestRun,
  newOrder,
  startBank,
  waitForSettled,
  waitForWebhooksFinished,
} from './setup/bank';
import type { TestBank, TestRun } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let run: TestRun;
let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [run, receiver] = await Promise.all([createTestRun('control'), startReceiver()]);
  bank = await startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url });
});

afterEach(async () => {
  expect((await bank.control({ reset: true })).status).toBe(200);
});

afterAll(async () => {
  await bank.stop();
  await Promise.all([receiver.stop(), run.cleanup()]);
});

describe('POST /control', () => {
  test('when mode is always_fail, then every new order settles failed with declined', async () => {
    await bank.control({ mode: 'always_fail' });
    const { key, body } = newOrder({ type: 'withdrawal' });

    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    const [delivery] = await receiver.waitForWebhooks(key, 1);
    expect(delivery!.body).toMatchObject({ status: 'failed', error_message: 'declined' });
    expect(await waitForSettled(bank, order.bank_reference)).toMatchObject({
      status: 'failed',
      error_message: 'declined',
    });
  });

  test('when mode is always_503, then every POST answers 503 unavailable and creates nothing', async () => {
    await bank.control({ mode: 'always_503' });
    const { key, body } = newOrder();

    const answers = [
      await bank.post(body, { 'idempotency-key': key }),
      await bank.post(body, { 'idempotency-key': key }),
    ];

    for (const answer of answers) expect(answer).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test('when mode is invalid_request, then every POST answers 400 and creates nothing', async () => {
    await bank.control({ mode: 'invalid_request' });
    const { key, body } = newOrder();

    expect(await bank.post(body, { 'idempotency-key': key })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test('when fail_next_requests_with_503 is 3, then three 503s and the 4th POST succeeds', async () => {
    await bank.control({ fail_next_requests_with_503: 3 });
    const { key, body } = newOrder();

    const statuses: number[] = [];
    for (let attemptIndex = 0; attemptIndex < 4; attemptIndex += 1)
      statuses.push((await bank.post(body, { 'idempotency-key': key })).status);

    expect(statuses).toEqual([503, 503, 503, 202]);
    expect((await bank.get('/control')).body).toMatchObject({ fail_next_requests_with_503: 0 });
  });

  test('when mode is hang, then the client times out, yet the order exists and settles with a webhook', async () => {
    await bank.control({ mode: 'hang' });
    const { key, body } = newOrder();

    const startedAtMs = Date.now();
    await expect(bank.post(body, { 'idempotency-key': key }, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(190);

    const found = await waitFor(async () => {
      const answer = await bank.get(`/v1/payments/${key}`);
      return answer.status === 200 ? answer : undefined;
    }, 'the held order');
    const [delivery] = await receiver.waitForWebhooks(key, 1);
    expect(delivery!.body).toMatchObject({ bank_reference: asOrder(found).bank_reference, status: 'success' });
    // The held answer is let go as soon as the client hangs up, not after BANK_HANG_MS.
    await waitFor(() => (bank.bank.holds.heldCount === 0 ? true : undefined), 'the hold to be released');
  });

  test('when mode is hang and the client waits longer than BANK_HANG_MS, then the answer comes late', async () => {
    await bank.control({ mode: 'hang' });
    const { key, body } = newOrder();

    const startedAtMs = Date.now();
    const answer = await bank.post(body, { 'idempotency-key': key });

    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(bank.config.scenarios.hangMs - 10);
    expect(answer.status).toBe(202);
  });

  test('when drop_webhooks is on, then no webhook is queued or sent but GET shows the final status', async () => {
    await bank.control({ drop_webhooks: true });
    const { key, body } = newOrder();

    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    expect(await waitForSettled(bank, order.bank_reference)).toMatchObject({ status: 'success' });
    // Settling and queueing the webhook are one statement: a settled order without a webhook row never gets one.
    expect(await bank.bank.webhooksOf(order.bank_reference)).toEqual([]);
    expect(receiver.webhooksFor(key)).toHaveLength(0);
  });

  test('when duplicate_webhooks is on, then each webhook arrives twice, identical', async () => {
    await bank.control({ duplicate_webhooks: true });
    const { key, body } = newOrder();

    await bank.post(body, { 'idempotency-key': key });

    const deliveries = await receiver.waitForWebhooks(key, 2);
    expect(deliveries[0]!.rawBody).toBe(deliveries[1]!.rawBody);
  });

  // Method: a bank of its own (and a database of its own, so no other bank settles its orders) whose
  // window is 2 s instead of 200 ms, so that B surely settles within A's window even on a busy machine;
  // the order the receiver saw them in is the assertion.
  test('when out_of_order is on, then two orders settled A then B are delivered B then A', async () => {
    const windowRun = await createTestRun('control_window');
    const windowed = await startBank({
      databaseUrl: windowRun.bankDatabaseUrl,
      callbackUrl: receiver.url,
      adjust: (config) => ({ ...config, webhook: { ...config.webhook, outOfOrderFlushMs: 2_000 } }),
    });
    try {
      await windowed.control({ out_of_order: true, min_delay_ms: 10, max_delay_ms: 10 });
      const first = newOrder();
      const second = newOrder();

      const orderA = asOrder(await windowed.post(first.body, { 'idempotency-key': first.key }));
      const orderB = asOrder(await windowed.post(second.body, { 'idempotency-key': second.key }));

      const settledA = await waitForSettled(windowed, orderA.bank_reference);
      const settledB = await waitForSettled(windowed, orderB.bank_reference);
      expect(Date.parse(settledA.settled_at ?? '')).toBeLessThanOrEqual(Date.parse(settledB.settled_at ?? ''));
      const [deliveryA] = await receiver.waitForWebhooks(first.key, 1);
      const [deliveryB] = await receiver.waitForWebhooks(second.key, 1);
      expect(receiver.deliveries.indexOf(deliveryB!)).toBeLessThan(receiver.deliveries.indexOf(deliveryA!));
    } finally {
      await windowed.stop();
      await windowRun.cleanup();
    }
  });

  test('when out_of_order is switched off, then the webhooks it held go out', async () => {
    await bank.control({ out_of_order: true });
    const { key, body } = newOrder();
    await bank.post(body, { 'idempotency-key': key });

    await bank.control({ out_of_order: false });

    await receiver.waitForWebhooks(key, 1);
  });

  test('when delays and success rate are set at run time, then new orders follow them', async () => {
    const state = await bank.control({ min_delay_ms: 0, max_delay_ms: 0, success_rate: 0 });
    expect(state.body).toMatchObject({ min_delay_ms: 0, max_delay_ms: 0, success_rate: 0, mode: 'normal' });
    const { key, body } = newOrder();

    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    expect(await waitForSettled(bank, order.bank_reference)).toMatchObject({
      status: 'failed',
      error_message: 'declined',
    });
  });

  test('when reset, then the configured defaults return and existing orders stay', async () => {
    const { key, body } = newOrder();
    await bank.post(body, { 'idempotency-key': key });
    await bank.control({ mode: 'always_503', drop_webhooks: true, success_rate: 0.2 });

    const reset = await bank.control({ reset: true });

    expect(reset.body).toEqual({
      mode: 'normal',
      drop_webhooks: false,
      duplicate_webhooks: false,
      out_of_order: false,
      fail_next_requests_with_503: 0,
      min_delay_ms: bank.config.settlement.delayMsMin,
      max_delay_ms: bank.config.settlement.delayMsMax,
      success_rate: bank.config.settlement.successRate,
    });
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(200);
  });

  test('when the command is invalid or inverts the delays, then 400 and nothing changes', async () => {
    const before = (await bank.get('/control')).body;

    const unknownMode = await bank.control({ mode: 'explode' } as never);
    const inverted = await bank.control({ min_delay_ms: 50, max_delay_ms: 10 });

    expect(unknownMode).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(inverted).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect((await bank.get('/control')).body).toEqual(before);
  });
});

describe('control endpoint access', () => {
  test('when the caller is not on loopback, then it is refused', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.7')).toBe(false);
    expect(isLoopbackAddress('::ffff:192.168.1.20')).toBe(false);
    expect(isLoopbackAddress('127.0.0.1.evil.example')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });

  // Method: listen on every interface and call through this machine's own non-loopback address, so the
  // socket's remote address is not loopback. Machines of this kind (and CI) have one. The caller holds
  // the right credential: being off the machine is enough to be refused.
  test('when called through a non-loopback address, even with the credential, then 403 forbidden', async () => {
    const address = externalIPv4();
    if (address === undefined) throw new Error('this test needs a non-loopback IPv4 interface');
    const open = await startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url, host: '0.0.0.0' });
    try {
      const externalUrl = open.baseUrl.replace('127.0.0.1', address);

      const read = await call(`${externalUrl}/control`, 'GET', undefined, {});
      const write = await call(`${externalUrl}/control`, 'POST', '{"mode":"always_503"}', {
        headers: { 'x-forwarded-for': '127.0.0.1' },
      });

      expect(read).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      expect(write).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      expect((await open.get('/control')).body).toMatchObject({ mode: 'normal' });
      expect((await call(`${externalUrl}/health`, 'GET', undefined, { credential: null })).status).toBe(200);
    } finally {
      await open.stop();
    }
  });

  test('when a loopback caller with the credential asks, then GET /control shows the current switches', async () => {
    const answer = await bank.get('/control');

    expect(answer).toMatchObject({ status: 200, body: { mode: 'normal', drop_webhooks: false } });
  });
});

describe('webhook records', () => {
  test('when a webhook is delivered, then its record says one attempt, delivered', async () => {
    const { key, body } = newOrder();
    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    expect(await waitForWebhooksFinished(bank, order.bank_reference)).toEqual([
      { attemptCount: 1, isDelivered: true, isGivenUp: false },
    ]);
  });
});

function externalIPv4(): string | undefined {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  return addresses.find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;
}
