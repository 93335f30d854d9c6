// Goal: the loopback-only control endpoint forces each failure mode a Paygate test needs. Method: one bank,
// switched through POST /control and reset after every test; outcomes read through the API and a receiver.
import { networkInterfaces } from 'node:os';

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

import { isLoopbackAddress } from '../src/entry-points/http/loopback';
import { asOrder, newOrder, send, sleep, startBank, waitFor, waitForSettled } from './setup/bank';
import type { TestBank } from './setup/bank';
import { pathOf, startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [bank, receiver] = await Promise.all([startBank(), startReceiver()]);
});

afterEach(async () => {
  expect((await bank.control({ reset: true })).status).toBe(200);
});

afterAll(async () => {
  await Promise.all([bank.stop(), receiver.stop()]);
});

describe('POST /control', () => {
  test('when mode is always_fail, then every new order settles failed with declined', async () => {
    await bank.control({ mode: 'always_fail' });
    const { key, body } = newOrder(receiver.url(), { type: 'withdrawal' });

    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    const [delivery] = await receiver.waitForDeliveries(pathOf(body.callback_url), 1);
    expect(delivery!.body).toMatchObject({ status: 'failed', error_message: 'declined' });
    expect(await waitForSettled(bank, order.bank_reference)).toMatchObject({
      status: 'failed',
      error_message: 'declined',
    });
  });

  test('when mode is always_503, then every POST answers 503 unavailable and creates nothing', async () => {
    await bank.control({ mode: 'always_503' });
    const { key, body } = newOrder(receiver.url());

    const answers = [
      await bank.post(body, { 'idempotency-key': key }),
      await bank.post(body, { 'idempotency-key': key }),
    ];

    for (const answer of answers) expect(answer).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test('when mode is invalid_request, then every POST answers 400 and creates nothing', async () => {
    await bank.control({ mode: 'invalid_request' });
    const { key, body } = newOrder(receiver.url());

    expect(await bank.post(body, { 'idempotency-key': key })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test('when fail_next_requests_with_503 is 3, then three 503s and the 4th POST succeeds', async () => {
    await bank.control({ fail_next_requests_with_503: 3 });
    const { key, body } = newOrder(receiver.url());

    const statuses: number[] = [];
    for (let attemptIndex = 0; attemptIndex < 4; attemptIndex += 1)
      statuses.push((await bank.post(body, { 'idempotency-key': key })).status);

    expect(statuses).toEqual([503, 503, 503, 202]);
    expect((await bank.get('/control')).body).toMatchObject({ fail_next_requests_with_503: 0 });
  });

  test('when mode is hang, then the client times out, yet the order exists and settles with a webhook', async () => {
    await bank.control({ mode: 'hang' });
    const { key, body } = newOrder(receiver.url());

    const startedAtMs = Date.now();
    await expect(bank.post(body, { 'idempotency-key': key }, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(190);

    const found = await bank.get(`/v1/payments/${key}`);
    expect(found.status).toBe(200);
    const [delivery] = await receiver.waitForDeliveries(pathOf(body.callback_url), 1);
    expect(delivery!.body).toMatchObject({ bank_reference: asOrder(found).bank_reference, status: 'success' });
    // The held answer is let go as soon as the client hangs up, not after BANK_HANG_MS.
    await waitFor(() => (bank.bank.holds.heldCount === 0 ? true : undefined), 500, 'the hold to be released');
  });

  test('when mode is hang and the client waits longer than BANK_HANG_MS, then the answer comes late', async () => {
    await bank.control({ mode: 'hang' });
    const { key, body } = newOrder(receiver.url());

    const startedAtMs = Date.now();
    const answer = await bank.post(body, { 'idempotency-key': key });

    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(bank.config.scenarios.hangMs - 10);
    expect(answer.status).toBe(202);
  });

  test('when drop_webhooks is on, then no webhook is sent but GET shows the final status', async () => {
    await bank.control({ drop_webhooks: true });
    const { key, body } = newOrder(receiver.url());

    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    expect(await waitForSettled(bank, order.bank_reference)).toMatchObject({ status: 'success' });
    await sleep(100);
    expect(receiver.deliveries.filter((delivery) => delivery.path === pathOf(body.callback_url))).toHaveLength(0);
  });

  test('when duplicate_webhooks is on, then each webhook arrives twice, identical', async () => {
    await bank.control({ duplicate_webhooks: true });
    const { key, body } = newOrder(receiver.url());

    await bank.post(body, { 'idempotency-key': key });

    const deliveries = await receiver.waitForDeliveries(pathOf(body.callback_url), 2);
    expect(deliveries[0]!.rawBody).toBe(deliveries[1]!.rawBody);
  });

  test('when out_of_order is on, then two orders settled A then B are delivered B then A', async () => {
    await bank.control({ out_of_order: true, min_delay_ms: 10, max_delay_ms: 10 });
    const callbackUrl = receiver.url();
    const first = newOrder(callbackUrl);
    const second = newOrder(callbackUrl);

    const orderA = asOrder(await bank.post(first.body, { 'idempotency-key': first.key }));
    const orderB = asOrder(await bank.post(second.body, { 'idempotency-key': second.key }));

    const settledA = await waitForSettled(bank, orderA.bank_reference);
    const settledB = await waitForSettled(bank, orderB.bank_reference);
    expect(Date.parse(settledA.settled_at ?? '')).toBeLessThanOrEqual(Date.parse(settledB.settled_at ?? ''));
    const deliveries = await receiver.waitForDeliveries(pathOf(callbackUrl), 2);
    expect(deliveries.map((delivery) => delivery.body.bank_reference)).toEqual([
      orderB.bank_reference,
      orderA.bank_reference,
    ]);
  });

  test('when delays and success rate are set at run time, then new orders follow them', async () => {
    const state = await bank.control({ min_delay_ms: 0, max_delay_ms: 0, success_rate: 0 });
    expect(state.body).toMatchObject({ min_delay_ms: 0, max_delay_ms: 0, success_rate: 0, mode: 'normal' });
    const { key, body } = newOrder(receiver.url());

    const order = asOrder(await bank.post(body, { 'idempotency-key': key }));

    expect(await waitForSettled(bank, order.bank_reference)).toMatchObject({
      status: 'failed',
      error_message: 'declined',
    });
  });

  test('when reset, then the configured defaults return and existing orders stay', async () => {
    const { key, body } = newOrder(receiver.url());
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
  // socket's remote address is not loopback. Machines of this kind (and CI) have one.
  test(
    'when called through a non-loopback address, then 403 forbidden',
    async () => {
      const address = externalIPv4();
      if (address === undefined) throw new Error('this test needs a non-loopback IPv4 interface');
      const open = await startBank({}, '0.0.0.0');
      try {
        const externalUrl = open.baseUrl.replace('127.0.0.1', address);

        const read = await send(`${externalUrl}/control`, { method: 'GET' });
        const write = await send(`${externalUrl}/control`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' },
          body: '{"mode":"always_503"}',
        });

        expect(read).toMatchObject({ status: 403, body: { error: 'forbidden' } });
        expect(write).toMatchObject({ status: 403, body: { error: 'forbidden' } });
        expect((await open.get('/control')).body).toMatchObject({ mode: 'normal' });
        expect((await send(`${externalUrl}/health`, { method: 'GET' })).status).toBe(200);
      } finally {
        await open.stop();
      }
    },
  );

  test('when a loopback caller asks, then GET /control shows the current switches', async () => {
    const answer = await bank.get('/control');

    expect(answer).toMatchObject({ status: 200, body: { mode: 'normal', drop_webhooks: false } });
  });
});

function externalIPv4(): string | undefined {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  return addresses.find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;
}
