// Goal: every amount the API accepts becomes exact minor units and prints back the same; everything else is
// refused with a reason. Method: a table of edge cases, then fast-check over the whole valid range.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { AMOUNT_MINOR_MAX, formatAmount, formatMoney, JsonDecimal, parseAmount, parseStrictJson } from '../src';

describe('parseAmount', () => {
  test.each([
    [100, 10_000n],
    [100.5, 10_050n],
    ['100.50', 10_050n],
    ['100.5', 10_050n],
    ['0.01', 1n],
    [0.01, 1n],
    ['1000000000.00', AMOUNT_MINOR_MAX],
    [1_000_000_000, AMOUNT_MINOR_MAX],
    [999_999_999.99, AMOUNT_MINOR_MAX - 1n],
    ['007', 700n],
  ])('when the amount is %o, then it is %s minor units', (input, expected) => {
    expect(parseAmount(input)).toEqual({ ok: true, amountMinor: expected });
  });

  test.each([
    [0, 'zero'],
    ['0.00', 'zero'],
    [-0, 'zero'],
    ['-0', 'zero'],
    [-5, 'negative'],
    ['-0.01', 'negative'],
    ['1.001', 'too_many_decimals'],
    [1.001, 'too_many_decimals'],
    ['1e3', 'exponent'],
    ['1E-2', 'exponent'],
    [1e21, 'exponent'],
    [1e-7, 'exponent'],
    ['NaN', 'not_finite'],
    ['Infinity', 'not_finite'],
    ['-Infinity', 'not_finite'],
    [Number.NaN, 'not_finite'],
    [Number.POSITIVE_INFINITY, 'not_finite'],
    ['1000000000.01', 'too_large'],
    [1_000_000_000.01, 'too_large'],
    ['abc', 'not_a_number'],
    ['', 'not_a_number'],
    [' 1', 'not_a_number'],
    ['1 ', 'not_a_number'],
    ['+1', 'not_a_number'],
    ['1.', 'not_a_number'],
    ['.5', 'not_a_number'],
    ['1,50', 'not_a_number'],
    ['0x10', 'not_a_number'],
    ['1; DROP TABLE users; --', 'not_a_number'],
    ['9'.repeat(40), 'not_a_number'],
    [null, 'wrong_type'],
    [true, 'wrong_type'],
    [[1], 'wrong_type'],
    [{ value: 1 }, 'wrong_type'],
    [10n, 'wrong_type'],
  ])('when the amount is %o, then it is refused as %s', (input, reason) => {
    const result = parseAmount(input);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
  });

  const validMinor = fc.bigInt({ min: 1n, max: AMOUNT_MINOR_MAX });

  test('property: format then parse gives back the same minor units', () => {
    fc.assert(
      fc.property(validMinor, (amountMinor) => {
        const text = formatAmount(amountMinor);
        expect(text).toMatch(/^\d+\.\d{2}$/);
        expect(parseAmount(text)).toEqual({ ok: true, amountMinor });
      }),
    );
  });

  test('property: a JSON number with at most 2 decimals parses to the same value', () => {
    fc.assert(
      fc.property(validMinor, (amountMinor) => {
        const asNumber = JSON.parse(formatAmount(amountMinor)) as number;
        expect(parseAmount(asNumber)).toEqual({ ok: true, amountMinor });
      }),
    );
  });

  test('property: anything with 3 or more decimals is refused', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 3, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (units, decimals, last) => {
          const text = `${units}.${'0'.repeat(decimals - 1)}${last}`;
          expect(parseAmount(text)).toMatchObject({ ok: false, reason: 'too_many_decimals' });
        },
      ),
    );
  });

  test('property: amounts above the maximum are refused', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: AMOUNT_MINOR_MAX + 1n, max: AMOUNT_MINOR_MAX * 1000n }), (amountMinor) => {
        expect(parseAmount(formatAmount(amountMinor))).toMatchObject({ ok: false, reason: 'too_large' });
      }),
    );
  });

  test('property: negative amounts are refused', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: AMOUNT_MINOR_MAX }), (amountMinor) => {
        expect(parseAmount(formatAmount(-amountMinor))).toMatchObject({ ok: false, reason: 'negative' });
      }),
    );
  });

  test('property: arbitrary strings are either a valid amount or refused, never thrown on', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const result = parseAmount(text);
        if (result.ok) {
          expect(result.amountMinor > 0n && result.amountMinor <= AMOUNT_MINOR_MAX).toBe(true);
          expect(text).toMatch(/^\d+(\.\d{1,2})?$/);
        }
      }),
    );
  });
});

describe('parseAmount of a JSON number as written (JsonDecimal)', () => {
  // A double cannot tell 10.000 from 10, nor 10.0000000000000001 from 10: the literal decides.
  test.each([
    ['10.5', 1_050n],
    ['10.50', 1_050n],
    ['10', 1_000n],
    ['0.01', 1n],
    ['999999999.99', AMOUNT_MINOR_MAX - 1n],
  ])('when the body says {"amount": %s}, then it is %s minor units', (literal, expected) => {
    const body = parseStrictJson(`{"amount":${literal}}`) as { amount: unknown };
    expect(parseAmount(body.amount)).toEqual({ ok: true, amountMinor: expected });
  });

  test.each([
    ['10.0000000000000001', 'too_many_decimals'],
    ['10.000', 'too_many_decimals'],
    ['10.001', 'too_many_decimals'],
    ['1e3', 'exponent'],
    ['1.5E-1', 'exponent'],
    ['-10.50', 'negative'],
    ['0.00', 'zero'],
    ['-0.0', 'zero'],
    ['1000000000.01', 'too_large'],
    ['9'.repeat(400), 'not_a_number'],
  ])('when the body says {"amount": %s}, then it is refused as %s', (literal, reason) => {
    const body = parseStrictJson(`{"amount":${literal}}`) as { amount: unknown };
    expect(parseAmount(body.amount)).toMatchObject({ ok: false, reason });
  });

  test('when a JsonDecimal is built by hand, then the same text rules apply', () => {
    expect(parseAmount(new JsonDecimal('100.50'))).toEqual({ ok: true, amountMinor: 10_050n });
    expect(parseAmount(new JsonDecimal('100.500'))).toMatchObject({ ok: false, reason: 'too_many_decimals' });
  });
});

describe('formatAmount and formatMoney', () => {
  test('when formatting, then cents are always two digits', () => {
    expect(formatAmount(1n)).toBe('0.01');
    expect(formatAmount(10_050n)).toBe('100.50');
    expect(formatAmount(0n)).toBe('0.00');
    expect(formatAmount(-150n)).toBe('-1.50');
  });

  test('when formatting for people, then the currency is shown and no cent is lost', () => {
    expect(formatMoney(10_050n, 'USD', 'en-US')).toBe('$100.50');
    expect(formatMoney(AMOUNT_MINOR_MAX - 1n, 'USD', 'en-US')).toBe('$999,999,999.99');
  });
});
