// Goal: every committed transaction change gives one delivery per enabled, subscribed endpoint of its user,
// written in the same database transaction, and the repositories keep users apart and keep the lease,
// retry and disable rules. Method: drive the real money functions through the repositories, then read the
// delivery tables; a rolled-back change must leave nothing behind.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';

import type { CreateTransactionInput } from '../src';
import {
  TransactionsRepository,
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
  withTransaction,
} from '../src';
import { givenUserWithWallet, testPool } from './setup/fixtures';

const pool = testPool(5);
const transactions = new TransactionsRepository(pool);
const endpoints = new WebhookEndpointsRepository(pool);
const deliveries = new WebhookDeliveriesRepository(pool);
afterAll(() => pool.end());

function deposit(userId: number): CreateTransactionInput {
  return {
    userId,
    type: 'deposit',
    amountMinor: 1_000n,
    currency: 'USD',
    idempotencyKey: randomUUID(),
    method: 'POST',
    path: '/api/v1/deposits',
    fingerprint: 'f',
    requestId: null,
    idempotencyTtlHours: 24,
  };
}

async function givenEndpoint(userId: number, url = 'https://hooks.example.com/a') {
  const created = await endpoints.create({
    userId,
    url,
    events: ['transaction.updated'],
    description: null,
    secretCiphertext: 'v1.aXY.Y2lwaGVy',
    endpointCountMax: 5,
  });
  if (created.outcome !== 'created') throw new Error('endpoint not created');
  return created.endpoint;
}

async function deliveryRows(endpointId: number) {
  const { rows } = await pool.query<{ event_id: string; status: string; payload: { status: string } }>(
    'SELECT event_id, status, payload FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id',
    [endpointId],
  );
  return rows;
}

describe('the fan-out trigger', () => {
  test('when a deposit is created, then each enabled endpoint of its user gets one delivery of the new row', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'hooks');
    const { userId: otherUserId } = await givenUserWithWallet(pool, 0n, 'other');
    const first = await givenEndpoint(userId);
    const second = await givenEndpoint(userId, 'https://hooks.example.com/b');
    const disabled = await givenEndpoint(userId, 'https://hooks.example.com/c');
    const others = await givenEndpoint(otherUserId);
    await pool.query('UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1', [disabled.id]);

    const created = await transactions.create(deposit(userId));
    expect(created.outcome).toBe('created');

    for (const endpoint of [first, second]) {
      const rows = await deliveryRows(endpoint.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'pending', payload: { status: 'pending', user_id: userId } });
    }
    expect(await deliveryRows(disabled.id)).toEqual([]);
    expect(await deliveryRows(others.id)).toEqual([]);
  });

  test('when the change rolls back, then no delivery is left', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'rollback');
    const endpoint = await givenEndpoint(userId);
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO transactions (user_id, account_id, type, amount, currency) SELECT $1, id, 'deposit', 100, 'USD' FROM accounts WHERE user_id = $1 RETURNING id",
      [userId],
    );
    await expect(
      withTransaction(pool, async (client) => {
        await client.query(
          "INSERT INTO transaction_events (transaction_id, to_status, cause) VALUES ($1, 'pending', 'test')",
          [rows[0]?.id],
        );
        expect(
          (await client.query('SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1', [endpoint.id])).rowCount,
        ).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await deliveryRows(endpoint.id)).toEqual([]);
  });
});

describe('WebhookEndpointsRepository', () => {
  test('when a user is at the limit, then the next create is refused, even when several race', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'limit');
    const input = {
      userId,
      url: 'https://hooks.example.com/x',
      events: ['transaction.updated' as const],
      description: null,
      secretCiphertext: 'v1.aXY.Y2lwaGVy',
      endpointCountMax: 3,
    };
    const results = await Promise.all(Array.from({ length: 6 }, () => endpoints.create(input)));
    expect(results.filter((result) => result.outcome === 'created')).toHaveLength(3);
    expect(await endpoints.list(userId)).toHaveLength(3);
  });

  test("when another user's endpoint is asked for, then it is not found and nothing changes", async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'owner');
    const { userId: strangerId } = await givenUserWithWallet(pool, 0n, 'stranger');
    const endpoint = await givenEndpoint(userId);
    expect(await endpoints.get(strangerId, endpoint.id)).toBeNull();
    expect(await endpoints.rotateSecret(strangerId, endpoint.id, 'v1.bmV3.bmV3')).toBeNull();
    expect(await endpoints.delete(strangerId, endpoint.id)).toBe(false);
    expect(await deliveries.page(strangerId, endpoint.id, 10, null)).toEqual({ items: [], nextBeforeId: null });
    expect(await endpoints.get(userId, endpoint.id)).toMatchObject({ id: endpoint.id, secretRotatedAt: null });
  });
});

