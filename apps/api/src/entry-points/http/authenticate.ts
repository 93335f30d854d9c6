import type { RequestHandler } from 'express';

import type { KeyAuthenticator } from '../../services/authenticate-key';
import { sendError } from './send-error';

/** X-API-Key, or Authorization: Bearer, -> res.locals.auth; anything else is a 401. */
export function authenticate(authenticator: KeyAuthenticator): RequestHandler {
  return async (req, res, next) => {
    const apiKey = presentedKey(req.get('x-api-key'), req.get('authorization'));
    if (apiKey === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="paygate"');
      sendError(res, 'unauthorized', 'Send your API key in the X-API-Key header (or Authorization: Bearer).');
      return;
    }
    const owner = await authenticator.authenticate(apiKey);
    if (!owner) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="paygate", error="invalid_token"');
      sendError(res, 'unauthorized', 'The API key is invalid or has been revoked.');
      return;
    }
    res.locals.auth = { user: owner.user, currency: owner.currency };
    next();
  };
}

function presentedKey(header: string | undefined, authorization: string | undefined): string | undefined {
  if (header !== undefined && header.length > 0) return header;
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(authorization);
  return bearer?.[1]?.trim();
}
