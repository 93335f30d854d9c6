import type { User } from '@paygate/domain';

import type { Pool } from '../pool';
import { toId } from './rows';

export interface KeyOwner {
  user: User;
  keyHash: string;
  currency: string;
}

/** The reads the API needs on every authenticated request. */
export class UsersRepository {
  constructor(private readonly pool: Pool) {}

  /** The owner of an active (not revoked) key, found by the key's hash. */
  async findKeyOwner(keyHash: string): Promise<KeyOwner | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      email: string;
      created_at: Date;
      key_hash: string;
      currency: string | null;
    }>(
      `SELECT u.id, u.email, u.created_at, k.key_hash,
              (SELECT a.currency FROM accounts a WHERE a.user_id = u.id AND a.kind = 'wallet' ORDER BY a.id LIMIT 1) AS currency
         FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      user: { id: toId(row.id), email: row.email, createdAt: row.created_at },
      keyHash: row.key_hash,
      currency: row.currency ?? 'USD',
    };
  }
}
