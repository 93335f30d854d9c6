import { Router } from 'express';

import type { ApiDeps, Services } from '../../deps';
import { authenticate } from './authenticate';
import { authRouter } from './auth-routes';
import { buildLimits } from './limits';
import { systemRouter } from './system-routes';
import { transactionsRouter } from './transactions-routes';
import { usersRouter } from './users-routes';
import { webhookRouter } from './webhook-routes';

/** Mounts every route; /api/v1 routes other than login require an API key. */
export function router(deps: ApiDeps, services: Services): Router {
  const limits = buildLimits(deps, services);
  const api = Router();
  api.use(authRouter(deps, services, limits));
  api.use(authenticate(services.authenticator));
  api.use(transactionsRouter(deps, services, limits, 'deposit', '/deposits'));
  api.use(transactionsRouter(deps, services, limits, 'withdrawal', '/withdrawals'));
  api.use(usersRouter(services, limits));

  const root = Router();
  root.use('/api/v1', api);
  root.use(webhookRouter(deps, services));
  root.use(systemRouter(deps));
  return root;
}
