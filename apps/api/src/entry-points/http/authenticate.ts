import type { Request, RequestHandler, Response } from 'express';

import type { KeyAuthenticator } from '../../services/authenticate-key';
import type { Limits } from './limits';
import { sendError } from './send-error';
import { singleHeader } from './single-header';

/**
 * X-API-Key, or Authorization: Bearer, -> res.locals.auth; anything else is a 401. A request that does
 * not authenticate still counts against its address's rate limit window (so key guessing is bounded), and
 * a credential header sent twice is a 400, never a guess at which one was meant.
 */
export function authenticate(authenticator: KeyAuthenticator, limits: Pick<Limits, 'admitAnonymous'>): RequestHandler {
  return async (req, res, next) => {
    let apiKey: string | undefined;
    try {
      apiKey = presentedKey(req);
    } catch (error) {
      if (!(await limits.admitAnonymous(req, res))) return;
      throw error;
    }
    if (apiKey === undefined) {
      if (!(await limits.admitAnonymous(req, res))) return;
      refuse(res, 'Bearer realm="paygate"', 'Send your API key in the X-API-Key header (or Authorization: Bearer).');
      return;
    }
    const owner = await authenticator.authenticate(apiKey);
    if (!owner) {
      if (!(await limits.admitAnonymous(req, res))) return;
      refuse(res, 'Bearer realm="paygate", error="invalid_token"', 'The API key is invalid or has been revoked.');
      return;
    }
    res.locals.auth = { user: owner.user, currency: owner.currency };
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
