import { parseArgs } from 'node:util';

import { AMOUNT_MINOR_MAX, formatAmount, parseAmount } from '@paygate/domain';

/** What a command answers: one JSON value for --json, or lines for a person. */
export interface CommandResult {
  json: unknown;
  human: string[];
}

/** A mistake in how the command was called: printed as one line, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something the command names (a transaction, say) does not exist: exit status 3. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export function parseOptions<T extends OptionSpec>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? (error.message.split('\n')[0] ?? 'bad arguments') : 'bad arguments');
  }
}

export function requireString(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`missing ${flag}`);
  return value;
}

export function parseEmail(value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new UsageError(`--email: not an email address: ${value}`);
  return email;
}

/** An opening balance: like an API amount, except that 0 is allowed. */
export function parseOpeningBalance(value: string): bigint {
  if (/^0+(\.0{1,2})?$/.test(value)) return 0n;
  const parsed = parseAmount(value);
  if (!parsed.ok)
    throw new UsageError(
      `--balance: ${parsed.message.replace(/^amount/, 'balance')} (at most ${formatAmount(AMOUNT_MINOR_MAX)})`,
    );
  return parsed.amountMinor;
}

export function parsePositiveInt(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^[1-9]\d*$/.test(value) || Number(value) > max)
    throw new UsageError(`${flag}: must be a whole number from 1 to ${max}`);
  return Number(value);
}

export function parseCurrency(value: string): string {
  if (!/^[A-Z]{3}$/.test(value)) throw new UsageError(`--currency: must be an ISO 4217 code such as USD`);
  return value;
}
