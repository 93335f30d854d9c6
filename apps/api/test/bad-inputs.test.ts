// Goal: no input, however malformed or hostile, gets a 5xx or changes anything.
// Method: a table of bad requests against every writing route; each must get its 4xx with the error shape,
// and the user's rows (transactions, keys, outbox, events) and wallet must be unchanged afterwards. Then
// one test per hole an attacker found (each was a 500 or a silent misreading), sent byte for byte through
// node:http where fetch would clean the request up.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { Answer, TestApi, TestUser } from './setup/api';
import { call, givenUser, newKey, rawRequest, rowCounts, startApi, userState } from './setup/api';

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
  {
    name: 'deeply nested body',
    body: { amount: '1.00', nested: deep(2000) },
    status: 400,
    error: 'json_nesting_too_deep',
  },
  { name: 'body is an array', body: [{ amount: '1.00' }], status: 422, error: 'validation_error' },
  {
    name: 'JSON declared as UTF-16',
    rawBody: '{"amount":"1.00"}',
    headers: { 'content-type': 'application/json; charset=utf-16' },
    status: 415,
    error: 'unsupported_media_type',
  },
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
      const before = await userState(api.pool, user.id);
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
      expect(await userState(api.pool, user.id)).toEqual(before);
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

describe('holes an attacker found: each is a clear 4xx that changes nothing', () => {
  const deposit = (headers: Record<string, string | string[]>, body: Buffer | string) =>
    rawRequest(api.baseUrl, '/api/v1/deposits', {
      method: 'POST',
      headers: {
        'x-api-key': user.apiKey,
        'idempotency-key': newKey(),
        'content-type': 'application/json',
        ...headers,
      },
      body,
    });

  async function expectRefusedWithoutChange(
    send: () => Promise<Answer>,
    status: number,
    error: string,
  ): Promise<Answer> {
    const before = await userState(api.pool, user.id);
    const answer = await send();
    expect(answer.status, answer.text.slice(0, 300)).toBe(status);
    expect(answer.body).toMatchObject({
      error,
      message: expect.any(String),
      request_id: answer.headers.get('x-request-id'),
    });
    expect(
      Object.keys(answer.body).filter((key) => !['error', 'message', 'details', 'request_id'].includes(key)),
    ).toEqual([]);
    expect(await userState(api.pool, user.id)).toEqual(before);
    return answer;
  }

  test('when the body is ~6 KB of 3000+ nested arrays, then 400 json_nesting_too_deep (it was a RangeError, 500)', async () => {
    const body = `${'['.repeat(3_100)}${']'.repeat(3_100)}`;
    const answer = await expectRefusedWithoutChange(() => deposit({}, body), 400, 'json_nesting_too_deep');
    expect(answer.body.message).toMatch(/deeper than 32 levels/);
  });

  test.each([
    '/api/v1/deposits/%E0%A4%A',
    '/api/v1/withdrawals/%ZZ',
    '/api/v1/users/%ZZ/balance',
    '/api/v1/users/%E0%A4%A/transactions',
  ])('when the path is %s, then 400 invalid_url_encoding (it was a URIError, 500)', async (path) => {
    const answer = await expectRefusedWithoutChange(
      () => rawRequest(api.baseUrl, path, { headers: { 'x-api-key': user.apiKey } }),
      400,
      'invalid_url_encoding',
    );
    expect(answer.body.message).toMatch(/percent-encoding/);
  });

  test.each([
    ['br', Buffer.from('definitely not brotli')],
    ['gzip', gzipSync('{"amount":"1.00"}')],
    ['deflate, identity', Buffer.from('junk')],
  ])(
    'when the body comes with Content-Encoding: %s, then 415 unsupported_content_encoding (br junk was a 500)',
    async (encoding, body) => {
      const answer = await expectRefusedWithoutChange(
        () => deposit({ 'content-encoding': encoding }, body),
        415,
        'unsupported_content_encoding',
      );
      expect(answer.body.message).toMatch(/must not be compressed/);
    },
  );

  test('when Content-Encoding is identity, then the body is read as usual', async () => {
    const answer = await deposit({ 'content-encoding': 'identity' }, '{"amount":"1.00"}');
    expect(answer.status).toBe(202);
  });

  test.each([
    ['an escaped lone high surrogate in a value', '{"amount":"1.00","currency":"\\ud800SD"}'],
    ['an escaped lone low surrogate in a key', '{"amount":"1.00","\\udc00":1}'],
    ['a high surrogate escape followed by a letter', '{"amount":"\\ud83dA"}'],
  ])('when a string has %s, then 400 invalid_json (it reached PostgreSQL jsonb)', async (_name, body) => {
    const answer = await expectRefusedWithoutChange(() => deposit({}, body), 400, 'invalid_json');
    expect(answer.body.message).toMatch(
      /Lone surrogate U\+D[89A-F][0-9A-F]{2} in a string: text must be well-formed Unicode/,
    );
  });

  test.each([
    ['a stray continuation byte', Buffer.from([0x7b, 0x22, 0x61, 0x80, 0x22, 0x3a, 0x31, 0x7d])],
    [
      'an encoded surrogate (CESU-8)',
      Buffer.concat([Buffer.from('{"amount":"1.00","x":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    ],
    [
      'an overlong encoding',
      Buffer.concat([Buffer.from('{"amount":"1.00","x":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
    ],
    ['Latin-1 text', Buffer.from('{"amount":"1.00","x":"caf\u00e9"}', 'latin1')],
  ])('when the body has %s, then 400 invalid_json (not UTF-8)', async (_name, body) => {
    const answer = await expectRefusedWithoutChange(() => deposit({}, body), 400, 'invalid_json');
    expect(answer.body.message).toBe('The request body is not valid UTF-8 text.');
  });

  test.each(['10.0000000000000001', '10.000', '10.001', '1e3', '1.5E1'])(
    'when the amount is the JSON number %s, then 422 validation_error naming amount, as for the same text in a string',
    async (literal) => {
      const asNumber = await expectRefusedWithoutChange(
        () => deposit({}, `{"amount":${literal}}`),
        422,
        'validation_error',
      );
      const asString = await deposit({}, `{"amount":"${literal}"}`);
      expect(asString.status).toBe(422);
      expect(asNumber.body.message).toMatch(/^amount: /);
      expect(asNumber.body.details).toEqual([
        { field: 'amount', message: expect.any(String), reason: expect.any(String) },
      ]);
      expect(asNumber.body.details).toEqual(asString.body.details);
    },
  );

  test.each([
    ['10.5', '10.50'],
    ['10.50', '10.50'],
    ['10', '10.00'],
  ])('when the amount is the JSON number %s, then it is accepted as %s', async (literal, amount) => {
    const answer = await deposit({}, `{"amount":${literal}}`);
    expect(answer.status).toBe(202);
    expect(answer.body.amount).toBe(amount);
  });

  test('when Idempotency-Key is sent twice (Node would join them as "k1, k2"), then 400 duplicate_header', async () => {
    const answer = await expectRefusedWithoutChange(
      () => deposit({ 'idempotency-key': [newKey(), newKey()] }, '{"amount":"1.00"}'),
      400,
      'duplicate_header',
    );
    expect(answer.body.message).toBe('Send the Idempotency-Key header once; this request has it 2 times.');
  });

  test('when one Idempotency-Key header holds "k1, k2", then it is one (odd but valid) key', async () => {
    const answer = await deposit({ 'idempotency-key': `${newKey()}, ${newKey()}` }, '{"amount":"1.00"}');
    expect(answer.status).toBe(202);
  });

  test.each([
    ['X-API-Key', (apiKey: string) => ({ 'x-api-key': [apiKey, 'pgk_another_key_0000000000'] })],
    [
      'Authorization',
      (apiKey: string) => ({ authorization: [`Bearer ${apiKey}`, 'Bearer pgk_another_key_0000000000'] }),
    ],
  ])('when the credential header %s is sent twice, then 400 duplicate_header', async (_name, credentials) => {
    await expectRefusedWithoutChange(
      () =>
        rawRequest(api.baseUrl, '/api/v1/deposits', {
          method: 'POST',
          headers: { 'idempotency-key': newKey(), 'content-type': 'application/json', ...credentials(user.apiKey) },
          body: '{"amount":"1.00"}',
        }),
      400,
      'duplicate_header',
    );
  });

  test.each([
    ['{"amount":1,"amount":2}', 'Duplicate key "amount" in the JSON body (offset 12).'],
    ['{"amount":"1.00","currency":"USD","currency":"EUR"}', 'Duplicate key "currency" in the JSON body (offset 34).'],
  ])(
    'when the body %s repeats a key, then 400 invalid_json naming it (JSON.parse took the last)',
    async (body, message) => {
      const answer = await expectRefusedWithoutChange(() => deposit({}, body), 400, 'invalid_json');
      expect(answer.body.message).toBe(message);
    },
  );

  test('when a declared Content-Length is over the limit, then 413 before the body is read', async () => {
    const answer = await expectRefusedWithoutChange(
      () => deposit({}, `{"amount":"1.00","pad":"${'x'.repeat(70_000)}"}`),
      413,
      'payload_too_large',
    );
    expect(answer.body.message).toBe('The request body is larger than the limit of 65536 bytes.');
  });

  test('when a chunked body grows past the limit, then 413 payload_too_large', async () => {
    await expectRefusedWithoutChange(
      () => deposit({ 'transfer-encoding': 'chunked' }, `{"amount":"1.00","pad":"${'x'.repeat(200_000)}"}`),
      413,
      'payload_too_large',
    );
  });
});
