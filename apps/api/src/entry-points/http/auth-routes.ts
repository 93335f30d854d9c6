import { Router } from 'express';

import { encodeUser, LoginBody } from '@paygate/contracts';
import { DomainError } from '@paygate/domain';

import type { ApiDeps, Services } from '../../deps';
import { jsonBody } from './json-body';
import type { Limits } from './limits';
import { methodNotAllowed } from './method-not-allowed';
import { decode } from './validate';

/** POST /auth/login: email + API key -> the user. Wrong email and wrong key get the same answer. */
export function authRouter(deps: ApiDeps, services: Services, limits: Limits): Router {
  const router = Router();
  router
    .route('/login')
    .post(limits.login, ...jsonBody(deps.config.http.bodyBytesMax), async (req, res) => {
      const body = decode(LoginBody, req.body, 'body');
      const owner = await services.authenticator.authenticate(body.api_key);
      if (!owner || owner.user.email !== body.email.trim().toLowerCase()) {
        throw new DomainError('unauthorized', 'The email or API key is not right.');
      }
      res.json(encodeUser(owner.user, owner.currency));
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
