import { describe, expect, test } from 'vitest';

import { bankFailure, GATEWAY_FAILURE_CODES, gatewayFailureMessage } from '../src';

describe('bankFailure', () => {
  test.each([
    ['insufficient_funds', 'bank_insufficient_funds', 'The bank refused the payment: insufficient funds.'],
    ['declined', 'bank_declined', 'The bank declined the payment.'],
    ['limit_exceeded', 'bank_limit_exceeded', 'The bank refused the payment (limit_exceeded).'],
    [null, 'bank_failed', 'The bank refused the payment.'],
    ['Card blocked by issuer', 'bank_failed', 'The bank refused the payment: Card blocked by issuer'],
  ])('when the bank says %j, then the code is %s', (reason, code, message) => {
    expect(bankFailure(reason)).toEqual({ code, message });
  });
});

describe('gatewayFailureMessage', () => {
  test.each(
    GATEWAY_FAILURE_CODES.flatMap((code) => (['deposit', 'withdrawal'] as const).map((type) => [code, type] as const)),
  )('when %s fails a %s, then the user reads a plain sentence about their money', (code, type) => {
    const message = gatewayFailureMessage(code, type);
    expect(message).toContain(type);
    expect(message).toContain('No money moved');
    // Internal words never reach the end user.
    expect(message).not.toMatch(/worker|breaker|HTTP|_/);
  });
});
