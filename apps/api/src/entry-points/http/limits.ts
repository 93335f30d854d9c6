import type { Request, RequestHandler, Response } from 'express';

import type { ApiDeps, Services } from '../../deps';
import type { LimitRule } from '../../infra/rate-limiter';
import { rateLimit } from './rate-limit';

/** The rate limit of each kind of route; every one also counts against the global window. */
export interface Limits {
  global: RequestHandler;
  balance: RequestHandler;
  history: RequestHandler;
  login: RequestHandler;
}

export function buildLimits(deps: ApiDeps, services: Services): Limits {
  const config = deps.config.rateLimit;
  const limitDeps = {
    limiter: services.limiter,
    logger: deps.logger,
    metrics: deps.metrics,
    failOpen: config.failOpen,
    windowS: config.windowMs / 1000,
  };
  const global: LimitRule = { scope: 'global', subject: 'all', limit: config.globalPerWindow };
  const userRule =
    (scope: string, limit: number) =>
    (_req: Request, res: Response): LimitRule[] => [
      { scope, subject: String(res.locals.auth?.user.id ?? 'anonymous'), limit },
      global,
    ];
  return {
    global: rateLimit(limitDeps, () => [global]),
    balance: rateLimit(limitDeps, userRule('balance', config.balancePerWindow)),
    history: rateLimit(limitDeps, userRule('history', config.historyPerWindow)),
    // Guessing keys through the login form is slowed per client address (and still counts globally).
    login: rateLimit(limitDeps, (req) => [
      { scope: 'login', subject: req.ip ?? 'unknown', limit: config.loginPerWindow },
      global,
    ]),
  };
}
