import { assert } from '@paygate/domain';

import type { Pool } from '../pool';
import type { KeyOwner } from './users-repository';
import { toId } from './rows';

/**
 * End users' web sessions. The token itself is never stored, only its SHA-256. A session is live while it
 * is not revoked, not past its absolute expiry, used within the idle limit, and the API key it was opened
 * with is not revoked: revoking a key (CLI or console) ends its sessions in the same breath.
 */
export class UserSessionsRepository {
  constructor(private readonly pool: Pool) {}

  /** Opens a session for the live key with this hash; undefined when the key is not (or no longer) live. */
  async create(input: { keyHash: string; tokenHash: string; expiresAt: Date }): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO user_sessions (user_id, api_key_id, token_hash, expires_at)
       SELECT k.user_id, k.id, $2, $3 FROM api_keys k WHERE k.key_hash = $1 AND k.revoked_at IS NULL
       RETURNING id`,
      [input.keyHash, input.tokenHash, input.expiresAt],
    );
    return rows[0] === undefined ? undefined : toId(rows[0].id);
  }

  /**
   * The owner of the live session with this token hash. Seeing it moves last_seen_at, at most once per
   * touchEveryMs, so that a busy web app does not write on every read.
   */
  async findLive(
    tokenHash: string,
    options: { idleMs: number; touchEveryMs: number },
  ): Promise<(KeyOwner & { sessionId: number }) | undefined> {
    const { rows } = await this.pool.query<{
      session_id: string;
      id: string;
      email: string;
      created_at: Date;
      key_hash: string;
      currency: string | null;
    }>(
      `WITH live AS (
         SELECT s.id AS session_id, s.last_seen_at, u.id, u.email, u.created_at, k.key_hash,
                (SELECT a.currency FROM accounts a WHERE a.user_id = u.id AND a.kind = 'wallet' ORDER BY a.id LIMIT 1)
                  AS currency
           FROM user_sessions s
           JOIN api_keys k ON k.id = s.api_key_id
           JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
            AND s.last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
            AND k.revoked_at IS NULL
       ), touched AS (
         UPDATE user_sessions s SET last_seen_at = now()
           FROM live
          WHERE s.id = live.session_id
            AND live.last_seen_at < now() - make_interval(secs => $3::double precision / 1000)
       )
       SELECT session_id, id, email, created_at, key_hash, currency FROM live`,
      [tokenHash, options.idleMs, options.touchEveryMs],
    );
    const row = rows[0];
    if (!row) return undefined;
    assert(/^[0-9a-f]{64}$/.test(row.key_hash), 'a live session names a hashed key');
    return {
      sessionId: toId(row.session_id),
      user: { id: toId(row.id), email: row.email, createdAt: row.created_at },
      keyHash: row.key_hash,
      currency: row.currency ?? 'USD',
    };
  }

  /** Ends the session; true when it was live. */
  async revoke(tokenHash: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE user_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash],
    );
    return result.rowCount === 1;
  }
}
