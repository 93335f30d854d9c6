import type { UserWire } from '@paygate/contracts';

/**
 * The API key is stored nowhere: login hands it to the API once, which answers with an httpOnly session
 * cookie that no script can read. What this tab remembers is only who was logged in (the user, no
 * credential), so that a reload draws the pages at once while GET /auth/me confirms the cookie is live.
 */

export interface StoredSession {
  user: UserWire;
}

export const SESSION_STORAGE_KEY = 'paygate.session';

export function readSession(storage: Storage): StoredSession | null {
  const text = storage.getItem(SESSION_STORAGE_KEY);
  if (text === null) return null;
  const session = parseSession(text);
  // Something we cannot read is no session at all; leave nothing half-valid behind.
  if (session === null) storage.removeItem(SESSION_STORAGE_KEY);
  return session;
}

/** Only the user's four fields: login's answer also echoes the key (for the seed's clients), never kept. */
export function writeSession(storage: Storage, session: StoredSession): void {
  const { id, email, currency, created_at } = session.user;
  storage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ user: { id, email, currency, created_at } }));
}

export function clearSession(storage: Storage): void {
  storage.removeItem(SESSION_STORAGE_KEY);
}

/** A user as the API sends it, or null: what GET /auth/me answers is checked before it is believed. */
export function userOf(value: unknown): UserWire | null {
  if (!isRecord(value)) return null;
  if (
    typeof value.id !== 'number' ||
    typeof value.email !== 'string' ||
    typeof value.currency !== 'string' ||
    typeof value.created_at !== 'string'
  ) {
    return null;
  }
  return { id: value.id, email: value.email, currency: value.currency, created_at: value.created_at };
}

function parseSession(text: string): StoredSession | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const user = userOf(value.user);
  return user === null ? null : { user };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
