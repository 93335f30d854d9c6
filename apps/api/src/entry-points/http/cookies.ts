import type { Request } from 'express';

/**
 * One cookie's value from the Cookie header, or undefined. Sent twice (two paths, or a planted duplicate)
 * is treated as absent rather than guessing which one was meant.
 */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined || header.length > COOKIE_HEADER_LENGTH_MAX) return undefined;
  let found: string | undefined;
  let count = 0;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    count += 1;
    found = part.slice(separator + 1).trim();
  }
  return count === 1 ? found : undefined;
}

/** Browsers send at most 4 KB per cookie; a header far beyond that is not worth parsing. */
const COOKIE_HEADER_LENGTH_MAX = 16_384;
