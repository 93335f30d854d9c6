import type { RequestHandler } from 'express';
import { Router } from 'express';

import {
  encodeLoginAnswer,
  encodeUser,
  LOGOUT_MESSAGE,
  loginFormOf,
  toLoginCredentials,
  USER_SESSION_COOKIE,
} from '@paygate/contracts';
import { DomainError } from '@paygate/domain';

import type { ApiDeps, Services } from '../../deps';
import { authOf } from './context';
import { readCookie } from './cookies';
import { jsonBody } from './json-body';
import type { Limits } from './limits';
import { methodNotAllowed } from './method-not-allowed';
import { assertSameOrigin, originSet } from './same-origin';
import { decode } from './validate';

/**
 * POST /auth/login: email + API key -> the user, and the web app's session cookie (httpOnly,
 * SameSite=Strict, Path=/api). The seed's form ({username, password}) is accepted too, and the answer
 * carries what the seed's clients read (user_id, api_key, message) beside the user. Wrong email and wrong
 * key get the same answer. Every attempt counts per address (limits.login); a failure also counts per
 * email, and past that limit a failure answers 429. A correct email and key always log in, whatever the
 * failures before. POST /auth/logout ends the cookie's session; GET /auth/me tells who is logged in.
 */
export function authRouter(deps: ApiDeps, services: Services, limits: Limits, userAuth: RequestHandler): Router {
  const config = deps.config.sessions;
  const webOrigins = originSet(config.webOrigins);
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, path: '/api', secure: config.secureCookie };
  const router = Router();
  router
    .route('/login')
    .post(limits.login, ...jsonBody(deps.config.http.bodyBytesMax), async (req, res) => {
      const { email, apiKey } = toLoginCredentials(decode(loginFormOf(req.body), req.body, 'body'));
      const owner = await services.authenticator.authenticate(apiKey);
      if (owner && owner.user.email === email) {
        const session = await services.userSessions.open(owner);
        if (session) res.cookie(USER_SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
        res.json(encodeLoginAnswer(owner.user, owner.currency, apiKey));
        return;
      }
      if (!(await limits.admitLoginFailure(req, res, email))) return;
      throw new DomainError('unauthorized', 'The email or API key is not right.');
    })
    .all(limits.client, methodNotAllowed(['POST']));

  router
    .route('/logout')
    .post(limits.login, async (req, res) => {
      const token = readCookie(req, USER_SESSION_COOKIE);
      if (token !== undefined) {
        assertSameOrigin(req, webOrigins, 'the web app');
        await services.userSessions.close(token);
      }
      res.clearCookie(USER_SESSION_COOKIE, cookieOptions);
      res.json({ message: LOGOUT_MESSAGE });
    })
    .all(limits.client, methodNotAllowed(['POST']));

  router
    .route('/me')
    .get(userAuth, limits.client, (_req, res) => {
      const auth = authOf(res);
      res.json(encodeUser(auth.user, auth.currency));
    })
    .all(userAuth, limits.client, methodNotAllowed(['GET']));
  return router;
}
