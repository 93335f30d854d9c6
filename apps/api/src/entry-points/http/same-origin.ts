import type { Request } from 'express';

import { DomainError } from '@paygate/domain';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request carried by a cookie must come from one of the allowed browser origins. With the
 * cookie's SameSite=Strict this is the second lock against cross-site requests. A browser always sends
 * Origin on a POST; a request with neither Origin nor Sec-Fetch-Site is not a browser being tricked.
 */
export function assertSameOrigin(req: Request, allowed: ReadonlySet<string>, who: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if ((origin !== undefined && !allowed.has(origin.toLowerCase())) || site === 'cross-site') {
    throw new DomainError(
      'origin_not_allowed',
      `Requests that change something must come from ${who} (${[...allowed].join(', ')}).`,
    );
  }
}

export function originSet(origins: readonly string[]): ReadonlySet<string> {
  return new Set(origins.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
}
