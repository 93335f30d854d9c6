// Goal: outgoing webhooks reach an integrator's receiver at least once, signed in the Standard Webhooks form
// as an independent library verifies it; failures (500s, timeouts) are retried on the schedule with one
// success per event in the end; an endpoint that fails for the whole schedule is disabled with every attempt
// logged; a rotated secret signs from then on; and addresses outside the allowlist are never called.
// Method: the real worker on its own database and broker prefix, deposits made the way the API makes them,
// and a real HTTP receiver that verifies each request with the `standardwebhooks` npm library.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { WebhookEndpointsRepository } from '@paygate/db';
import { AddressAllowlist, generateWebhookSecret, WebhookSecretBox } from '@paygate/domain';
import { waitFor } from '@paygate/testkit';

import { WebhookSender } from '../src/services/webhook-sender';
import { givenTransaction, givenUserWithWallet } from './setup/fixtures';
import { startWebhookReceiver } from './setup/webhook-receiver';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

const SECRET_KEY = 'worker-test-endpoint-secret-key-0123456789';
const box = new WebhookSecretBox(SECRET_KEY);

let world: TestWorld;
beforeAll(async () => {
  world = await startWorld('webhooks', {
    WEBHOOK_ENDPOINT_SECRET_KEY: SECRET_KEY,
    // Four attempts, about a second apart at most: the day-long default, shortened.
    WEBHOOK_RETRY_SCHEDULE_S: '0,0,1',
    WEBHOOK_TIMEOUT_MS: '400',
    WEBHOOK_POLL_INTERVAL_MS: '50',
    // Only 127.0.0.1 may be called: what a developer allows; production allows nothing private.
    WEBHOOK_ALLOW_PRIVATE_URLS: '127.0.0.1/32',
  });
});
afterAll(() => world.stop());

async function givenEndpoint(userId: number, url: string): Promise<{ id: number; secret: string }> {
  const secret = generateWebhookSecret();
  const created = await new WebhookEndpointsRepository(world.pool).create({
    userId,
    url,
    events: ['transaction.updated'],
    description: null,
    secretCiphertext: box.seal(secret),
    endpointCountMax: 10,
  });
  if (created.outcome !== 'created') throw new Error('endpoint not created');
  return { id: created.endpoint.id, secret };
}

async function deliveriesOf(endpointId: number) {
  const { rows } = await world.pool.query<{ event_id: string; status: string; attempt_count: number }>(
    'SELECT event_id, status, attempt_count FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id',
    [endpointId],
  );
  return rows;
}

/** Waits until the transaction is final and every delivery of the endpoint is finished. */
async function waitForDeliveries(endpointId: number, count: number) {
  return waitFor(async () => {
    const rows = await deliveriesOf(endpointId);
    return rows.length === count && rows.every((row) => row.status !== 'pending') ? rows : undefined;
  }, `${count} finished deliveries of endpoint ${endpointId}`);
}

