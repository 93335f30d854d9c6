import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

import type { ApiDeps, Services } from '../../deps';
import type { LimitRule } from '../../infra/rate-limiter';
import { RateLimitGate } from './rate-limit';

/**
 * The rate limits of DESIGN.md. Every /api/v1 request counts against its client's window (the "global"
 * RATE_LIMIT_GLOBAL_PER_MIN, kept per client: the authenticated user, or the address when there is none),
 * so one client can never lock the others out; the optional system window (RATE_LIMIT_SYSTEM_PER_MIN) sheds
 * load across all clients. A route with a window of its own checks it in the same atomic Redis call.
 */
export interface Limits {
  /** Routes without a window of their own (create, get one, 405s, unknown /api/v1 paths). */
  client: RequestHandler;
  /** GET /users/{id}/balance, per user. */
  balance: RequestHandler;
  /** History and lists: one window per user for all of them. */
  history: RequestHandler;
  /** Every login attempt, per address, before the key is looked at. */
  login: RequestHandler;
  /** A request that did not authenticate: counts against its address. False when a 429/503 was sent. */
  admitAnonymous(req: Request, res: Response): Promise<boolean>;
  /**
   * A failed login, per email. A correct key never reaches this, so failing on purpose cannot lock a user
   * out; past the limit further failures answer 429 instead of 401. False when a 429/503 was sent.
   */
  admitLoginFailure(req: Request, res: Response, email: string): Promise<boolean>;
}

export function buildLimits(deps: ApiDeps, services: Services): Limits {
  const config = deps.config.rateLimit;
  const gate = new RateLimitGate({
    limiter: services.limiter,
    localLimiter: services.localLimiter,
    logger: deps.logger,
    metrics: deps.metrics,
    failOpen: config.failOpen,
    windowS: config.windowMs / 1000,
  });
  const system: LimitRule[] =
    config.systemPerWindow > 0 ? [{ scope: 'system', subject: 'all', limit: config.systemPerWindow }] : [];
  // Named "global" as in RATE_LIMIT_GLOBAL_PER_MIN and the RateLimit-Policy header clients already read.
  const client = (req: Request, res: Response): LimitRule => ({
    scope: 'global',
    subject: clientOf(req, res),
    limit: config.clientPerWindow,
  });
  // The web app's session has budgets of its own, apart from the same user's integration traffic.
  const sessions = deps.config.sessions;
  const perUser =
    (scope: string, limit: number, sessionLimit: number) =>
    (req: Request, res: Response): LimitRule[] => [
      res.locals.auth?.via === 'session'
        ? { scope: `session_${scope}`, subject: clientOf(req, res), limit: sessionLimit }
        : { scope, subject: clientOf(req, res), limit },
      client(req, res),
      ...system,
    ];
  return {
    client: gate.middleware((req, res) => [client(req, res), ...system]),
    balance: gate.middleware(perUser('balance', config.balancePerWindow, sessions.balancePerWindow)),
    history: gate.middleware(perUser('history', config.historyPerWindow, sessions.historyPerWindow)),
    login: gate.middleware((req, res) => [
      { scope: 'login', subject: addressOf(req), limit: config.loginPerWindow, enforcedWithoutRedis: true },
      client(req, res),
      ...system,
    ]),
    admitAnonymous: (req, res) => gate.admit(res, [client(req, res), ...system]),
    admitLoginFailure: (_req, res, email) =>
      gate.admit(res, [
        // Hashed: the key names the window without storing an address book in Redis.
        {
          scope: 'login_failures',
          subject: sha256(email),
          limit: config.loginFailuresPerEmailPerWindow,
          enforcedWithoutRedis: true,
        },
      ]),
  };
}

/**
 * The user when authenticated (their web session apart from their keys); otherwise the address
 * (X-Forwarded-For only from API_TRUST_PROXY peers).
 */
function clientOf(req: Request, res: Response): string {
  const auth = res.locals.auth;
  if (!auth) return `address:${addressOf(req)}`;
  return auth.via === 'session' ? `user:${auth.user.id}:web` : `user:${auth.user.id}`;
}

function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
