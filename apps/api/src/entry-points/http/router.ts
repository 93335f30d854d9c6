import { Router } from 'express';

import type { ApiDeps, Services } from '../../deps';
import { authenticate } from './authenticate';
import { adminRouter } from './admin/admin-router';
import { authRouter } from './auth-routes';
import type { DocsPage } from './docs-page';
import { buildLimits } from './limits';
import { eventsRouter } from './events-routes';
import { systemRouter } from './system-routes';
import { transactionsRouter } from './transactions-routes';
import { usersRouter } from './users-routes';
import { webhookEndpointsRouter } from './webhook-endpoints-routes';
import { webhookRouter } from './webhook-routes';

/**
 * Mounts every route; /api/v1 routes other than login require an API key or the web app's session cookie. Every /api/v1 request counts
 * against its client's rate limit window: login and unauthenticated requests by address, the rest by user,
 * each route through its own limiter, and an unknown /api/v1 path through the last one below.
 */
export function router(deps: ApiDeps, services: Services, docs: DocsPage): Router {
  const limits = buildLimits(deps, services);
  const api = Router();
  // Routers are mounted at their prefixes, so a request only walks the routes that can match it.
  // The operator API opens with an operator session only: mounted before the user check.
  api.use('/admin', adminRouter(deps, services));
  const userAuth = authenticate(
    { keys: services.authenticator, sessions: services.userSessions, webOrigins: deps.config.sessions.webOrigins },
    limits,
  );
  api.use('/auth', authRouter(deps, services, limits, userAuth));
  api.use(userAuth);
  api.use('/deposits', transactionsRouter(deps, services, limits, 'deposit', '/deposits'));
  api.use('/withdrawals', transactionsRouter(deps, services, limits, 'withdrawal', '/withdrawals'));
  api.use('/users', usersRouter(services, limits));
  api.use('/events', eventsRouter(services, limits));
  api.use('/webhook-endpoints', webhookEndpointsRouter(deps, services, limits));
  api.use(limits.client);

  const root = Router();
  root.use('/api/v1', api);
  root.use(webhookRouter(deps, services));
  root.use(systemRouter(deps, docs));
  return root;
}
