import { AMOUNT_STRING_LENGTH_MAX } from '@paygate/domain/limits';
import { formatAmount, formatMoney, parseAmount } from '@paygate/domain/money';

/**
 * Amounts the person types are checked by the API's own parser (parseAmount), so the form refuses exactly
 * what the API would refuse, with the same words. Amounts the API returns are decimal text with two
 * decimals ("1000.00"); they are turned into minor units as bigints and never pass through a float.
 */

export type AmountInputCheck = { ok: true; amount: string; amountMinor: bigint } | { ok: false; message: string };

export const AMOUNT_INPUT_LENGTH_MAX = AMOUNT_STRING_LENGTH_MAX;

export function checkAmountInput(text: string): AmountInputCheck {
  // Surrounding spaces are a typing accident, not a different amount.
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter an amount, for example 100.50' };
  const plain = withoutGroupSeparators(trimmed);
  if (plain === null) return { ok: false, message: GROUPING_MESSAGE };
  const parsed = parseAmount(plain);
  if (!parsed.ok) return { ok: false, message: sentence(parsed.message) };
  // The normalised text is what we send, so "12.3" and "12.30" are the same submission.
  return { ok: true, amount: formatAmount(parsed.amountMinor), amountMinor: parsed.amountMinor };
}

// "1,000.50" is how amounts are displayed (en-US), so it is accepted as typed; commas anywhere else
// ("1,00.5", "1000,50") could mean a decimal comma, so they are refused rather than guessed at.
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d*)?$/;
const GROUPING_MESSAGE = 'Use commas only between groups of three digits, as in 1,000.50, or leave them out.';

function withoutGroupSeparators(text: string): string | null {
  if (!text.includes(',')) return text;
  return GROUPED.test(text) ? text.replaceAll(',', '') : null;
}

const AMOUNT_TEXT = /^(-?)(\d+)\.(\d{2})$/;

/** Minor units of an amount as the API writes it ("-12.30", "0.00"), or null if it is not that shape. */
export function amountTextToMinor(text: string): bigint | null {
  const match = AMOUNT_TEXT.exec(text);
  if (!match) return null;
  const minor = BigInt(`${match[2] ?? ''}${match[3] ?? ''}`);
  return match[1] === '-' ? -minor : minor;
}

/** "1000.00" + "USD" -> "$1,000.00" in the person's locale; falls back to the raw text if malformed. */
export function formatAmountText(text: string, currency: string): string {
  const minor = amountTextToMinor(text);
  if (minor === null) return `${text} ${currency}`;
  return formatMinor(minor, currency);
}

export function formatMinor(amountMinor: bigint, currency: string): string {
  try {
    return formatMoney(amountMinor, currency);
  } catch {
    // Intl refuses an unknown currency code; show the number and the code rather than nothing.
    return `${formatAmount(amountMinor)} ${currency}`;
  }
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.');
}

/** A sum in minor units as the API writes it for totals ("0", "-1234"), or the raw text if it is not one. */
export function formatMinorText(text: string, currency: string): string {
  if (!/^-?\d+$/.test(text)) return `${text} ${currency}`;
  return formatMinor(BigInt(text), currency);
}
