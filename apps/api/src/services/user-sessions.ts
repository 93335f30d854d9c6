import { randomBytes } from 'node:crypto';

import type { KeyOwner, UserSessionsRepository } from '@paygate/db';

import { hashSessionToken } from './operator-sessions';

/**
 * End users' web sessions: an opaque random token in an httpOnly cookie, stored only as its SHA-256, with
 * an idle and an absolute expiry, alive only while the API key it was opened with is. The web app never
 * holds the key itself.
 */
export interface UserSessionOptions {
  idleMs: number;
  absoluteMs: number;
  touchEveryMs: number;
}

export class UserSessions {
  constructor(
    private readonly sessions: UserSessionsRepository,
    private readonly options: UserSessionOptions,
    private readonly clock: () => Date,
  ) {}

  /** A new session for an owner whose key was just verified; undefined if the key was revoked meanwhile. */
  async open(owner: KeyOwner): Promise<{ token: string; expiresAt: Date } | undefined> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock().getTime() + this.options.absoluteMs);
    const id = await this.sessions.create({ keyHash: owner.keyHash, tokenHash: hashSessionToken(token), expiresAt });
    return id === undefined ? undefined : { token, expiresAt };
  }

  async authenticate(token: string): Promise<KeyOwner | undefined> {
    if (!SESSION_TOKEN.test(token)) return undefined;
    return this.sessions.findLive(hashSessionToken(token), {
      idleMs: this.options.idleMs,
      touchEveryMs: this.options.touchEveryMs,
    });
  }

  async close(token: string): Promise<boolean> {
    if (!SESSION_TOKEN.test(token)) return false;
    return this.sessions.revoke(hashSessionToken(token));
  }
}

/** 32 random bytes, base64url: what login hands out; anything else is not looked up. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
