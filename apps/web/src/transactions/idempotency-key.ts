/**
 * A random UUID v4 for the Idempotency-Key header. crypto.randomUUID exists only in secure contexts
 * (https, or http on localhost), and the app may be opened over plain http on a LAN address; then the
 * same 122 random bits come from crypto.getRandomValues, which every context has.
 */
export function newIdempotencyKey(): string {
  // Typed as always present; in an insecure context the property is simply missing.
  const secureOnly: Partial<Pick<Crypto, 'randomUUID'>> = crypto;
  if (secureOnly.randomUUID !== undefined) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
