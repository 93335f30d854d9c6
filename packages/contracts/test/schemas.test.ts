import { describe, expect, test } from 'vitest';

import { parseStrictJson } from '@paygate/domain';

import {
  BankWebhookPayload,
  CreateTransactionBody,
  HealthWire,
  encodeBalance,
  encodeTransaction,
  IdempotencyKey,
  loginFormOf,
  toCreateTransactionCommand,
  toLoginCredentials,
  toFieldIssues,
  TransactionIdParams,
  TransactionWire,
  UserTransactionListQuery,
} from '../src';

describe('CreateTransactionBody', () => {
  test('when the amount is valid, then the command carries exact minor units', () => {
    const body = CreateTransactionBody.parse({ amount: 100.5, currency: 'USD' });
    expect(toCreateTransactionCommand(body)).toEqual({ amountMinor: 10_050n, currency: 'USD' });
  });

  test.each([
    [{ amount: -1 }, 'amount', 'negative'],
    [{ amount: '1.001' }, 'amount', 'too_many_decimals'],
    [{ amount: '1e3' }, 'amount', 'exponent'],
    [{}, 'amount', 'invalid_union'],
    [{ amount: 1, currency: 'usd' }, 'currency', 'invalid_format'],
    [{ amount: 1, extra: true }, 'body', 'unrecognized_keys'],
  ])('when the body is %j, then the issue names %s (%s)', (input, field, reason) => {
    const result = CreateTransactionBody.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(toFieldIssues(result.error)[0]).toMatchObject({ field, reason });
  });

  // The API's body parser keeps the literal of a non-integer number; the amount rule judges that literal.
  test.each([
    ['{"amount":10.5}', 1_050n],
    ['{"amount":10.50}', 1_050n],
    ['{"amount":10}', 1_000n],
  ])('when the parsed body is %s, then the command carries exact minor units', (text, amountMinor) => {
    expect(toCreateTransactionCommand(CreateTransactionBody.parse(parseStrictJson(text)))).toEqual({
      amountMinor,
      currency: undefined,
    });
  });

  test.each([
    ['{"amount":10.0000000000000001}', 'too_many_decimals'],
    ['{"amount":10.000}', 'too_many_decimals'],
    ['{"amount":1e3}', 'exponent'],
  ])('when the parsed body is %s, then 422 names amount (%s), as for the same text in a string', (text, reason) => {
    const parsed = CreateTransactionBody.safeParse(parseStrictJson(text));
    const asString = CreateTransactionBody.safeParse({ amount: text.slice('{"amount":'.length, -1) });
    expect(parsed.error && toFieldIssues(parsed.error)).toEqual([
      { field: 'amount', message: expect.any(String), reason },
    ]);
    expect(parsed.error && toFieldIssues(parsed.error)).toEqual(asString.error && toFieldIssues(asString.error));
  });
});

describe('query and params', () => {
  test('when no paging is given, then limit 20 offset 0', () => {
    expect(UserTransactionListQuery.parse({})).toMatchObject({ limit: 20, offset: 0 });
  });

  test.each([
    { limit: '0' },
    { limit: '101' },
    { limit: 'ten' },
    { offset: '-1' },
    { status: 'done' },
    { type: 'refund' },
    { created_from: 'yesterday' },
    { page: '2' },
  ])('when the query is %j, then it is refused', (query) =>
    expect(UserTransactionListQuery.safeParse(query).success).toBe(false),
  );

  test.each([
    ['2026-11-30', '2026-11-30T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-11-30T12:00:00Z', '2026-11-30T12:00:00Z'],
    ['2026-11-30T12:00:00.5+02:00', '2026-11-30T12:00:00.5+02:00'],
  ])('when a time filter is %j, then it is accepted as %s (a date alone is its start, UTC)', (value, decoded) => {
    expect(UserTransactionListQuery.parse({ created_from: value, created_to: value })).toMatchObject({
      created_from: decoded,
      created_to: decoded,
    });
  });

  test.each(['2026-02-30', '2026-11-30T12:00:00', '30/11/2026', '2026-11', ''])(
    'when a time filter is %j, then 422 names it and says what a date looks like',
    (value) => {
      const result = UserTransactionListQuery.safeParse({ created_to: value });
      expect(result.error && toFieldIssues(result.error, 'query')).toEqual([
        {
          field: 'created_to',
          message: expect.stringContaining('ISO 8601 date (2026-11-30'),
          reason: 'invalid_format',
        },
      ]);
    },
  );

  test.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999'])('when the id is %j, then it is refused', (id) => {
    expect(TransactionIdParams.safeParse({ id }).success).toBe(false);
  });

  test.each(['', 'x'.repeat(256), 'tab\there', 'new\nline', 'naïve'])(
    'when the Idempotency-Key is %j, then it is refused',
    (key) => {
      expect(IdempotencyKey.safeParse(key).success).toBe(false);
    },
  );
});

