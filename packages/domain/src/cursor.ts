/**
 * The list cursor: opaque to clients, keyset inside (created_at, id of the last row of the page), so the
 * next page is an index range scan however deep the client goes.
 */
export interface CursorPosition {
  createdAtMs: number;
  id: number;
}

const CURSOR_TEXT = /^(\d{1,15}):(\d{1,18})$/;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAtMs}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition | undefined {
  if (cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const createdAtMs = Number(match[1]);
  const id = Number(match[2]);
  if (!Number.isSafeInteger(createdAtMs) || !Number.isSafeInteger(id)) return undefined;
  return { createdAtMs, id };
}
