import type { Request, RequestHandler, Response } from 'express';

import type { Logger } from '../../infra/logger';
import type { Metrics } from '../../infra/metrics';
import type { LimitRule, RateDecision, RateLimiter } from '../../infra/rate-limiter';
import { sendError } from './send-error';

export interface RateLimitDeps {
  limiter: RateLimiter;
  logger: Logger;
  metrics: Metrics;
  failOpen: boolean;
  windowS: number;
}

/**
 * Applies the given windows to a request. Headers describe the first rule (the route's own limit): the
 * X-RateLimit-* trio, and the IETF draft's RateLimit-Policy / RateLimit fields beside them. A 429 carries
 * Retry-After and the seed's body. When Redis cannot be reached the request is served (fail open) unless
 * configured otherwise; either way it is logged and counted.
 */
export function rateLimit(deps: RateLimitDeps, rules: (req: Request, res: Response) => LimitRule[]): RequestHandler {
  let lastWarningMs = 0;
  return async (req, res, next) => {
    const applied = rules(req, res);
    let decision: RateDecision;
    try {
      decision = await deps.limiter.check(applied);
    } catch (error) {
      deps.metrics.rateLimiterErrors.inc({ decision: deps.failOpen ? 'allowed' : 'refused' });
      if (Date.now() - lastWarningMs > 10_000) {
        lastWarningMs = Date.now();
        deps.logger.warn({ err: error, fail_open: deps.failOpen }, 'rate limiter unavailable');
      }
      if (deps.failOpen) {
        next();
        return;
      }
      sendError(res, 'service_unavailable', 'Rate limiting is unavailable; try again shortly.');
      return;
    }
    const shown = decision.windows[0];
    if (shown) {
      const resetS = Math.max(0, Math.ceil(shown.resetAtMs / 1000));
      const resetInS = Math.max(0, Math.ceil((shown.resetAtMs - Date.now()) / 1000));
      res.setHeader('X-RateLimit-Limit', String(shown.limit));
      res.setHeader('X-RateLimit-Remaining', String(shown.remaining));
      res.setHeader('X-RateLimit-Reset', String(resetS));
      res.setHeader('RateLimit-Policy', `"${shown.scope}";q=${shown.limit};w=${deps.windowS}`);
      res.setHeader('RateLimit', `"${shown.scope}";r=${shown.remaining};t=${resetInS}`);
    }
    if (decision.allowed) {
      next();
      return;
    }
    deps.metrics.rateLimited.inc({ scope: decision.refusedScope ?? 'unknown' });
    res.setHeader('Retry-After', String(decision.retryAfterS));
    res.status(429).json({
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please try again later.',
      retry_after: decision.retryAfterS,
      request_id: res.locals.requestId,
    });
  };
}
