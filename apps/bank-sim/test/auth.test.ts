// Goal: the bank acts for its one merchant only. Every call but GET /health and GET /metrics needs
// `Authorization: Bearer <BANK_API_KEY>`; without it, or with a wrong one, the answer is 401 with
// WWW-Authenticate and nothing happens. Method: calls with no, wrong and right credentials; the effects
// (an order, a control change) are read back with the right one.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { call, createTestRun, newOrder, startBank, TEST_BANK_API_KEY } from './setup/bank';
import type { TestBank, TestRun } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let run: TestRun;
let bank: TestBank;
let receiver: Receiver;

beforeAll(async () => {
  [run, receiver] = await Promise.all([createTestRun('auth'), startReceiver()]);
  bank = await startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url });
});

afterAll(async () => {
  await bank.stop();
  await Promise.all([receiver.stop(), run.cleanup()]);
});

const WRONG_CREDENTIALS: [string, string | null][] = [
  ['no credential', null],
  ['a wrong credential', 'test-bank-api-key-0123456780'],
  ['the right credential with a suffix', `${TEST_BANK_API_KEY}x`],
  ['an empty token', ''],
];

describe('merchant authentication', () => {
  test.each(WRONG_CREDENTIALS)('when POST /v1/payments has %s, then 401 and no order', async (_name, credential) => {
    const { key, body } = newOrder();

    const answer = await bank.post(body, { 'idempotency-key': key }, { credential });

    expect(answer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(typeof (answer.body as { message: unknown }).message).toBe('string');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await bank.get(`/v1/payments/${key}`)).status).toBe(404);
  });

  test.each(WRONG_CREDENTIALS)(
    'when GET /v1/payments/:reference has %s, then 401 and no order shown',
    async (_name, credential) => {
      const { key, body } = newOrder();
      expect((await bank.post(body, { 'idempotency-key': key })).status).toBe(202);

      const answer = await bank.get(`/v1/payments/${key}`, { credential });

      expect(answer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(JSON.stringify(answer.body)).not.toContain(body.reference);
    },
  );

  test.each(WRONG_CREDENTIALS)('when /control has %s, then 401 and the switches stay', async (_name, credential) => {
    const read = await bank.get('/control', { credential });
    const write = await bank.control({ mode: 'always_503' }, { credential });

    expect(read).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(write).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect((await bank.get('/control')).body).toMatchObject({ mode: 'normal' });
  });

  test('when the scheme is not Bearer, then 401', async () => {
    const answer = await call(`${bank.baseUrl}/control`, 'GET', undefined, {
      credential: null,
      headers: { authorization: `Basic ${Buffer.from(`merchant:${TEST_BANK_API_KEY}`).toString('base64')}` },
    });

    expect(answer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  });

  test('when the credential is wrong, then WWW-Authenticate says the token is invalid', async () => {
    const answer = await bank.get('/control', { credential: 'not-the-key-at-all-0123' });

    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  test('when the scheme is written in lower case, then the right credential is accepted', async () => {
    const answer = await call(`${bank.baseUrl}/control`, 'GET', undefined, {
      credential: null,
      headers: { authorization: `bearer ${TEST_BANK_API_KEY}` },
    });

    expect(answer.status).toBe(200);
  });

  test('when an unknown route is called without a credential, then 401 (nothing is revealed)', async () => {
    expect(await bank.get('/v2/nothing', { credential: null })).toMatchObject({ status: 401 });
  });

  test('when GET /health and GET /metrics are called without a credential, then they answer', async () => {
    const health = await bank.get('/health', { credential: null });
    const metrics = await bank.get('/metrics', { credential: null });

    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/bank_sim_requests_unauthorized_total \d+/);
  });
});
