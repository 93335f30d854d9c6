import { createHmac, timingSafeEqual } from 'node:crypto';

import { canonicalJson } from './canonical-json';
import { WEBHOOK_TOLERANCE_S } from './limits';

/**
 * Webhook signatures: hex HMAC-SHA256, keyed with WEBHOOK_SECRET, over the canonical JSON of the payload
 * without its `signature` field.
 */

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function signingInput(payload: Record<string, unknown>): string {
  const { signature: _signature, ...signed } = payload;
  return canonicalJson(signed);
}

export function signPayload(payload: Record<string, unknown>, secret: string): string {
  return createHmac('sha256', secret).update(signingInput(payload), 'utf8').digest('hex');
}

/** Constant-time: the comparison takes as long for a near miss as for a wild guess. */
export function verifySignature(payload: Record<string, unknown>, signature: unknown, secret: string): boolean {
  if (typeof signature !== 'string') return false;
  const normalized = signature.toLowerCase();
  if (!HEX_SHA256.test(normalized)) return false;
  const expected = Buffer.from(signPayload(payload, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(normalized, 'hex'));
}

/** A timestamp (unix seconds) is fresh when it lies within the tolerance of now, in either direction. */
export function isFreshTimestamp(timestampS: number, nowS: number, toleranceS = WEBHOOK_TOLERANCE_S): boolean {
  return Number.isSafeInteger(timestampS) && Math.abs(nowS - timestampS) <= toleranceS;
}

/** Constant-time equality of two secrets of any length (API key hashes, tokens). */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend the comparison, so the length check does not answer faster than a real mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
