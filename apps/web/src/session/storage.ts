import type { UserWire } from '@paygate/contracts';

/**
 * The session lives in sessionStorage and nowhere else: it dies with the tab, is never written to
 * localStorage, a cookie or a URL, and is read again on every API call rather than copied around.
 */

export interface StoredSession {
  apiKey: string;
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

export function writeSession(storage: Storage, session: StoredSession): void {
  storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage): void {
  storage.removeItem(SESSION_STORAGE_KEY);
}

function parseSession(text: string): StoredSession | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.apiKey !== 'string' || value.apiKey === '' || !isRecord(value.user)) return null;
  const user = value.user;
  if (
    typeof user.id !== 'number' ||
    typeof user.email !== 'string' ||
    typeof user.currency !== 'string' ||
    typeof user.created_at !== 'string'
  ) {
    return null;
  }
  return {
    apiKey: value.apiKey,
    user: { id: user.id, email: user.email, currency: user.currency, created_at: user.created_at },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
