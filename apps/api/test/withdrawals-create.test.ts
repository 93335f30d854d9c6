// Goal: a withdrawal holds its amount at once, can never overdraw, and is refused without side effects.
// Method: concurrent POSTs through HTTP against one wallet, then the balance through the API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { auditLedger } from '@paygate/db';

import type { TestApi } from './setup/api';
import { getAs, givenUser, newKey, postWithdrawal, rowCounts, startApi } from './setup/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('POST /api/v1/withdrawals', () => {
  test('when the amount is within the balance, then 202 pending and the amount is held', async () => {
    const user = await givenUser('100.00');
    const answer = await postWithdrawal(api, user, '40.00');
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ type: 'withdrawal', status: 'pending', amount: '40.00' });
    const balance = await getAs(api, user, `/api/v1/users/${user.id}/balance`);
    expect(balance.body).toEqual({ user_id: user.id, balance: '100.00', available_balance: '60.00', currency: 'USD' });
  });

  test('when the amount exceeds the available balance, then 400 insufficient_balance saying what is available, and no transaction', async () => {
    const user = await givenUser('50.00');
    const answer = await postWithdrawal(api, user, '50.01');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'insufficient_balance',
      message: 'Insufficient balance: 50.00 USD available, 50.01 USD requested.',
      details: { available_balance: '50.00', requested_amount: '50.01', currency: 'USD' },
      request_id: answer.headers.get('x-request-id'),
    });
    const counts = await rowCounts(api.pool, user.id);
    expect(counts).toMatchObject({ transactions: 0, outbox: 0, events: 0 });
    expect((await getAs(api, user, `/api/v1/users/${user.id}/balance`)).body.available_balance).toBe('50.00');
  });

  test('when the refused request is retried with its key, then the same refusal is replayed', async () => {
    const user = await givenUser('1.00');
    const key = newKey();
    const first = await postWithdrawal(api, user, '2.00', key);
    const again = await postWithdrawal(api, user, '2.00', key);
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
  });

  test('when 50 withdrawals of 10.00 race on 100.00, then exactly 10 x 202 and 40 x 400, and available is 0.00', async () => {
    const user = await givenUser('100.00');
    const answers = await Promise.all(Array.from({ length: 50 }, () => postWithdrawal(api, user, '10.00')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(10);
    expect(statuses.filter((status) => status === 400)).toHaveLength(40);
    for (const refused of answers.filter((answer) => answer.status === 400))
      expect(refused.body.error).toBe('insufficient_balance');
    const balance = await getAs(api, user, `/api/v1/users/${user.id}/balance`);
    expect(balance.body).toMatchObject({ balance: '100.00', available_balance: '0.00' });
    expect((await rowCounts(api.pool, user.id)).transactions).toBe(10);
    expect(await auditLedger(api.pool)).toEqual([]);
  });
});
