// Goal: balances and history are the user's own, and correct to the cent.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { TestApi } from './setup/api';
import { getAs, givenUser, postDeposit, postWithdrawal, startApi } from './setup/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('GET /api/v1/users/{user_id}/balance', () => {
  test('when asking for your balance, then balance, available balance and currency', async () => {
    const user = await givenUser('1000.00');
    await postWithdrawal(api, user, '0.01');
    const answer = await getAs(api, user, `/api/v1/users/${user.id}/balance`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ user_id: user.id, balance: '1000.00', available_balance: '999.99', currency: 'USD' });
  });

  test("when asking for another user's balance, then 403 forbidden", async () => {
    const [user, other] = [await givenUser(), await givenUser()];
    const answer = await getAs(api, user, `/api/v1/users/${other.id}/balance`);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('forbidden');
    expect((await getAs(api, user, `/api/v1/users/${other.id}/transactions`)).status).toBe(403);
  });
});

describe('GET /api/v1/users/{user_id}/transactions', () => {
  test('when listing history, then deposits and withdrawals together, filterable by type', async () => {
    const user = await givenUser('50.00');
    await postDeposit(api, user, '1.00');
    await postWithdrawal(api, user, '2.00');
    const all = await getAs(api, user, `/api/v1/users/${user.id}/transactions`);
    expect(all.body.items.map((item: { type: string }) => item.type)).toEqual(['withdrawal', 'deposit']);
    const onlyDeposits = await getAs(api, user, `/api/v1/users/${user.id}/transactions?type=deposit&limit=1`);
    expect(onlyDeposits.body).toMatchObject({ total: 1, limit: 1, has_more: false });
  });
});
