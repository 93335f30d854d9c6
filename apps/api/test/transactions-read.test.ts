// Goal: users read their own deposits and withdrawals (one with its audit trail, or paginated lists) and
// never anyone else's. Method: create through the API, read back through the API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { SettlementRepository } from '@paygate/db';

import type { TestApi } from './setup/api';
import { getAs, givenUser, postDeposit, postWithdrawal, startApi } from './setup/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('GET /api/v1/deposits/{id} and /withdrawals/{id}', () => {
  test('when the transaction is yours, then it comes with its events in order', async () => {
    const user = await givenUser('10.00');
    const deposit = await postDeposit(api, user, '5.00');
    const settlement = new SettlementRepository(api.pool);
    await settlement.startProcessing({ transactionId: deposit.body.id, cause: 'test.worker', requestId: 'req-worker' });
    await settlement.settle({
      transactionId: deposit.body.id,
      status: 'success',
      bankReference: 'BNK-READ1',
      errorCode: null,
      errorMessage: null,
      detail: null,
      cause: 'test.bank',
      requestId: null,
    });
    const answer = await getAs(api, user, `/api/v1/deposits/${deposit.body.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: deposit.body.id,
      status: 'success',
      bank_reference: 'BNK-READ1',
      completed_at: expect.any(String),
    });
    expect(
      answer.body.events.map(
        (event: { from_status: string | null; to_status: string }) => `${event.from_status ?? '-'}>${event.to_status}`,
      ),
    ).toEqual(['->pending', 'pending>processing', 'processing>success']);
    expect(answer.body.events[0].request_id).toBe(deposit.headers.get('x-request-id'));
  });

  test("when the transaction is another user's, then 404 as if it did not exist", async () => {
    const [owner, other] = [await givenUser(), await givenUser()];
    const deposit = await postDeposit(api, owner, '5.00');
    const answer = await getAs(api, other, `/api/v1/deposits/${deposit.body.id}`);
    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe('not_found');
  });

  test('when a deposit is asked for as a withdrawal, then 404 naming the path it lives at', async () => {
    const user = await givenUser();
    const deposit = await postDeposit(api, user, '5.00');
    const answer = await getAs(api, user, `/api/v1/withdrawals/${deposit.body.id}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      error: 'not_found',
      message: `Transaction ${deposit.body.id} is a deposit, not a withdrawal: GET /api/v1/deposits/${deposit.body.id}.`,
      details: { type: 'deposit', path: `/api/v1/deposits/${deposit.body.id}` },
    });
    // Another user's transaction gives no such hint: it does not exist for you.
    const stranger = await givenUser();
    expect((await getAs(api, stranger, `/api/v1/withdrawals/${deposit.body.id}`)).body.message).toBe(
      `No withdrawal ${deposit.body.id}.`,
    );
  });
});