describe('login', () => {
  test.each([
    [
      { email: 'Alice@Example.com', api_key: 'pgk_a' },
      { email: 'alice@example.com', apiKey: 'pgk_a' },
    ],
    [
      { username: ' Alice@Example.com ', password: 'pgk_a' },
      { email: 'alice@example.com', apiKey: 'pgk_a' },
    ],
  ])('when the body is %j, then the credentials are %j', (body, credentials) => {
    expect(toLoginCredentials(loginFormOf(body).parse(body))).toEqual(credentials);
  });

  test.each([
    [{ username: 'alice@example.com' }, ['password']],
    [{ password: 'pgk_a' }, ['username']],
    [{ email: 'alice@example.com' }, ['api_key']],
    [{ email: 'not-an-email', api_key: 'pgk_a' }, ['email']],
    [{ email: 'alice@example.com', api_key: 'pgk_a', password: 'pgk_a' }, ['username', 'body']],
    [{}, ['email', 'api_key']],
  ])('when the body is %j, then 422 names the fields of the form it was meant as: %j', (body, fields) => {
    const result = loginFormOf(body).safeParse(body);
    expect(result.error && toFieldIssues(result.error).map((issue) => issue.field)).toEqual(fields);
  });
});

describe('encoders', () => {
  test('when a transaction is encoded, then it matches the wire schema with a 2-decimal amount', () => {
    const created = new Date('2026-11-27T10:15:30.123Z');
    const wire = encodeTransaction({
      id: 7,
      userId: 1,
      type: 'withdrawal',
      status: 'pending',
      amountMinor: 5n,
      currency: 'USD',
      bankReference: null,
      errorCode: null,
      errorMessage: null,
      idempotencyKey: 'k',
      createdAt: created,
      updatedAt: created,
      completedAt: null,
    });
    expect(TransactionWire.parse(wire)).toMatchObject({ amount: '0.05', created_at: '2026-11-27T10:15:30.123Z' });
  });

  test('when a balance is encoded, then both figures are decimal strings', () => {
    expect(encodeBalance({ userId: 1, balanceMinor: 100_000n, availableMinor: 90_000n, currency: 'USD' })).toEqual({
      user_id: 1,
      balance: '1000.00',
      available_balance: '900.00',
      currency: 'USD',
    });
  });

  test('when a webhook has an unknown status, then it is refused', () => {
    expect(
      BankWebhookPayload.safeParse({
        transaction_id: 1,
        bank_reference: 'B',
        status: 'maybe',
        error_message: null,
        timestamp: 1,
        signature: 'x',
      }).success,
    ).toBe(false);
  });
});

describe('HealthWire', () => {
  const check = { status: 'up', latency_ms: 0.4 } as const;

  test.each(['healthy', 'degraded', 'unhealthy'])('when the status is %s, then it is a valid answer', (status) => {
    expect(
      HealthWire.safeParse({
        status,
        service: 'paygate-api',
        version: '0.1.0',
        checks: { postgres: check, redis: check, rabbitmq: check },
      }).success,
    ).toBe(true);
  });

  test("when the status is the old 'ok' or a check is a bare string, then it is refused", () => {
    expect(
      HealthWire.safeParse({
        status: 'ok',
        service: 'paygate-api',
        version: '0.1.0',
        checks: { postgres: check, redis: check, rabbitmq: check },
      }).success,
    ).toBe(false);
    expect(
      HealthWire.safeParse({
        status: 'healthy',
        service: 'paygate-api',
        version: '0.1.0',
        checks: { postgres: 'up', redis: check, rabbitmq: check },
      }).success,
    ).toBe(false);
  });
});
