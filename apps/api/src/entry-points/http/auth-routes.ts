import { Router } from 'express';

import { encodeLoginAnswer, loginFormOf, toLoginCredentials } from '@paygate/contracts';
import { DomainError } from '@paygate/domain';

import type { ApiDeps, Services } from '../../deps';
import { jsonBody } from './json-body';
import type { Limits } from './limits';
import { methodNotAllowed } from './method-not-allowed';
import { decode } from './validate';

/**
 * POST /auth/login: email + API key -> the user. The seed's form ({username, password}) is accepted too, and
 * the answer carries what the seed's clients read (user_id, api_key, message) beside the user. Wrong email
 * and wrong key get the same answer. Every attempt counts per address (limits.login); a failure also counts
 * per email, and past that limit a failure answers 429. A correct email and key always log in, whatever the
 * failures before.
 */
export function authRouter(deps: ApiDeps, services: Services, limits: Limits): Router {
  const router = Router();
  router
    .route('/login')
    .post(limits.login, ...jsonBody(deps.config.http.bodyBytesMax), async (req, res) => {
      const { email, apiKey } = toLoginCredentials(decode(loginFormOf(req.body), req.body, 'body'));
      const owner = await services.authenticator.authenticate(apiKey);
      if (owner && owner.user.email === email) {
        res.json(encodeLoginAnswer(owner.user, owner.currency, apiKey));
        return;
      }
      if (!(await limits.admitLoginFailure(req, res, email))) return;
      throw new DomainError('unauthorized', 'The email or API key is not right.');
    })
    .all(limits.client, methodNotAllowed(['POST']));
  return router;
}
