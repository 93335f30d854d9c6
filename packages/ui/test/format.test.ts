/**
 * Goal: what people read is exact. Money goes from the API's decimal text to Intl through bigint minor
 * units (no float), times carry their zone, durations read naturally.
 * Method: the pure helpers, in an en-US locale so the expected text is fixed.
 */
import { describe, expect, test } from 'vitest';

import { formatAmountText, formatDateTimeZone, formatDurationMs, formatMinorText } from '../src';

describe('money', () => {
  test('when an amount is the largest there is, then no digit is lost to a float', () => {
    expect(formatAmountText('1000000000.00', 'USD')).toBe(
      new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(
        '1000000000.00' as unknown as number,
      ),
    );
  });

  test('when a sum comes in minor units, then it is shown as money, negative sums included', () => {
    expect(formatMinorText('-1234', 'USD')).toBe(formatAmountText('-12.34', 'USD'));
    expect(formatMinorText('0', 'EUR')).toBe(formatAmountText('0.00', 'EUR'));
  });

  test('when a sum is not an integer text, then the raw text and code are shown rather than a wrong number', () => {
    expect(formatMinorText('12.5', 'USD')).toBe('12.5 USD');
  });
});

describe('times and durations', () => {
  test('when a time is formatted with its zone, then the zone is part of the text', () => {
    const text = formatDateTimeZone('2026-11-27T10:15:30.123Z');
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
      .formatToParts(new Date('2026-11-27T10:15:30.123Z'))
      .find((part) => part.type === 'timeZoneName')?.value;
    expect(zone).toBeDefined();
    expect(text).toContain(zone);
  });

  test('when a time is not ISO, then it is shown as it came', () => {
    expect(formatDateTimeZone('yesterday')).toBe('yesterday');
  });

  test.each([
    [850, '850 ms'],
    [1_234, '1.2 s'],
    [42_000, '42 s'],
    [245_000, '4 min 5 s'],
    [300_000, '5 min'],
    [7_380_000, '2 h 3 min'],
  ])('when a duration is %i ms, then it reads %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});
