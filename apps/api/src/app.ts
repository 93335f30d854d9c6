import cors from 'cors';
import express from 'express';
import helmet from 'helmet';

import { buildOpenApiDocument } from '@paygate/contracts/openapi';

import type { ApiDeps, Services } from './deps';
import { buildServices } from './deps';
import { buildDocsPage } from './entry-points/http/docs-page';
import { errorHandler, notFound } from './entry-points/http/error-handler';
import { requestId } from './entry-points/http/request-id';
import { requestLog } from './entry-points/http/request-log';
import { staticHeaders } from './entry-points/http/static-headers';
import { routeTemplateMatcher } from './entry-points/http/route-template';
import { router } from './entry-points/http/router';
import { DEMO_USERS } from './services/demo-users';

/** The routes the contract documents: their templates label metrics and logs. */
const OPENAPI_PATHS = buildOpenApiDocument().paths ?? {};

/** The express app, without listen(), so tests run it in-process on port 0. */
export function createApp(deps: ApiDeps): { app: express.Express; services: Services } {
  const services = buildServices(deps);
  const docs = buildDocsPage({ demoApiKey: deps.config.auth.demoKeysAllowed ? DEMO_USERS[0].demoKey : undefined });
  if (!docs.bundleFound) deps.logger.warn('the Scalar bundle is missing (run the build): /docs will stay blank');
  const app = express();
  app.disable('x-powered-by');
  // No ETags: API answers are not cached, and hashing every body costs CPU on the hot path.
  app.set('etag', false);
  app.set('trust proxy', deps.config.http.trustProxy);
  app.set('query parser', 'simple');
  app.use(requestId());
  app.use(requestLog(deps.logger, deps.metrics, routeTemplateMatcher(Object.keys(OPENAPI_PATHS))));
  app.use(
    staticHeaders(
      helmet({
        // What the /docs page (Scalar) needs and nothing more, all from this origin: its bundle, and its one
        // inline script by hash; inline styles (Scalar sets style attributes, which no hash or nonce can
        // cover); data: images and fonts (its icons); fetches of /openapi.json and "Try it" calls. No other
        // origin is allowed anywhere (helmet's defaults would allow https: fonts and styles).
        contentSecurityPolicy: {
          useDefaults: true,
          directives: {
            'script-src': ["'self'", ...docs.scriptHashes],
            'style-src': ["'self'", "'unsafe-inline'"],
            'img-src': ["'self'", 'data:'],
            'font-src': ["'self'", 'data:'],
            'connect-src': ["'self'"],
            'upgrade-insecure-requests': null,
          },
        },
      }),
    ),
  );
  app.use(
    cors({
      origin: deps.config.http.corsOrigins,
      allowedHeaders: ['Content-Type', 'X-API-Key', 'Authorization', 'Idempotency-Key', 'X-Request-ID'],
      exposedHeaders: [
        'X-Request-ID',
        'Idempotent-Replayed',
        'Retry-After',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
        'RateLimit',
        'RateLimit-Policy',
        'Location',
      ],
      maxAge: 600,
    }),
  );
  app.use(router(deps, services, docs));
  app.use(notFound());
  app.use(errorHandler(deps.logger));
  return { app, services };
}
