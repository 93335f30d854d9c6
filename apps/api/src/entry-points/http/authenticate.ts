import type { Request, RequestHandler, Response } from 'express';

import { USER_SESSION_COOKIE } from '@paygate/contracts';

import type { KeyAuthenticator } from '../../services/authenticate-key';
import type { UserSessions } from '../../services/user-sessions';
import { readCookie } from './cookies';
import type { Limits } from './limits';
import { assertSameOrigin, originSet } from './same-origin';
import { sendError } from './send-error';
import { singleHeader } from './single-header';

export interface Authenticators {
  keys: KeyAuthenticator;
  sessions: UserSessions;
  /** Where the web app is served from: a cookie request that changes state must come from there. */
  webOrigins: readonly string[];
}

/**
 * X-API-Key, or Authorization: Bearer, or the web app's session cookie -> res.locals.auth; anything else is
 * a 401. A key, when sent, is what counts (integrators), even beside a cookie. A request that does not
 * authenticate still counts against its address's rate limit window (so guessing is bounded), and a
 * credential header sent twice is a 400, never a guess at which one was meant. A cookie request that
 * changes state must also pass the same-origin check (403 origin_not_allowed).
 */
export function authenticate(auth: Authenticators, limits: Pick<Limits, 'admitAnonymous'>): RequestHandler {
  const webOrigins = originSet(auth.webOrigins);
  return async (req, res, next) => {
    let apiKey: string | undefined;
    try {
      apiKey = presentedKey(req);
    } catch (error) {
      if (!(await limits.admitAnonymous(req, res))) return;
      throw error;
    }
    if (apiKey === undefined) {
      const token = readCookie(req, USER_SESSION_COOKIE);
      const owner = token === undefined ? undefined : await auth.sessions.authenticate(token);
      if (!owner) {
        if (!(await limits.admitAnonymous(req, res))) return;
        const message =
          token === undefined
            ? 'Send your API key in the X-API-Key header (or Authorization: Bearer), or log in.'
            : 'Your session has ended; log in again.';
        refuse(res, 'Bearer realm="paygate"', message);
        return;
      }
      assertSameOrigin(req, webOrigins, 'the web app');
      res.locals.auth = { user: owner.user, currency: owner.currency, via: 'session' };
      next();
      return;
    }
    const owner = await auth.keys.authenticate(apiKey);
    if (!owner) {
      if (!(await limits.admitAnonymous(req, res))) return;
      refuse(res, 'Bearer realm="paygate", error="invalid_token"', 'The API key is invalid or has been revoked.');
      return;
    }
    res.locals.auth = { user: owner.user, currency: owner.currency, via: 'key' };
    next();
  };
}

function presentedKey(req: Request): string | undefined {
  const header = singleHeader(req, 'x-api-key', 'X-API-Key');
  if (header !== undefined && header.length > 0) return header;
  const authorization = singleHeader(req, 'authorization', 'Authorization');
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(authorization);
  return bearer?.[1]?.trim();
}

function refuse(res: Response, challenge: string, message: string): void {
  res.setHeader('WWW-Authenticate', challenge);
  sendError(res, 'unauthorized', message);
}
