import type { Request, RequestHandler, Response } from 'express';

import type { Logger } from '../../infra/logger';
import type { LocalRateLimiter } from '../../infra/local-rate-limiter';
import type { Metrics } from '../../infra/metrics';
import type { LimitRule, RateDecision, RateLimiter } from '../../infra/rate-limiter';
import { sendError } from './send-error';

export interface RateLimitDeps {
  limiter: RateLimiter;
  /** Enforces the rules marked enforcedWithoutRedis while Redis is unreachable and limits fail open. */
  localLimiter: LocalRateLimiter;
  logger: Logger;
  metrics: Metrics;
  failOpen: boolean;
  windowS: number;
}

/**
 * Decides whether a request may go on under the given windows, and answers for it when not. Headers
 * describe the first rule (the route's own limit): the X-RateLimit-* trio, and the IETF draft's
 * RateLimit-Policy / RateLimit fields beside them. A 429 carries Retry-After and the seed's body. When
 * Redis cannot be reached the request is served (fail open: rules marked enforcedWithoutRedis are then
 * checked in this process instead) or refused with 503 (fail closed); either way it is logged and counted.
 */
export class RateLimitGate {
  private lastWarningMs = 0;

  constructor(private readonly deps: RateLimitDeps) {}

  /** Middleware form: the rules are computed per request. */
  middleware(rules: (req: Request, res: Response) => LimitRule[]): RequestHandler {
    return async (req, res, next) => {
      if (await this.admit(res, rules(req, res))) next();
    };
  }

  /** True when the request may go on; otherwise a 429 or 503 has been sent. */
  async admit(res: Response, rules: LimitRule[]): Promise<boolean> {
    const decision = await this.decide(rules);
    if (decision === 'unavailable') {
      sendError(res, 'service_unavailable', 'Rate limiting is unavailable; try again shortly.');
      return false;
    }
    if (decision === 'unlimited') return true;
    this.describe(res, decision);
    if (decision.allowed) return true;
    this.deps.metrics.rateLimited.inc({ scope: decision.refusedScope ?? 'unknown' });
    res.setHeader('Retry-After', String(decision.retryAfterS));
    res.status(429).json({
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please try again later.',
      retry_after: decision.retryAfterS,
      request_id: res.locals.requestId,
    });
    return false;
  }

  private async decide(rules: LimitRule[]): Promise<RateDecision | 'unlimited' | 'unavailable'> {
    if (rules.length === 0) return 'unlimited';
    try {
      return await this.deps.limiter.check(rules);
    } catch (error) {
      const localRules = rules.filter((rule) => rule.enforcedWithoutRedis === true);
      const fallback = !this.deps.failOpen ? 'refused' : localRules.length > 0 ? 'local' : 'allowed';
      this.deps.metrics.rateLimiterErrors.inc({ decision: fallback });
      if (Date.now() - this.lastWarningMs > 10_000) {
        this.lastWarningMs = Date.now();
        this.deps.logger.warn({ err: error, fail_open: this.deps.failOpen }, 'rate limiter unavailable');
      }
      if (fallback === 'refused') return 'unavailable';
      if (fallback === 'allowed') return 'unlimited';
      return this.deps.localLimiter.check(localRules);
    }
  }

  private describe(res: Response, decision: RateDecision): void {
    const shown = decision.windows[0];
    if (!shown) return;
    const resetS = Math.max(0, Math.ceil(shown.resetAtMs / 1000));
    const resetInS = Math.max(0, Math.ceil((shown.resetAtMs - Date.now()) / 1000));
    res.setHeader('X-RateLimit-Limit', String(shown.limit));
    res.setHeader('X-RateLimit-Remaining', String(shown.remaining));
    res.setHeader('X-RateLimit-Reset', String(resetS));
    res.setHeader('RateLimit-Policy', `"${shown.scope}";q=${shown.limit};w=${this.deps.windowS}`);
    res.setHeader('RateLimit', `"${shown.scope}";r=${shown.remaining};t=${resetInS}`);
  }
}
