// Goal: a user manages outgoing webhook endpoints through the API: the secret is shown once (at create and
// rotate) and never again, another user's endpoint is a 404 everywhere, the URL rule refuses what Paygate
// must never call (and names the field), the per-user limit holds, and a deposit made through the API gives
// the endpoint a delivery of the transaction as the API answers it. Method: the API in-process on the real
// stack; loopback is allowlisted as a developer would, and a production API shows the refusals.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { TestApi, TestUser } from './setup/api';
import { call, getAs, givenUser, postDeposit, startApi } from './setup/api';

const STRONG = {
  WEBHOOK_SECRET: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  BANK_API_KEY: 'b1c7e0f4a9d24c3e8f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
  WEBHOOK_ENDPOINT_SECRET_KEY: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

let api: TestApi;
let production: TestApi;
beforeAll(async () => {
  [api, production] = await Promise.all([
    startApi({ WEBHOOK_ALLOW_PRIVATE_URLS: '127.0.0.0/8,::1/128', WEBHOOK_ENDPOINTS_PER_USER_MAX: '3' }),
    startApi({ NODE_ENV: 'production', ...STRONG }),
  ]);
});
afterAll(() => Promise.all([api.close(), production.close()]));

function send(target: TestApi, user: TestUser, method: string, path: string, body?: unknown) {
  return call(target.baseUrl, path, { method, headers: { 'x-api-key': user.apiKey }, body });
}

describe('POST /api/v1/webhook-endpoints', () => {
  test('when an endpoint is added, then 201 with a whsec_ secret shown once, and a deposit gives it a delivery of the transaction', async () => {
    const user = await givenUser();
    const created = await send(api, user, 'POST', '/api/v1/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hook',
      description: 'orders',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/webhook-endpoints/${created.body.id}`);
    expect(created.body).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      events: ['transaction.updated'],
      description: 'orders',
      status: 'enabled',
      disabled_at: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const read = await getAs(api, user, `/api/v1/webhook-endpoints/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(read.text).not.toContain(created.body.secret.slice(6));
    const list = await getAs(api, user, '/api/v1/webhook-endpoints');
    expect(list.body.items.map((item: { id: number }) => item.id)).toEqual([created.body.id]);

    const deposit = await postDeposit(api, user, '12.34');
    expect(deposit.status).toBe(202);
    const deliveries = await getAs(api, user, `/api/v1/webhook-endpoints/${created.body.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body).toMatchObject({ limit: 20, has_more: false, next_cursor: null });
    expect(deliveries.body.items).toHaveLength(1);
    expect(deliveries.body.items[0]).toMatchObject({
      event_type: 'transaction.updated',
      status: 'pending',
      attempt_count: 0,
      event_id: expect.stringMatching(/^msg_\d+$/),
    });
    // The secret is stored sealed: the database does not hold it in clear.
    const stored = await api.pool.query<{ secret_ciphertext: string }>(
      'SELECT secret_ciphertext FROM webhook_endpoints WHERE id = $1',
      [created.body.id],
    );
    expect(stored.rows[0]?.secret_ciphertext).not.toContain(created.body.secret.slice(6));
  });

  test.each([
    [{ url: 'ftp://example.com/hook' }, 'webhook_url_not_allowed', 'scheme_not_allowed'],
    [{ url: 'http://10.0.0.7/hook' }, 'webhook_url_not_allowed', 'address_not_allowed'],
    [{ url: 'http://user:pw@127.0.0.1/hook' }, 'webhook_url_not_allowed', 'credentials_not_allowed'],
    [{ url: 'http://127.0.0.1/hook', events: ['payment.created'] }, 'validation_error', 'invalid_value'],
    [{ url: 'http://127.0.0.1/hook', secret: 'whsec_mine' }, 'validation_error', 'unrecognized_keys'],
  ])('when the body is %j, then %s (%s) and nothing is created', async (body, code, reason) => {
    const user = await givenUser();
    const answer = await send(api, user, 'POST', '/api/v1/webhook-endpoints', body);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toBe(code);
    expect(answer.body.details[0].reason).toBe(reason);
    expect((await getAs(api, user, '/api/v1/webhook-endpoints')).body.items).toEqual([]);
  });

  test('when the user has as many endpoints as allowed, then 409 webhook_endpoint_limit_reached', async () => {
    const user = await givenUser();
    for (let index = 0; index < 3; index += 1) {
      expect(
        (await send(api, user, 'POST', '/api/v1/webhook-endpoints', { url: `http://127.0.0.1/${index}` })).status,
      ).toBe(201);
    }
    const refused = await send(api, user, 'POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1/4' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'webhook_endpoint_limit_reached', details: { endpoint_count_max: 3 } });
  });
});

