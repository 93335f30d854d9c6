import express from 'express';
import type { Express } from 'express';

import type { BankConfig } from './config';
import type { Pool } from './data-access/database';
import { authenticateMerchant } from './entry-points/http/authenticate';
import { controlRoutes } from './entry-points/http/control-routes';
import { errorHandler, notFoundHandler } from './entry-points/http/error-handler';
import { requireLoopback } from './entry-points/http/loopback';
import { paymentsRoutes } from './entry-points/http/payments-routes';
import { echoRequestId } from './entry-points/http/request-id';
import { systemRoutes } from './entry-points/http/system-routes';
import type { Bank } from './services/bank';
import type { Metrics } from './infra/metrics';
import type { Logger } from './infra/logger';

export interface AppDeps {
  bank: Bank;
  config: BankConfig;
  pool: Pool;
  metrics: Metrics;
  logger: Logger;
}

/**
 * The bank's HTTP face, without listen(). The order of the middleware is the access policy: /health and
 * /metrics are open; /control answers loopback callers only; everything else, /control included, needs
 * the merchant's credential, checked before the body is even read.
 */
export function createApp(deps: AppDeps): Express {
  const { bank, config, metrics, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(echoRequestId);
  app.use(systemRoutes(metrics.registry, deps.pool));
  app.use('/control', requireLoopback);
  app.use(authenticateMerchant(config.merchant, metrics));
  app.use(express.json({ limit: config.http.bodyBytesMax, strict: true }));
  app.use(paymentsRoutes(bank, config.scenarios.hangMs));
  app.use(controlRoutes(bank));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
