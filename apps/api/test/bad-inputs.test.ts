// Goal: no input, however malformed or hostile, gets a 5xx or changes anything.
// Method: a table of bad requests against every writing route; each must get its 4xx with the error shape,
// and the user's rows (transactions, keys, outbox, events) must be unchanged afterwards.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { TestApi, TestUser } from './setup/api';
import { call, givenUser, newKey, rowCounts, startApi } from './setup/api';

let api: TestApi;
let user: TestUser;
beforeAll(async () => {
  api = await startApi();
  user = await givenUser('100.00');
});
afterAll(() => api.close());

interface BadRequest {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  withoutIdempotencyKey?: boolean;
  body?: unknown;
  rawBody?: string;
  status: number;
  error: string;
}

const deep = (depth: number): unknown => (depth === 0 ? 1 : { a: deep(depth - 1) });

const CASES: BadRequest[] = [
  { name: 'amount as a boolean', body: { amount: true }, status: 422, error: 'validation_error' },
  { name: 'amount as null', body: { amount: null }, status: 422, error: 'validation_error' },
  { name: 'amount as an object', body: { amount: { value: 1 } }, status: 422, error: 'validation_error' },
  { name: 'amount as an array', body: { amount: [1] }, status: 422, error: 'validation_error' },
  { name: 'amount missing', body: {}, status: 422, error: 'validation_error' },
  { name: 'amount zero', body: { amount: 0 }, status: 422, error: 'validation_error' },
  { name: 'amount negative string', body: { amount: '-5.00' }, status: 422, error: 'validation_error' },
  { name: 'amount with 3 decimals', body: { amount: '1.001' }, status: 422, error: 'validation_error' },
  { name: 'amount 3 decimals as a number', body: { amount: 10.123 }, status: 422, error: 'validation_error' },
  { name: 'amount "1e3"', body: { amount: '1e3' }, status: 422, error: 'validation_error' },
  { name: 'amount "NaN"', body: { amount: 'NaN' }, status: 422, error: 'validation_error' },
  { name: 'amount "Infinity"', body: { amount: 'Infinity' }, status: 422, error: 'validation_error' },
  { name: 'amount just over the maximum', body: { amount: '1000000000.01' }, status: 422, error: 'validation_error' },
  { name: 'amount huge number', body: { amount: 1e300 }, status: 422, error: 'validation_error' },
  { name: 'amount of 400 digits', rawBody: `{"amount":${'9'.repeat(400)}}`, status: 422, error: 'validation_error' },
  { name: 'amount as words', body: { amount: 'ten dollars' }, status: 422, error: 'validation_error' },
  {
    name: 'amount with SQL',
    body: { amount: '1; DROP TABLE transactions; --' },
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'amount with a script',
    body: { amount: '<script>alert(1)</script>' },
    status: 422,
    error: 'validation_error',
  },
  { name: 'currency lowercase', body: { amount: '1.00', currency: 'usd' }, status: 422, error: 'validation_error' },
  { name: 'currency with SQL', body: { amount: '1.00', currency: "USD'; --" }, status: 422, error: 'validation_error' },
  { name: 'an unknown field', body: { amount: '1.00', user_id: 1 }, status: 422, error: 'validation_error' },
  {
    name: 'a __proto__ field',
    rawBody: '{"amount":"1.00","__proto__":{"admin":true}}',
    status: 422,
    error: 'validation_error',
  },
  { name: 'deeply nested body', body: { amount: '1.00', nested: deep(2000) }, status: 422, error: 'validation_error' },
  { name: 'body is an array', body: [{ amount: '1.00' }], status: 422, error: 'validation_error' },
  { name: 'body is a bare string', rawBody: '"1.00"', status: 400, error: 'invalid_json' },
  {
    name: 'empty body',
    rawBody: '',
    headers: { 'content-type': 'application/json' },
    status: 422,
    error: 'validation_error',
  },
  { name: 'broken JSON', rawBody: '{"amount": ', status: 400, error: 'invalid_json' },
  {
    name: 'not JSON at all',
    rawBody: 'amount=1.00',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'text/plain body',
    rawBody: '{"amount":"1.00"}',
    headers: { 'content-type': 'text/plain' },
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: '1 MiB body',
    rawBody: `{"amount":"1.00","pad":"${'x'.repeat(1024 * 1024)}"}`,
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: '300-char idempotency key',
    headers: { 'idempotency-key': 'k'.repeat(300) },
    body: { amount: '1.00' },
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'idempotency key with a control character (tab)',
    headers: { 'idempotency-key': 'abc\tdef' },
    body: { amount: '1.00' },
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'idempotency key with non-ASCII bytes',
    headers: { 'idempotency-key': Buffer.from('caf\u00e9', 'latin1').toString('latin1') },
    body: { amount: '1.00' },
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'empty idempotency key',
    headers: { 'idempotency-key': '' },
    body: { amount: '1.00' },
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'no idempotency key',
    withoutIdempotencyKey: true,
    body: { amount: '1.00' },
    status: 400,
    error: 'idempotency_key_missing',
  },
  {
    name: 'SQL in the API key',
    headers: { 'x-api-key': "' OR 1=1; --" },
    body: { amount: '1.00' },
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'a 10 kB API key',
    headers: { 'x-api-key': 'k'.repeat(10_000) },
    body: { amount: '1.00' },
    status: 401,
    error: 'unauthorized',
  },
  { name: 'PUT on the collection', method: 'PUT', body: { amount: '1.00' }, status: 405, error: 'method_not_allowed' },
  { name: 'DELETE a deposit', method: 'DELETE', path: '/api/v1/deposits/1', status: 405, error: 'method_not_allowed' },
  { name: 'non-numeric id', method: 'GET', path: '/api/v1/deposits/abc', status: 422, error: 'validation_error' },
  { name: 'negative id', method: 'GET', path: '/api/v1/deposits/-1', status: 422, error: 'validation_error' },
  {
    name: 'SQL in the id',
    method: 'GET',
    path: `/api/v1/withdrawals/${encodeURIComponent('1 OR 1=1')}`,
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'id beyond any bigint',
    method: 'GET',
    path: '/api/v1/deposits/99999999999999999999999',
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'non-numeric user id',
    method: 'GET',
    path: '/api/v1/users/me/balance',
    status: 422,
    error: 'validation_error',
  },
  { name: 'limit 0', method: 'GET', path: '/api/v1/deposits?limit=0', status: 422, error: 'validation_error' },
  { name: 'limit 101', method: 'GET', path: '/api/v1/deposits?limit=101', status: 422, error: 'validation_error' },
  { name: 'limit as text', method: 'GET', path: '/api/v1/deposits?limit=all', status: 422, error: 'validation_error' },
  {
    name: 'unknown status value',
    method: 'GET',
    path: '/api/v1/deposits?status=done',
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'unknown type value',
    method: 'GET',
    path: '/api/v1/users/ME/transactions?type=refund',
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'unknown query parameter',
    method: 'GET',
    path: '/api/v1/deposits?sort=amount',
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'forged cursor',
    method: 'GET',
    path: '/api/v1/deposits?cursor=Zm9vOmJhcg',
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'status given twice',
    method: 'GET',
    path: '/api/v1/deposits?status=pending&status=failed',
    status: 422,
    error: 'validation_error',
  },
  {
    name: 'created_from not a date',
    method: 'GET',
    path: '/api/v1/deposits?created_from=yesterday',
    status: 422,
    error: 'validation_error',
  },
  { name: 'unknown route', method: 'GET', path: '/api/v1/refunds', status: 404, error: 'not_found' },
];

