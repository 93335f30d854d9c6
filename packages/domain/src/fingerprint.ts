import { createHash } from 'node:crypto';

import { canonicalJson } from './canonical-json';

/**
 * What makes two requests "the same" for idempotency: method, path and canonical body. Key order and
 * whitespace do not matter; any change of value does.
 */
export function requestFingerprint(request: { method: string; path: string; body: unknown }): string {
  const input = `${request.method.toUpperCase()}\n${request.path}\n${canonicalJson(request.body ?? null)}`;
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/** API keys are random and long, so a plain SHA-256 is a sound, fast one-way hash for storing them. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