describe('webhook endpoint URLs in production (SSRF)', () => {
  test.each([
    'http://127.0.0.1:8000/hook',
    'http://localhost:8000/hook',
    `http://${os.hostname()}:8000/hook`,
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[fd00::1]/hook',
    'http://192.168.1.10/hook',
    'http://2130706433/hook',
  ])('when %s is added with NODE_ENV=production, then 422 webhook_url_not_allowed', async (url) => {
    const user = await givenUser();
    const answer = await send(production, user, 'POST', '/api/v1/webhook-endpoints', { url });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toBe('webhook_url_not_allowed');
    expect(answer.body.details[0].field).toBe('url');
  });
});

describe('one endpoint: GET, DELETE, rotate-secret, deliveries, retry', () => {
  test('when another user names an endpoint, then every route answers 404 and nothing changes', async () => {
    const [owner, stranger] = [await givenUser(), await givenUser()];
    const created = await send(api, owner, 'POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1/owner' });
    const base = `/api/v1/webhook-endpoints/${created.body.id}`;
    const answers = await Promise.all([
      send(api, stranger, 'GET', base),
      send(api, stranger, 'DELETE', base),
      send(api, stranger, 'POST', `${base}/rotate-secret`),
      send(api, stranger, 'GET', `${base}/deliveries`),
      send(api, stranger, 'POST', `${base}/deliveries/1/retry`),
    ]);
    expect(answers.map((answer) => [answer.status, answer.body.error])).toEqual(
      Array.from({ length: 5 }, () => [404, 'not_found']),
    );
    expect((await getAs(api, stranger, '/api/v1/webhook-endpoints')).body.items).toEqual([]);
    expect((await getAs(api, owner, base)).body).toMatchObject({ id: created.body.id, secret_rotated_at: null });
  });

  test('when the secret is rotated, then a new secret is shown once and the rotation time is kept', async () => {
    const user = await givenUser();
    const created = await send(api, user, 'POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1/rotate' });
    const rotated = await send(api, user, 'POST', `/api/v1/webhook-endpoints/${created.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.secret_rotated_at).toEqual(expect.any(String));
  });

  test('when an endpoint is deleted, then it is gone with its deliveries', async () => {
    const user = await givenUser();
    const created = await send(api, user, 'POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1/gone' });
    await postDeposit(api, user, '1.00');
    const base = `/api/v1/webhook-endpoints/${created.body.id}`;
    const deleted = await send(api, user, 'DELETE', base);
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(created.body.id);
    expect((await getAs(api, user, base)).status).toBe(404);
    expect((await getAs(api, user, `${base}/deliveries`)).status).toBe(404);
    const left = await api.pool.query('SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1', [created.body.id]);
    expect(left.rowCount).toBe(0);
  });

  test('when deliveries are paged, then keyset pages cover each once, newest first, and a retry makes one due now', async () => {
    const user = await givenUser();
    const created = await send(api, user, 'POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1/pages' });
    for (const amount of ['1.00', '2.00', '3.00']) await postDeposit(api, user, amount);
    const base = `/api/v1/webhook-endpoints/${created.body.id}/deliveries`;
    const first = await getAs(api, user, `${base}?limit=2`);
    expect(first.body).toMatchObject({ limit: 2, has_more: true });
    const second = await getAs(api, user, `${base}?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    const ids = [...first.body.items, ...second.body.items].map((item: { id: number }) => item.id);
    expect(ids).toEqual([...ids].sort((left, right) => right - left));
    expect(new Set(ids).size).toBe(3);
    expect((await getAs(api, user, `${base}?cursor=not-ours`)).body.error).toBe('validation_error');

    const retried = await send(api, user, 'POST', `${base}/${ids[2]}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: ids[2], status: 'pending' });
    expect((await send(api, user, 'POST', `${base}/999999999/retry`)).body.error).toBe('not_found');
  });
});
