// Goal: POST /api/v1/deposits answers 202 pending, exactly once per Idempotency-Key, and refuses bad
// requests without changing anything. Method: the API in-process on the real services; state re-read
// through the API and the database.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { encodeTransaction, TransactionWire } from '@paygate/contracts';
import { SettlementRepository, TransactionsRepository } from '@paygate/db';

import type { TestApi } from './setup/api';
import { call, getAs, givenUser, newKey, postDeposit, rowCounts, startApi } from './setup/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('POST /api/v1/deposits', () => {
  test('when the request is valid, then 202 with the pending transaction, its Location, and one outbox message', async () => {
    const user = await givenUser();
    const key = newKey();
    const answer = await postDeposit(api, user, '100.50', key);
    expect(answer.status).toBe(202);
    expect(TransactionWire.parse(answer.body)).toMatchObject({
      type: 'deposit',
      status: 'pending',
      amount: '100.50',
      currency: 'USD',
      user_id: user.id,
      idempotency_key: key,
      bank_reference: null,
      completed_at: null,
    });
    expect(answer.headers.get('location')).toBe(`/api/v1/deposits/${answer.body.id}`);
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
    expect(await rowCounts(api.pool, user.id)).toEqual({ transactions: 1, keys: 1, outbox: 1, events: 1 });
    const fetched = await getAs(api, user, `/api/v1/deposits/${answer.body.id}`);
    expect(fetched.body.status).toBe('pending');
  });

  test('when a deposit is created, then the answer is the contract encoding of the stored row, byte for byte', async () => {
    const user = await givenUser();
    const answer = await postDeposit(api, user, 7);
    const row = await new TransactionsRepository(api.pool).findById(answer.body.id);
    expect(answer.text).toBe(JSON.stringify(encodeTransaction(row!)));
  });

  test('when the Idempotency-Key header is missing, then 400 idempotency_key_missing and nothing is created', async () => {
    const user = await givenUser();
    const answer = await call(api.baseUrl, '/api/v1/deposits', {
      headers: { 'x-api-key': user.apiKey },
      body: { amount: '10.00' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'idempotency_key_missing', request_id: expect.any(String) });
    expect((await rowCounts(api.pool, user.id)).transactions).toBe(0);
  });

  test('when the amount is negative, then 422 validation_error naming amount', async () => {
    const user = await givenUser();
    const answer = await postDeposit(api, user, -10);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      error: 'validation_error',
      details: [{ field: 'amount', reason: 'negative' }],
    });
    expect(await rowCounts(api.pool, user.id)).toEqual({ transactions: 0, keys: 0, outbox: 0, events: 0 });
  });

  test('when the same key and body come again, then the first answer is replayed with Idempotent-Replayed', async () => {
    const user = await givenUser();
    const key = newKey();
    const first = await postDeposit(api, user, '25.00', key);
    const again = await postDeposit(api, user, 25, key);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect((await rowCounts(api.pool, user.id)).transactions).toBe(1);
  });

  // Goal: a replay is the first answer, not today's state. Method: settle the deposit between the two calls.
  test('when the deposit settled since, then the replay still answers the first, pending answer byte for byte', async () => {
    const user = await givenUser();
    const key = newKey();
    const first = await postDeposit(api, user, '12.00', key);
    const settlement = new SettlementRepository(api.pool);
    await settlement.startProcessing({ transactionId: first.body.id, cause: 'test.worker', requestId: null });
    await settlement.settle({
      transactionId: first.body.id,
      status: 'success',
      bankReference: 'BNK-REPLAY',
      errorCode: null,
      errorMessage: null,
      detail: null,
      cause: 'test.bank',
      requestId: null,
    });
    const again = await postDeposit(api, user, '12.00', key);
    expect(again.text).toBe(first.text);
    expect(again.body.status).toBe('pending');
  });

  test('when the same key comes with another body, then 422 idempotency_key_reused and nothing changes', async () => {
    const user = await givenUser();
    const key = newKey();
    await postDeposit(api, user, '25.00', key);
    const other = await postDeposit(api, user, '26.00', key);
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('idempotency_key_reused');
    const onWithdrawals = await call(api.baseUrl, '/api/v1/withdrawals', {
      headers: { 'x-api-key': user.apiKey, 'idempotency-key': key },
      body: { amount: '25.00' },
    });
    expect(onWithdrawals.body.error).toBe('idempotency_key_reused');
    expect((await rowCounts(api.pool, user.id)).transactions).toBe(1);
  });

  test('when another user sends the same key, then it is a separate request', async () => {
    const [alice, bob] = [await givenUser(), await givenUser()];
    const key = newKey();
    expect((await postDeposit(api, alice, '1.00', key)).status).toBe(202);
    const bobs = await postDeposit(api, bob, '1.00', key);
    expect(bobs.status).toBe(202);
    expect(bobs.headers.get('idempotent-replayed')).toBeNull();
  });

  test('when 100 identical POSTs race with one key, then exactly one transaction exists and every answer is it or a 409', async () => {
    const user = await givenUser();
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 100 }, () => postDeposit(api, user, '3.00', key)));
    const created = answers.filter((answer) => answer.status === 202);
    const conflicts = answers.filter((answer) => answer.status === 409);
    expect(created.length + conflicts.length).toBe(100);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
    expect(created.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    for (const conflict of conflicts) expect(conflict.body.error).toBe('idempotency_request_in_progress');
    expect(await rowCounts(api.pool, user.id)).toEqual({ transactions: 1, keys: 1, outbox: 1, events: 1 });
  });

  test("when the currency is not the wallet's, then 422 naming currency and nothing is created", async () => {
    const user = await givenUser();
    const answer = await call(api.baseUrl, '/api/v1/deposits', {
      headers: { 'x-api-key': user.apiKey, 'idempotency-key': newKey() },
      body: { amount: '1.00', currency: 'EUR' },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.details[0]).toMatchObject({ field: 'currency', reason: 'currency_not_supported' });
    expect((await rowCounts(api.pool, user.id)).keys).toBe(0);
  });
});
