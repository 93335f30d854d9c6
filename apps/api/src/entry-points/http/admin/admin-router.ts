import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Router } from 'express';

import {
  AdminPaymentListQuery,
  AdminUserListQuery,
  AuditListQuery,
  DeadLetterListQuery,
  encodeOperator,
  OPERATOR_SESSION_COOKIE,
  OperatorLoginBody,
  TransactionIdParams,
  UserIdParams,
} from '@paygate/contracts';
import { DomainError, mayChange } from '@paygate/domain';

import type { ApiDeps, Services } from '../../../deps';
import { readCookie } from '../cookies';
import { jsonBody } from '../json-body';
import { methodNotAllowed } from '../method-not-allowed';
import { RateLimitGate } from '../rate-limit';
import { sendError } from '../send-error';
import { decode } from '../validate';
import { operatorOf } from './operator-context';
import { keyRoutes } from './key-routes';
import { repairRoutes } from './repair-routes';

/**
 * The operator API, /api/v1/admin: the console's only door. It opens with an operator session cookie and
 * nothing else (a user's API key or session is never looked at here, and this cookie's Path keeps it away
 * from users' routes). GETs need any operator; anything that changes state needs the `operator` role, a
 * reason, an allowed Origin, and is audited. Every request counts against its operator's window; logins
 * against the address's and, when they fail, the email's.
 */
export function adminRouter(deps: ApiDeps, services: Services): Router {
  const config = deps.config.operators;
  const gate = new RateLimitGate({
    limiter: services.limiter,
    localLimiter: services.localLimiter,
    logger: deps.logger,
    metrics: deps.metrics,
    failOpen: deps.config.rateLimit.failOpen,
    windowS: deps.config.rateLimit.windowMs / 1000,
  });
  const loginLimit = gate.middleware((req) => [
    { scope: 'operator_login', subject: addressOf(req), limit: config.loginPerWindow, enforcedWithoutRedis: true },
  ]);
  const operatorLimit = gate.middleware((_req, res) => [
    { scope: 'operator', subject: `operator:${operatorOf(res).id}`, limit: config.requestsPerWindow },
  ]);
  const sameOrigin = allowedOriginOnly(config.consoleOrigins);
  const body = jsonBody(deps.config.http.bodyBytesMax);
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/api/v1/admin',
    secure: config.secureCookie,
  };

  const router = Router();

  router
    .route('/auth/login')
    .post(loginLimit, sameOrigin, ...body, async (req, res) => {
      const { email, password } = decode(OperatorLoginBody, req.body, 'body');
      const session = await services.operatorSessions.login(email, password);
      if (!session) {
        const admitted = await gate.admit(res, [
          {
            scope: 'operator_login_failures',
            subject: createHash('sha256').update(email.toLowerCase(), 'utf8').digest('hex'),
            limit: config.loginFailuresPerEmailPerWindow,
            enforcedWithoutRedis: true,
          },
        ]);
        if (!admitted) return;
        throw new DomainError('unauthorized', 'The email or password is not right.');
      }
      await services.operators.audit({
        operatorId: session.operator.id,
        action: 'login',
        outcome: 'ok',
        requestId: res.locals.requestId,
      });
      res.cookie(OPERATOR_SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
      res.json(encodeOperator(session.operator));
    })
    .all(loginLimit, methodNotAllowed(['POST']));

  router
    .route('/auth/logout')
    .post(sameOrigin, async (req, res) => {
      const token = readCookie(req, OPERATOR_SESSION_COOKIE);
      const operator = token === undefined ? undefined : await services.operatorSessions.authenticate(token);
      if (token !== undefined && operator) {
        await services.operatorSessions.logout(token);
        await services.operators.audit({
          operatorId: operator.id,
          action: 'logout',
          outcome: 'ok',
          requestId: res.locals.requestId,
        });
      }
      res.clearCookie(OPERATOR_SESSION_COOKIE, cookieOptions);
      res.status(204).end();
    })
    .all(methodNotAllowed(['POST']));

  // Everything below needs a live operator session.
  router.use(requireOperatorSession(services), operatorLimit);

  router
    .route('/auth/me')
    .get((_req, res) => {
      res.json(encodeOperator(operatorOf(res)));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/overview')
    .get(async (_req, res) => {
      res.json(await services.operatorReads.overview());
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/payments')
    .get(async (req, res) => {
      res.json(await services.operatorReads.searchPayments(decode(AdminPaymentListQuery, req.query, 'query')));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/payments/:id')
    .get(async (req, res) => {
      const { id } = decode(TransactionIdParams, req.params, 'path');
      res.json(await services.operatorReads.paymentStory(id));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/dead-letters')
    .get(async (req, res) => {
      res.json(await services.operatorReads.deadLetters(decode(DeadLetterListQuery, req.query, 'query')));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/users')
    .get(async (req, res) => {
      res.json(await services.operatorReads.users(decode(AdminUserListQuery, req.query, 'query')));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/users/:user_id')
    .get(async (req, res) => {
      const { user_id: userId } = decode(UserIdParams, req.params, 'path');
      res.json(await services.operatorReads.user(userId));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/audit')
    .get(async (req, res) => {
      res.json(await services.operatorReads.audit(decode(AuditListQuery, req.query, 'query')));
    })
    .all(methodNotAllowed(['GET']));

  const changeGuards = [operatorRoleOnly, sameOrigin, ...body];
  router.use(keyRoutes(services, changeGuards));
  router.use(repairRoutes(services, changeGuards));

  router.use((req, res) => {
    sendError(res, 'not_found', `No operator route ${req.method} ${req.baseUrl}${req.path}.`);
  });
  return router;
}

function requireOperatorSession(services: Services): RequestHandler {
  return async (req, res, next) => {
    const token = readCookie(req, OPERATOR_SESSION_COOKIE);
    const operator = token === undefined ? undefined : await services.operatorSessions.authenticate(token);
    if (!operator) {
      sendError(
        res,
        'unauthorized',
        token === undefined
          ? 'Log in to the operator console first (POST /api/v1/admin/auth/login).'
          : 'Your operator session has ended; log in again.',
      );
      return;
    }
    res.locals.operator = operator;
    next();
  };
}

/** Repairs, replays and keys: the `operator` role only; a viewer looks. */
const operatorRoleOnly: RequestHandler = (_req, res, next) => {
  if (!mayChange(operatorOf(res).role)) {
    throw new DomainError('forbidden', 'Your role (viewer) may look but not change anything; ask an operator.');
  }
  next();
};

/**
 * A state-changing request from a browser must come from the console's origin. With the cookie's
 * SameSite=Strict this is the second lock against cross-site requests; a client that sends no Origin (curl,
 * scripts) is not a browser being tricked, and passes.
 */
function allowedOriginOnly(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  return (req, _res, next) => {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if ((origin !== undefined && !origins.has(origin.toLowerCase())) || site === 'cross-site') {
      throw new DomainError(
        'origin_not_allowed',
        `Requests that change something must come from the operator console (${[...origins].join(', ')}).`,
      );
    }
    next();
  };
}

function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
