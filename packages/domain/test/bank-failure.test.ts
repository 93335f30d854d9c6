import { describe, expect, test } from 'vitest';

import { bankFailure } from '../src';

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