describe('webhook deliveries', () => {
  test('when a deposit settles, then each of its events reaches the receiver once, verified by the standardwebhooks library, with the transaction as the API answers it', async () => {
    const receiver = await startWebhookReceiver(() => 204);
    try {
      const { userId } = await givenUserWithWallet(world.pool, 0n);
      const endpoint = await givenEndpoint(userId, receiver.url);
      receiver.useSecret(endpoint.secret);
      const transactionId = await givenTransaction(world.pool, userId, 'deposit', 1_234n);

      const rows = await waitForDeliveries(endpoint.id, 3);
      expect(rows.map((row) => [row.status, row.attempt_count])).toEqual([
        ['delivered', 1],
        ['delivered', 1],
        ['delivered', 1],
      ]);
      expect(receiver.received.every((request) => request.isVerified)).toBe(true);
      expect(receiver.received.map((request) => request.webhookId)).toEqual(rows.map((row) => `msg_${row.event_id}`));
      const statuses = receiver.received.map((request) => request.body.data.status).sort();
      expect(statuses).toEqual(['pending', 'processing', 'success']);
      expect(receiver.received[0]?.body).toMatchObject({
        type: 'transaction.updated',
        data: { id: transactionId, user_id: userId, type: 'deposit', amount: '12.34', currency: 'USD' },
      });
      expect(
        await world.metric('paygate_worker_webhook_attempts_total', { outcome: 'delivered' }),
      ).toBeGreaterThanOrEqual(3);
    } finally {
      await receiver.close();
    }
  });

  test('when the receiver fails 3 times (500s and a timeout) then succeeds, then each event is delivered exactly once, with every attempt logged', async () => {
    // The first three requests fail: a 500, a hang past WEBHOOK_TIMEOUT_MS, a 503; then every one succeeds.
    const receiver = await startWebhookReceiver((index) =>
      index === 0 ? 500 : index === 1 ? 'hang' : index === 2 ? 503 : 200,
    );
    try {
      const { userId } = await givenUserWithWallet(world.pool, 0n);
      const endpoint = await givenEndpoint(userId, receiver.url);
      receiver.useSecret(endpoint.secret);
      await givenTransaction(world.pool, userId, 'deposit', 500n);

      const rows = await waitForDeliveries(endpoint.id, 3);
      expect(rows.every((row) => row.status === 'delivered')).toBe(true);
      const successes = receiver.received.filter((request) => request.answered === 200);
      expect(successes.map((request) => request.webhookId).sort()).toEqual(
        rows.map((row) => `msg_${row.event_id}`).sort(),
      );
      expect(receiver.received.every((request) => request.isVerified)).toBe(true);
      const attempts = await world.pool.query<{ outcome: string; status_code: number | null; error: string | null }>(
        `SELECT a.outcome, a.status_code, a.error FROM webhook_delivery_attempts a
           JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = $1 AND a.outcome = 'failed'
          ORDER BY a.started_at`,
        [endpoint.id],
      );
      // The three events go out side by side, so which of them met which failure is not fixed.
      expect(attempts.rows.map((row) => row.error).sort()).toEqual(['HTTP 500', 'HTTP 503', 'timeout after 400 ms']);
      const endpointRow = await world.pool.query<{ failing_since: Date | null; disabled_at: Date | null }>(
        'SELECT failing_since, disabled_at FROM webhook_endpoints WHERE id = $1',
        [endpoint.id],
      );
      expect(endpointRow.rows[0]).toEqual({ failing_since: null, disabled_at: null });
    } finally {
      await receiver.close();
    }
  });

  test('when the receiver fails for the whole schedule, then the delivery fails after 4 attempts and the endpoint is disabled', async () => {
    const receiver = await startWebhookReceiver(() => 500);
    try {
      const { userId } = await givenUserWithWallet(world.pool, 0n);
      const endpoint = await givenEndpoint(userId, receiver.url);
      receiver.useSecret(endpoint.secret);
      await givenTransaction(world.pool, userId, 'deposit', 700n);

      const disabled = await waitFor(async () => {
        const { rows } = await world.pool.query<{ disabled_at: Date | null }>(
          'SELECT disabled_at FROM webhook_endpoints WHERE id = $1',
          [endpoint.id],
        );
        return rows[0]?.disabled_at ?? undefined;
      }, 'the endpoint to be disabled');
      expect(disabled).toBeInstanceOf(Date);
      const rows = await waitForDeliveries(endpoint.id, 3);
      expect(rows.every((row) => row.status === 'failed')).toBe(true);
      expect(Math.max(...rows.map((row) => row.attempt_count))).toBe(4);
      // Events after the endpoint was disabled make no delivery.
      await givenTransaction(world.pool, userId, 'deposit', 800n);
      expect(await deliveriesOf(endpoint.id)).toHaveLength(3);
      expect(await world.metric('paygate_worker_webhook_attempts_total', { outcome: 'endpoint_disabled' })).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  test('when the secret is rotated, then the next events are signed with the new secret and not the old one', async () => {
    const receiver = await startWebhookReceiver(() => 200);
    try {
      const { userId } = await givenUserWithWallet(world.pool, 0n);
      const endpoint = await givenEndpoint(userId, receiver.url);
      const rotated = generateWebhookSecret();
      await new WebhookEndpointsRepository(world.pool).rotateSecret(userId, endpoint.id, box.seal(rotated));
      receiver.useSecret(endpoint.secret);
      await givenTransaction(world.pool, userId, 'deposit', 100n);
      await waitForDeliveries(endpoint.id, 3);
      expect(receiver.received.map((request) => request.isVerified)).toEqual([false, false, false]);

      const second = await startWebhookReceiver(() => 200);
      try {
        await world.pool.query('UPDATE webhook_endpoints SET url = $2 WHERE id = $1', [endpoint.id, second.url]);
        second.useSecret(rotated);
        await givenTransaction(world.pool, userId, 'deposit', 200n);
        await waitForDeliveries(endpoint.id, 6);
        expect(second.received.map((request) => request.isVerified)).toEqual([true, true, true]);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
    }
  });

  test('when an endpoint names an address outside the allowlist, then the worker never calls it and the attempt says why', async () => {
    const receiver = await startWebhookReceiver(() => 200, '0.0.0.0');
    try {
      const { userId } = await givenUserWithWallet(world.pool, 0n);
      const endpoint = await givenEndpoint(userId, `http://127.0.0.2:${receiver.port}/paygate`);
      await givenTransaction(world.pool, userId, 'deposit', 300n);
      const error = await waitFor(async () => {
        const { rows } = await world.pool.query<{ error: string }>(
          `SELECT a.error FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
            WHERE d.endpoint_id = $1 LIMIT 1`,
          [endpoint.id],
        );
        return rows[0]?.error;
      }, `a refused attempt for endpoint ${endpoint.id}`);
      expect(error).toBe('url refused: address_not_allowed');
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  test('when the sender has no allowlist (production), then a name that resolves to loopback is refused at connect time, as are literals', async () => {
    const receiver = await startWebhookReceiver(() => 200, '0.0.0.0');
    const sender = new WebhookSender({
      allowlist: new AddressAllowlist([]),
      timeoutMs: 2_000,
      responseBytesMax: 1_024,
      socketsFreeMax: 1,
    });
    try {
      // os.hostname() is not "localhost" nor a literal: only the DNS answer (127.0.0.1 here) can refuse it.
      const byName = await sender.send(`http://${os.hostname()}:${receiver.port}/`, '{}', {});
      expect(byName).toEqual({ kind: 'refused', error: expect.stringMatching(/resolves to 127\.0\.0\.1/) });
      for (const url of [`http://127.0.0.1:${receiver.port}/`, `http://localhost:${receiver.port}/`, 'http://[::1]/']) {
        expect(await sender.send(url, '{}', {})).toEqual({
          kind: 'refused',
          error: 'url refused: address_not_allowed',
        });
      }
      expect(receiver.received).toEqual([]);
    } finally {
      sender.close();
      await receiver.close();
    }
  });
});
