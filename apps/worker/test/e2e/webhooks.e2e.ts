// Goal: a worker killed while an outgoing webhook is on the wire loses nothing: the delivery it had claimed
// comes due again when its lease ends, another worker sends it, and every event reaches the integrator.
// Method: real processes (api, worker, bank); an integrator's receiver that verifies each request with the
// `standardwebhooks` npm library and holds the first request it gets without answering; SIGKILL the worker
// while the receiver holds it, start a new one, and from then on answer 200.
import { describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { startWebhookReceiver } from '../setup/webhook-receiver';
import { api, deposit, settled, useSystem } from './support';

/** An integrator's receiver: the first request is held (never answered), every later one gets a 200. */
const startHoldingReceiver = () => startWebhookReceiver((requestIndex) => (requestIndex === 0 ? 'hang' : 200));

describe('worker killed mid-delivery', () => {
  const system = useSystem('e2e_hookkill', {
    env: {
      // The receiver listens on loopback: allowed here as a developer would, refused in production.
      all: { WEBHOOK_ALLOW_PRIVATE_URLS: '127.0.0.1/32' },
      worker: {
        // The held attempt must still be in flight when the kill lands (so the timeout is long), and the
        // lease after it short: due again 5.5 s after the claim instead of 40 s.
        WEBHOOK_TIMEOUT_MS: '5000',
        WEBHOOK_LEASE_MARGIN_MS: '500',
        WEBHOOK_RETRY_SCHEDULE_S: '0,0,1',
        WEBHOOK_POLL_INTERVAL_MS: '50',
      },
    },
  });

  test(
    'when the worker is SIGKILLed while the receiver holds a webhook, then a new worker sends it again after the lease and every event is delivered, verified',
    { timeout: 180_000 },
    async () => {
      const { stack, pool } = system();
      const receiver = await startHoldingReceiver();
      try {
        const user = await system().createUser('0.00');
        const created = await api(stack, user, '/api/v1/webhook-endpoints', { body: { url: receiver.url } });
        expect(created.status).toBe(201);
        receiver.useSecret(created.body.secret);
        const endpointId = created.body.id as number;

        const made = await deposit(stack, user, '5.00');
        expect(made.status).toBe(202);

        const held = await waitFor(
          () => receiver.received.find((request) => request.answered === 'hang'),
          'the receiver to hold the first webhook',
        );
        const eventId = held.webhookId.replace(/^msg_/, '');
        const leased = await pool.query<{ id: string; status: string; leased_until: Date | null }>(
          'SELECT id, status, leased_until FROM webhook_deliveries WHERE endpoint_id = $1 AND event_id = $2',
          [endpointId, eventId],
        );
        const heldDelivery = leased.rows[0];
        expect(heldDelivery).toMatchObject({ status: 'pending' });
        const leasedUntilMs = heldDelivery!.leased_until!.getTime();

        expect(await stack.worker.kill('SIGKILL')).toBeNull();
        // The kill landed mid-attempt: the killed worker recorded nothing about the held request.
        const attemptsAfterKill = await pool.query('SELECT 1 FROM webhook_delivery_attempts WHERE delivery_id = $1', [
          heldDelivery!.id,
        ]);
        expect(attemptsAfterKill.rowCount).toBe(0);
        await stack.worker.start();

        expect((await settled(stack, user, 'deposits', made.body.id as number)).status).toBe('success');
        const events = await pool.query<{ id: string }>(
          'SELECT id FROM transaction_events WHERE transaction_id = $1 ORDER BY id',
          [made.body.id],
        );
        // pending, processing, success: one event per change, each with its delivery.
        expect(events.rowCount).toBe(3);
        const deliveries = await waitFor(
          async () => {
            const { rows } = await pool.query<{ event_id: string; status: string }>(
              'SELECT event_id, status FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY event_id',
              [endpointId],
            );
            return rows.length === events.rowCount && rows.every((row) => row.status !== 'pending') ? rows : undefined;
          },
          'every delivery of the endpoint to finish',
          { timeoutMs: 90_000 },
        );
        expect(deliveries).toEqual(events.rows.map((event) => ({ event_id: event.id, status: 'delivered' })));

        // Every event reached the integrator at least once with a 200, each request verified by the library.
        expect(receiver.received.every((request) => request.isVerified)).toBe(true);
        const answeredIds = new Set(
          receiver.received.filter((request) => request.answered === 200).map((request) => request.webhookId),
        );
        expect([...answeredIds].sort()).toEqual(events.rows.map((event) => `msg_${event.id}`).sort());
        expect(receiver.received.map((request) => request.body.data.status)).toEqual(
          expect.arrayContaining(['pending', 'processing', 'success']),
        );

        // The held delivery was sent again, with the same webhook-id, only once its lease had ended.
        const resent = receiver.received.filter(
          (request) => request.webhookId === held.webhookId && request.answered === 200,
        );
        expect(resent.length).toBeGreaterThanOrEqual(1);
        expect(resent[0]!.receivedAtMs).toBeGreaterThanOrEqual(leasedUntilMs);
        const heldAttempts = await pool.query<{ outcome: string; status_code: number | null }>(
          'SELECT outcome, status_code FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY id',
          [heldDelivery!.id],
        );
        // The killed worker's attempt is in the log as lost (found when the new worker claimed it again).
        expect(heldAttempts.rows).toEqual([
          { outcome: 'lost', status_code: null },
          { outcome: 'delivered', status_code: 200 },
        ]);

        // Nothing anywhere is left behind, and the endpoint never counted the kill as its failure.
        const byStatus = await pool.query<{ status: string }>('SELECT DISTINCT status FROM webhook_deliveries');
        expect(byStatus.rows).toEqual([{ status: 'delivered' }]);
        const endpoint = await api(stack, user, `/api/v1/webhook-endpoints/${endpointId}`);
        expect(endpoint.body).toMatchObject({ status: 'enabled', failing_since: null, disabled_at: null });
      } finally {
        await receiver.close();
      }
    },
  );
});