describe('bad input', () => {
  test('when there are at least 30 cases, then the table is worth its name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  test.each(CASES.map((testCase) => [testCase.name, testCase] as const))(
    'when sending %s, then the right 4xx and nothing changes',
    async (_name, testCase) => {
      const before = await rowCounts(api.pool, user.id);
      const headers: Record<string, string> = {
        'x-api-key': user.apiKey,
        ...(testCase.withoutIdempotencyKey ? {} : { 'idempotency-key': newKey() }),
        ...testCase.headers,
      };
      if (testCase.rawBody !== undefined) headers['content-type'] ??= 'application/json';
      const path = (testCase.path ?? '/api/v1/deposits').replace('/users/ME/', `/users/${user.id}/`);
      const answer = await call(api.baseUrl, path, {
        method: testCase.method ?? 'POST',
        headers,
        body: testCase.body,
        rawBody: testCase.rawBody,
      });
      expect(answer.status, answer.text.slice(0, 300)).toBe(testCase.status);
      expect(answer.body).toMatchObject({
        error: testCase.error,
        message: expect.any(String),
        request_id: answer.headers.get('x-request-id'),
      });
      expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+|SELECT|INSERT|node_modules/);
      expect(await rowCounts(api.pool, user.id)).toEqual(before);
    },
  );

  test('when the same bad requests go to /withdrawals, then they are refused the same way', async () => {
    const before = await rowCounts(api.pool, user.id);
    for (const amount of ['1e3', 'NaN', -1, '0.001', null]) {
      const answer = await call(api.baseUrl, '/api/v1/withdrawals', {
        headers: { 'x-api-key': user.apiKey, 'idempotency-key': newKey() },
        body: { amount },
      });
      expect(answer.status).toBe(422);
    }
    expect(await rowCounts(api.pool, user.id)).toEqual(before);
  });
});
