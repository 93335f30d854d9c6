import { AMOUNT_DECIMALS, AMOUNT_MINOR_MAX, AMOUNT_STRING_LENGTH_MAX } from './limits';
import { JsonDecimal } from './strict-json';

/**
 * Money crosses the wire as a decimal ("100.50" or 100.5) and lives inside the system as an integer
 * number of minor units (a bigint), so no float ever takes part in arithmetic.
 */

export type AmountRejection =
  'wrong_type' | 'not_a_number' | 'not_finite' | 'exponent' | 'too_many_decimals' | 'zero' | 'negative' | 'too_large';

export type AmountParse = { ok: true; amountMinor: bigint } | { ok: false; reason: AmountRejection; message: string };

const AMOUNT_MAX_TEXT = formatAmount(AMOUNT_MINOR_MAX);

const REJECTION_MESSAGES: Record<AmountRejection, string> = {
  wrong_type: 'amount must be a JSON number or a decimal string',
  not_a_number: 'amount must be a decimal number such as 100.50',
  not_finite: 'amount must be a finite number',
  exponent: 'amount must be written without an exponent',
  too_many_decimals: `amount may have at most ${AMOUNT_DECIMALS} decimals`,
  zero: 'amount must be greater than zero',
  negative: 'amount must be positive',
  too_large: `amount must not exceed ${AMOUNT_MAX_TEXT}`,
};

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses an API amount into minor units, or says exactly why it is refused. A JsonDecimal (a JSON number
 * as its caller wrote it) is judged by its text, so 10.000 and 10.0000000000000001 have 3+ decimals even
 * though the nearest double is 10.
 */
export function parseAmount(input: unknown): AmountParse {
  if (input instanceof JsonDecimal) return parseAmountText(input.text);
  if (typeof input === 'number') return parseAmountText(numberToText(input));
  if (typeof input === 'string') return parseAmountText(input);
  return reject('wrong_type');
}

export function formatAmount(amountMinor: bigint): string {
  const negative = amountMinor < 0n;
  const magnitude = negative ? -amountMinor : amountMinor;
  const units = magnitude / 100n;
  const cents = magnitude % 100n;
  return `${negative ? '-' : ''}${units}.${cents.toString().padStart(AMOUNT_DECIMALS, '0')}`;
}

/** Formats for people, with the currency, in the given locale (web app and CLI). */
export function formatMoney(amountMinor: bigint, currency: string, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: AMOUNT_DECIMALS });
  // Intl takes a decimal string exactly, so even the largest amount is printed without float rounding.
  return format.format(formatAmount(amountMinor) as unknown as number);
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) return 'NaN';
  // String() gives the shortest text that reads back as the same double. For a number that did not come
  // from a request body (a literal in code, the CLI) that is the best text there is; bodies keep theirs.
  return String(value);
}

function parseAmountText(text: string): AmountParse {
  if (text.length === 0 || text.length > AMOUNT_STRING_LENGTH_MAX) return reject('not_a_number');
  if (/^[+-]?(NaN|Infinity)$/i.test(text)) return reject('not_finite');
  if (/^[+-]?[\d.]+[eE][+-]?\d+$/.test(text)) return reject('exponent');
  if (/^-\d+(\.\d+)?$/.test(text)) return reject(/^-0+(\.0+)?$/.test(text) ? 'zero' : 'negative');
  const match = DECIMAL.exec(text);
  if (!match) return reject('not_a_number');
  const units = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > AMOUNT_DECIMALS) return reject('too_many_decimals');
  const amountMinor = BigInt(units) * 100n + BigInt(fraction.padEnd(AMOUNT_DECIMALS, '0'));
  if (amountMinor === 0n) return reject('zero');
  if (amountMinor > AMOUNT_MINOR_MAX) return reject('too_large');
  return { ok: true, amountMinor };
}

function reject(reason: AmountRejection): AmountParse {
  return { ok: false, reason, message: REJECTION_MESSAGES[reason] };
}
