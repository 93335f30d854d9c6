import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

import { assert } from './assert';

/**
 * Outgoing webhooks in the Standard Webhooks form (standardwebhooks.com): the endpoint's secret is
 * `whsec_<base64>`, the signing key is its base64-decoded part, and each attempt carries
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`.
 */

/** 24 random bytes, as Svix and the Standard Webhooks libraries generate them: 192 bits. */
export const WEBHOOK_SECRET_KEY_BYTES = 24;
const SECRET_PREFIX = 'whsec_';

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(WEBHOOK_SECRET_KEY_BYTES).toString('base64')}`;
}

/** The signing key of a `whsec_` secret: the base64-decoded part after the prefix. */
export function webhookSigningKey(secret: string): Buffer {
  assert(secret.startsWith(SECRET_PREFIX), 'a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  assert(key.length >= 16, 'a webhook signing key has at least 128 bits');
  return key;
}

/** The message id a receiver deduplicates on: one per event, the same on every attempt and endpoint. */
export function webhookMessageId(eventId: number): string {
  assert(Number.isSafeInteger(eventId) && eventId > 0, 'an event id is a positive integer');
  return `msg_${eventId}`;
}

/** `v1,<base64>` over "{id}.{timestamp}.{body}", keyed by the decoded secret. */
export function signWebhook(secret: string, messageId: string, timestampS: number, body: string): string {
  assert(Number.isSafeInteger(timestampS) && timestampS > 0, 'a webhook timestamp is unix seconds');
  const mac = createHmac('sha256', webhookSigningKey(secret))
    .update(`${messageId}.${timestampS}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * True when one of the space-separated signatures in the header is ours for this message, compared in
 * constant time. Receivers should use the standardwebhooks library (README); this serves our own tests.
 */
export function verifyWebhook(
  secret: string,
  messageId: string,
  timestampS: number,
  body: string,
  signatureHeader: string,
): boolean {
  const expected = Buffer.from(signWebhook(secret, messageId, timestampS, body), 'utf8');
  return signatureHeader.split(' ').some((candidate) => {
    const given = Buffer.from(candidate, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Endpoint secrets at rest: the worker must read the key back to sign, so it cannot be hashed like API
 * keys. AES-256-GCM under a key derived (HKDF-SHA256) from WEBHOOK_ENDPOINT_SECRET_KEY, as
 * "v1.<iv base64>.<ciphertext and tag base64>"; a database dump alone does not reveal any signing key.
 */
export class WebhookSecretBox {
  readonly #key: Buffer;

  constructor(masterSecret: string) {
    assert(masterSecret.length >= 16, 'the webhook endpoint secret key has at least 16 characters');
    this.#key = Buffer.from(hkdfSync('sha256', masterSecret, '', 'paygate webhook endpoint secret v1', 32));
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${iv.toString('base64')}.${sealed.toString('base64')}`;
  }

  /** Throws when the ciphertext was not sealed under this key (a changed WEBHOOK_ENDPOINT_SECRET_KEY). */
  open(sealed: string): string {
    const [version, ivText, bodyText, ...rest] = sealed.split('.');
    assert(version === 'v1' && ivText !== undefined && bodyText !== undefined && rest.length === 0, 'sealed format');
    const body = Buffer.from(bodyText, 'base64');
    assert(body.length > 16, 'a sealed secret has a ciphertext and a tag');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(ivText, 'base64'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  }
}

/**
 * The delay before the attempt after attempt number `attemptCount` (1-based), from the schedule in
 * seconds, or null when the schedule is spent: attempts = 1 + schedule length.
 */
export function webhookRetryDelayS(schedule: readonly number[], attemptCount: number): number | null {
  assert(attemptCount >= 1, 'a retry follows an attempt');
  return schedule[attemptCount - 1] ?? null;
}
