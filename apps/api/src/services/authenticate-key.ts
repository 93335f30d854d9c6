import type { KeyOwner, UsersRepository } from '@paygate/db';
import { API_KEY_LENGTH_MAX, hashApiKey, secretsEqual } from '@paygate/domain';

import { isDemoApiKey } from './demo-users';

/**
 * API key -> its owner. Keys are looked up by their SHA-256 (the only form stored) and the stored hash is
 * compared again in constant time. A small in-process cache, bounded in size and time, spares a database
 * round trip on busy keys; a revoked key stops working within AUTH_CACHE_TTL_MS on every instance.
 * In production the public demo keys of `pnpm db:seed` open nothing, even if a development database with
 * their hashes was promoted.
 */
export class KeyAuthenticator {
  private readonly cache = new Map<string, { owner: KeyOwner; expiresAtMs: number }>();

  constructor(
    private readonly users: UsersRepository,
    private readonly options: { cacheTtlMs: number; cacheEntriesMax: number; demoKeysAllowed: boolean },
  ) {}

  async authenticate(apiKey: string): Promise<KeyOwner | undefined> {
    if (apiKey.length === 0 || apiKey.length > API_KEY_LENGTH_MAX || !/^[\x21-\x7e]+$/.test(apiKey)) return undefined;
    if (!this.options.demoKeysAllowed && isDemoApiKey(apiKey)) return undefined;
    const keyHash = hashApiKey(apiKey);
    const cached = this.cache.get(keyHash);
    if (cached && cached.expiresAtMs > Date.now()) return cached.owner;
    const owner = await this.users.findKeyOwner(keyHash);
    if (!owner || !secretsEqual(owner.keyHash, keyHash)) {
      this.cache.delete(keyHash);
      return undefined;
    }
    this.remember(keyHash, owner);
    return owner;
  }

  /** Drops the user's cached keys (after a revocation here), so this process stops accepting them at once. */
  forgetUser(userId: number): void {
    for (const [keyHash, entry] of this.cache) {
      if (entry.owner.user.id === userId) this.cache.delete(keyHash);
    }
  }

  private remember(keyHash: string, owner: KeyOwner): void {
    if (this.options.cacheTtlMs <= 0) return;
    if (this.cache.size >= this.options.cacheEntriesMax) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(keyHash, { owner, expiresAtMs: Date.now() + this.options.cacheTtlMs });
  }
}
