import { describe, expect, test } from 'vitest';

import {
  BankWebhookPayload,
  CreateTransactionBody,
  encodeBalance,
  encodeTransaction,
  IdempotencyKey,
  toCreateTransactionCommand,
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
