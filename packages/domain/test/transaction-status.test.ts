import { describe, expect, test } from 'vitest';

import { canTransition, holdsFunds, isTerminal, TRANSACTION_STATUSES } from '../src';

describe('transaction state machine', () => {
  const allowed = new Set(['pending>processing', 'processing>success', 'processing>failed']);

  test('when any pair of states is tried, then only pending>processing>success|failed is allowed', () => {
    for (const from of TRANSACTION_STATUSES) {
      for (const to of TRANSACTION_STATUSES) {
        expect(canTransition(from, to), `${from}>${to}`).toBe(allowed.has(`${from}>${to}`));
      }
    }
  });

  test('when a status is success or failed, then it is terminal', () => {
    expect(TRANSACTION_STATUSES.filter(isTerminal)).toEqual(['success', 'failed']);
  });

  test('when a withdrawal is not terminal, then it holds funds; a deposit never does', () => {
    expect(holdsFunds('withdrawal', 'pending')).toBe(true);
    expect(holdsFunds('withdrawal', 'processing')).toBe(true);
    expect(holdsFunds('withdrawal', 'success')).toBe(false);
    expect(holdsFunds('deposit', 'pending')).toBe(false);
  });
});
