import { hashApiKey } from '@paygate/domain';

import type { Pool } from '../pool';
import { withTransaction } from '../pool';
import type { AuditInput } from './operators-repository';
import { recordAudit } from './operators-repository';
import type { IssuedKey } from './user-admin';
import { generateApiKey } from './user-admin';

/**
 * A user's API keys, managed from the operator console: each change and its audit row commit together, so
 * no key is issued or revoked without the log saying who did it and why.
 */
export class OperatorKeyAdmin {
  constructor(private readonly pool: Pool) {}

  /** A new key for the user (shown once), or undefined when there is no such user. */
  async issue(
    userId: number,
    audit: Omit<AuditInput, 'action' | 'userId' | 'outcome'>,
  ): Promise<(IssuedKey & { auditId: number }) | undefined> {
    return withTransaction(this.pool, async (client) => {
      const user = await client.query('SELECT 1 FROM users WHERE id = $1 FOR SHARE', [userId]);
      if (user.rowCount !== 1) return undefined;
      const key = generateApiKey();
      await client.query('INSERT INTO api_keys (user_id, key_hash, key_prefix) VALUES ($1, $2, $3)', [
        userId,
        hashApiKey(key.apiKey),
        key.keyPrefix,
      ]);
      const auditId = await recordAudit(client, { ...audit, action: 'issue_key', userId, outcome: 'issued' });
      return { ...key, auditId };
    });
  }

  /**
   * Revokes the user's active keys with this shown prefix. Outcomes: revoked (with how many), or
   * not_found (no such user, or no active key with that prefix), which changes nothing and audits nothing.
   */
  async revoke(
    userId: number,
    prefix: string,
    audit: Omit<AuditInput, 'action' | 'userId' | 'outcome'>,
  ): Promise<{ outcome: 'revoked'; count: number; auditId: number } | { outcome: 'not_found' }> {
    return withTransaction(this.pool, async (client) => {
      const revoked = await client.query(
        'UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND key_prefix = $2 AND revoked_at IS NULL',
        [userId, prefix],
      );
      const count = revoked.rowCount ?? 0;
      if (count === 0) return { outcome: 'not_found' as const };
      const auditId = await recordAudit(client, {
        ...audit,
        action: 'revoke_key',
        userId,
        outcome: count === 1 ? 'revoked' : `revoked ${count}`,
      });
      return { outcome: 'revoked' as const, count, auditId };
    });
  }
}