describe('GET /api/v1/deposits and /withdrawals', () => {
  // Goal: a long history is not counted row by row on every page. Method: an API whose exact-count bound
  // is 2, a user with 3 deposits and one with 2; the page stays complete either way.
  test('when more transactions match than the exact-count bound, then total is an estimate, flagged, and the page is whole', async () => {
    const bounded = await startApi({ HISTORY_EXACT_TOTAL_MAX: '2' });
    try {
      const [busy, quiet] = [await givenUser(), await givenUser()];
      for (const amount of ['1.00', '2.00', '3.00']) await postDeposit(bounded, busy, amount);
      for (const amount of ['1.00', '2.00']) await postDeposit(bounded, quiet, amount);

      const long = await getAs(bounded, busy, '/api/v1/deposits');
      expect(long.body).toMatchObject({ total_is_estimate: true, has_more: false });
      expect(long.body.total).toBeGreaterThanOrEqual(3);
      expect(long.body.items).toHaveLength(3);
      const short = await getAs(bounded, quiet, '/api/v1/deposits');
      expect(short.body).toMatchObject({ total: 2, total_is_estimate: false });
    } finally {
      await bounded.close();
    }
  });

  test('when listing, then only your transactions of that type appear, newest first, with the page fields', async () => {
    const [user, other] = [await givenUser('100.00'), await givenUser('100.00')];
    const ids: number[] = [];
    for (const amount of ['1.00', '2.00', '3.00']) ids.push((await postDeposit(api, user, amount)).body.id);
    await postWithdrawal(api, user, '4.00');
    await postDeposit(api, other, '9.00');
    const deposits = await getAs(api, user, '/api/v1/deposits');
    expect(deposits.body).toMatchObject({
      total: 3,
      total_is_estimate: false,
      limit: 20,
      offset: 0,
      has_more: false,
      next_cursor: null,
    });
    expect(deposits.body.items.map((item: { id: number }) => item.id)).toEqual([...ids].reverse());
    const withdrawals = await getAs(api, user, '/api/v1/withdrawals');
    expect(withdrawals.body.items.map((item: { amount: string }) => item.amount)).toEqual(['4.00']);
  });

  test('when paging with limit and the cursor, then every item appears once and has_more ends false', async () => {
    const user = await givenUser();
    for (let index = 1; index <= 5; index += 1) await postDeposit(api, user, `${index}.00`);
    const seen: string[] = [];
    let path = '/api/v1/deposits?limit=2';
    for (let page = 0; page < 5; page += 1) {
      const answer = await getAs(api, user, path);
      expect(answer.status).toBe(200);
      seen.push(...answer.body.items.map((item: { amount: string }) => item.amount));
      if (!answer.body.has_more) break;
      path = `/api/v1/deposits?limit=2&cursor=${answer.body.next_cursor}`;
    }
    expect(seen).toEqual(['5.00', '4.00', '3.00', '2.00', '1.00']);
    const offsetPage = await getAs(api, user, '/api/v1/deposits?limit=2&offset=4');
    expect(offsetPage.body).toMatchObject({ total: 5, offset: 4, has_more: false });
    expect(offsetPage.body.items.map((item: { amount: string }) => item.amount)).toEqual(['1.00']);
  });

  test('when filtering by status and creation time, then only matching transactions are listed', async () => {
    const user = await givenUser();
    const first = await postDeposit(api, user, '1.00');
    await new SettlementRepository(api.pool).startProcessing({
      transactionId: first.body.id,
      cause: 'test',
      requestId: null,
    });
    await postDeposit(api, user, '2.00');
    const processing = await getAs(api, user, '/api/v1/deposits?status=processing');
    expect(processing.body.items.map((item: { id: number }) => item.id)).toEqual([first.body.id]);
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await getAs(api, user, `/api/v1/deposits?created_from=${future}`)).body.total).toBe(0);
    expect((await getAs(api, user, `/api/v1/deposits?created_to=${future}`)).body.total).toBe(2);
  });

  test("when a time filter is a date alone, then it means that day's start in UTC: created_from includes the day, created_to ends before it", async () => {
    const user = await givenUser();
    const deposit = await postDeposit(api, user, '1.00');
    // The day the deposit was created on, from its own timestamp, so a run across midnight still agrees.
    const day = String(deposit.body.created_at).slice(0, 10);
    const nextDay = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const total = async (query: string) =>
      (await getAs(api, user, `/api/v1/users/${user.id}/transactions?${query}`)).body.total;
    expect(await total(`created_from=${day}`)).toBe(1);
    expect(await total(`created_to=${day}`)).toBe(0);
    expect(await total(`created_from=${day}&created_to=${nextDay}`)).toBe(1);
    expect(await total(`created_from=${nextDay}`)).toBe(0);
    const refused = await getAs(api, user, '/api/v1/deposits?created_from=2026-02-30');
    expect(refused.status).toBe(422);
    expect(refused.body.details).toEqual([
      { field: 'created_from', message: expect.stringContaining('ISO 8601 date'), reason: 'invalid_format' },
    ]);
  });

  test('when filtering by amount_min and amount_max, then only amounts inside the inclusive range are listed, on every list', async () => {
    const user = await givenUser('100.00');
    for (const amount of ['1.00', '10.00', '10.50', '1000.00']) await postDeposit(api, user, amount);
    await postWithdrawal(api, user, '10.00');
    const amounts = async (path: string) => {
      const answer = await getAs(api, user, path);
      expect(answer.status).toBe(200);
      return answer.body.items.map((item: { amount: string }) => item.amount);
    };
    expect(await amounts('/api/v1/deposits?amount_min=10&amount_max=10.50')).toEqual(['10.50', '10.00']);
    expect(await amounts('/api/v1/deposits?amount_min=10.01')).toEqual(['1000.00', '10.50']);
    expect(await amounts('/api/v1/deposits?amount_max=9.99')).toEqual(['1.00']);
    expect(await amounts('/api/v1/deposits?amount_min=0&amount_max=1')).toEqual(['1.00']);
    expect(await amounts('/api/v1/withdrawals?amount_min=10&amount_max=10')).toEqual(['10.00']);
    expect(await amounts('/api/v1/withdrawals?amount_min=10.01')).toEqual([]);
    expect(await amounts(`/api/v1/users/${user.id}/transactions?amount_min=10&amount_max=10&limit=1`)).toHaveLength(1);
    const both = await getAs(api, user, `/api/v1/users/${user.id}/transactions?amount_min=10&amount_max=10`);
    expect(both.body.items.map((item: { type: string }) => item.type).sort()).toEqual(['deposit', 'withdrawal']);
  });

  test('when an amount filter is not a decimal amount or the range is inverted, then 422 names the field and the lists are as before', async () => {
    const user = await givenUser();
    await postDeposit(api, user, '5.00');
    const before = await getAs(api, user, '/api/v1/deposits');
    const refusals: [string, string, string][] = [
      ['amount_min=abc', 'amount_min', 'invalid_format'],
      ['amount_max=1.234', 'amount_max', 'invalid_format'],
      ['amount_min=-1', 'amount_min', 'invalid_format'],
      ['amount_max=1,000.00', 'amount_max', 'invalid_format'],
      ['amount_min=9999999999999', 'amount_min', 'too_large'],
      ['amount_min=10&amount_max=9.99', 'amount_min', 'invalid_range'],
    ];
    for (const [query, field, reason] of refusals) {
      for (const path of ['/api/v1/deposits', '/api/v1/withdrawals', `/api/v1/users/${user.id}/transactions`]) {
        const refused = await getAs(api, user, `${path}?${query}`);
        expect(refused.status, `${path}?${query}`).toBe(422);
        expect(refused.body.error).toBe('validation_error');
        expect(refused.body.details).toEqual([{ field, message: expect.any(String), reason }]);
      }
    }
    expect((await getAs(api, user, '/api/v1/deposits')).body).toEqual(before.body);
  });
});