describe('WebhookDeliveriesRepository', () => {
  test('when the last attempt fails after failing for the whole schedule, then the endpoint is disabled and its other deliveries fail', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'disable');
    const endpoint = await givenEndpoint(userId);
    await transactions.create(deposit(userId));
    await transactions.create(deposit(userId));
    const [first, second] = (await deliveries.page(userId, endpoint.id, 10, null)).items.map((item) => item.delivery);
    if (first === undefined || second === undefined) throw new Error('two deliveries expected');
    const failed = (retryDelayS: number | null) => ({
      deliveryId: first.id,
      endpointId: endpoint.id,
      startedAt: new Date(),
      durationMs: 5,
      result: { outcome: 'failed' as const, statusCode: 500, error: 'HTTP 500', retryDelayS },
      scheduleTotalS: 0,
    });
    expect(await deliveries.recordAttempt(failed(0))).toBe('retrying');
    expect(await deliveries.recordAttempt(failed(null))).toBe('endpoint_disabled');
    expect((await endpoints.get(userId, endpoint.id))?.disabledAt).toBeInstanceOf(Date);
    const page = await deliveries.page(userId, endpoint.id, 10, null);
    expect(page.items.map((item) => [item.delivery.status, item.delivery.attemptCount])).toEqual([
      ['failed', 2],
      ['failed', 0],
    ]);
    expect(page.items[0]?.attempts.map((attempt) => attempt.attemptCount)).toEqual([2, 1]);

    // A manual retry re-enables the endpoint and allows exactly one more attempt.
    const retried = await deliveries.retry(userId, endpoint.id, first.id);
    expect(retried?.delivery).toMatchObject({ status: 'pending', attemptCount: 2 });
    expect((await endpoints.get(userId, endpoint.id))?.disabledAt).toBeNull();
    const claimed = (await deliveries.claimDue(100, 60_000)).find((delivery) => delivery.id === first.id);
    expect(claimed).toMatchObject({ attemptCount: 2, attemptCountMax: 3, url: endpoint.url });
  });

  test('when a delivery is claimed, then no second claim takes it until the lease runs out', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'lease');
    const endpoint = await givenEndpoint(userId);
    await transactions.create(deposit(userId));
    const claimedFirst = (await deliveries.claimDue(1_000, 60_000)).filter((item) => item.endpointId === endpoint.id);
    expect(claimedFirst).toHaveLength(1);
    expect((await deliveries.claimDue(1_000, 60_000)).filter((item) => item.endpointId === endpoint.id)).toEqual([]);
    await pool.query(
      "UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 second' WHERE endpoint_id = $1",
      [endpoint.id],
    );
    const reclaimed = (await deliveries.claimDue(1_000, 60_000)).filter((item) => item.endpointId === endpoint.id);
    expect(reclaimed).toHaveLength(1);
    expect(claimedFirst[0]?.lostAttempt).toBe(false);
    // The first holder never recorded an answer: its attempt is in the log as lost, and counted.
    expect(reclaimed[0]).toMatchObject({ lostAttempt: true, attemptCount: 1 });
    const lost = (await deliveries.page(userId, endpoint.id, 10, null)).items[0];
    expect(lost?.delivery).toMatchObject({
      status: 'pending',
      attemptCount: 1,
      lastError: expect.stringMatching(/^No answer recorded/),
    });
    expect(lost?.attempts).toEqual([
      expect.objectContaining({ attemptCount: 1, outcome: 'lost', statusCode: null, durationMs: 60_000 }),
    ]);

    const delivery = reclaimed[0];
    if (delivery === undefined) throw new Error('reclaimed');
    const outcome = await deliveries.recordAttempt({
      deliveryId: delivery.id,
      endpointId: endpoint.id,
      startedAt: new Date(),
      durationMs: 7,
      result: { outcome: 'delivered', statusCode: 200 },
      scheduleTotalS: 0,
    });
    expect(outcome).toBe('delivered');
    const done = (await deliveries.page(userId, endpoint.id, 10, null)).items[0];
    expect(done?.attempts.map((attempt) => [attempt.attemptCount, attempt.outcome])).toEqual([
      [2, 'delivered'],
      [1, 'lost'],
    ]);
  });

  test('when a delivery that was answered is claimed again (a retry), then no attempt is recorded as lost', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'nolost');
    const endpoint = await givenEndpoint(userId);
    await transactions.create(deposit(userId));
    const [claimed] = (await deliveries.claimDue(1_000, 60_000)).filter((item) => item.endpointId === endpoint.id);
    if (claimed === undefined) throw new Error('claimed');
    await deliveries.recordAttempt({
      deliveryId: claimed.id,
      endpointId: endpoint.id,
      startedAt: new Date(),
      durationMs: 5,
      result: { outcome: 'failed', statusCode: 503, error: 'HTTP 503', retryDelayS: 0 },
      scheduleTotalS: 3_600,
    });
    const [again] = (await deliveries.claimDue(1_000, 60_000)).filter((item) => item.endpointId === endpoint.id);
    expect(again).toMatchObject({ lostAttempt: false, attemptCount: 1 });
    const page = (await deliveries.page(userId, endpoint.id, 10, null)).items[0];
    expect(page?.attempts.map((attempt) => attempt.outcome)).toEqual(['failed']);
  });
});
