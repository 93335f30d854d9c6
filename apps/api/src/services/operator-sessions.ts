import { createHash, randomBytes } from 'node:crypto';

import type { OperatorRecord, OperatorsRepository } from '@paygate/db';

import { DECOY_PASSWORD_HASH, verifyOperatorPassword } from './operator-passwords';

/**
 * Operators' sessions: an opaque random token in an httpOnly cookie, stored only as its SHA-256, with an
 * idle and an absolute expiry. Users' API keys and sessions never reach this code.
 */

export interface OperatorSessionOptions {
  idleMs: number;
  absoluteMs: number;
  touchEveryMs: number;
}

export class OperatorSessions {
  constructor(
    private readonly operators: OperatorsRepository,
    private readonly options: OperatorSessionOptions,
    private readonly clock: () => Date,
  ) {}

  /**
   * The operator and a new session token when the email and password are right; undefined otherwise. An
   * unknown or disabled email costs one scrypt too, so timing does not tell which part was wrong.
   */
  async login(
    email: string,
    password: string,
  ): Promise<{ operator: OperatorRecord; token: string; expiresAt: Date } | undefined> {
    const found = await this.operators.findByEmail(email.trim().toLowerCase());
    const matches = await verifyOperatorPassword(password, found?.passwordHash ?? DECOY_PASSWORD_HASH);
    if (!found || !matches || found.disabledAt !== null) return undefined;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock().getTime() + this.options.absoluteMs);
    await this.operators.createSession({ operatorId: found.id, tokenHash: hashSessionToken(token), expiresAt });
    const { passwordHash: _passwordHash, ...operator } = found;
    return { operator, token, expiresAt };
  }

  async authenticate(token: string): Promise<OperatorRecord | undefined> {
    if (!SESSION_TOKEN.test(token)) return undefined;
    const session = await this.operators.findLiveSession(hashSessionToken(token), {
      idleMs: this.options.idleMs,
      touchEveryMs: this.options.touchEveryMs,
    });
    return session?.operator;
  }

  async logout(token: string): Promise<boolean> {
    if (!SESSION_TOKEN.test(token)) return false;
    return this.operators.revokeSession(hashSessionToken(token));
  }
}

/** 32 random bytes, base64url: what login hands out; anything else is not looked up. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
