import { assert } from './assert';

/** 1,000,000,000.00 in minor units: the largest amount one transaction may carry. */
export const AMOUNT_MINOR_MAX: bigint = 100_000_000_000n;
/** Digits after the decimal point accepted on the wire (every supported currency has 2 minor digits). */
export const AMOUNT_DECIMALS: number = 2;
/** Longest amount string we even look at, so a megabyte of digits is refused before any parsing work. */
export const AMOUNT_STRING_LENGTH_MAX: number = 32;

export const IDEMPOTENCY_KEY_LENGTH_MAX: number = 255;
export const IDEMPOTENCY_KEY_LENGTH_MIN: number = 1;

export const PAGE_LIMIT_MIN: number = 1;
export const PAGE_LIMIT_MAX: number = 100;
export const PAGE_LIMIT_DEFAULT: number = 20;
/** Offsets past this are refused: deep offset pages are slow, the keyset cursor is the way to go far. */
export const PAGE_OFFSET_MAX: number = 100_000;

/** Default of REQUEST_BODY_BYTES_MAX: no API body comes near it (a deposit is ~40 bytes, a webhook ~400). */
export const REQUEST_BODY_BYTES_MAX: number = 64 * 1024;
/**
 * Deepest nesting of arrays and objects accepted in a JSON body (the top-level object is depth 1). Every
 * body we take is 1 or 2 deep; the bound keeps parsing and canonical JSON from recursing on hostile input.
 */
export const JSON_NESTING_DEPTH_MAX: number = 32;
export const REQUEST_ID_LENGTH_MAX: number = 128;
export const EMAIL_LENGTH_MAX: number = 254;
export const API_KEY_LENGTH_MAX: number = 128;

/**
 * Windows an API process keeps in memory while Redis is unreachable (login per address and per email).
 * About 100 bytes each; beyond it the least recently used window is forgotten.
 */
export const RATE_LIMIT_LOCAL_KEY_COUNT_MAX: number = 10_000;

/** A webhook whose timestamp is further than this from our clock, either way, is refused. */
export const WEBHOOK_TOLERANCE_S: number = 300;

/** Outgoing webhook endpoints: the longest URL and description accepted (the table checks the same bounds). */
export const WEBHOOK_URL_LENGTH_MAX: number = 2048;
export const WEBHOOK_DESCRIPTION_LENGTH_MAX: number = 500;

assert(AMOUNT_MINOR_MAX > 0n, 'AMOUNT_MINOR_MAX must be positive');
assert(PAGE_LIMIT_MIN <= PAGE_LIMIT_DEFAULT, 'default page below the minimum');
assert(PAGE_LIMIT_DEFAULT <= PAGE_LIMIT_MAX, 'default page above the maximum');
assert(IDEMPOTENCY_KEY_LENGTH_MIN <= IDEMPOTENCY_KEY_LENGTH_MAX, 'idempotency key bounds inverted');
// Recursion this deep is harmless to the stack; much deeper would not be, whatever the body size allows.
assert(JSON_NESTING_DEPTH_MAX >= 2 && JSON_NESTING_DEPTH_MAX <= 256, 'JSON nesting bound out of range');
// The largest formatted amount must fit the string bound, or a valid amount could be refused.
assert(String(AMOUNT_MINOR_MAX).length + 1 <= AMOUNT_STRING_LENGTH_MAX, 'amount string bound too small');
