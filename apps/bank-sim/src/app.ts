import express from 'express';
import type { Express } from 'express';
import pino from 'pino';
import type { Logger } from 'pino';

import type { BankConfig } from './config';
import { controlRoutes } from './entry-points/http/control-routes';
import { errorHandler, notFoundHandler } from './entry-points/http/error-handler';
import { paymentsRoutes } from './entry-points/http/payments-routes';
import { echoRequestId } from './entry-points/http/request-id';
import { systemRoutes } from './entry-points/http/system-routes';
import { createRandom, randomSeed } from './random';
import type { Random } from './random';
import { Bank } from './services/bank';
import type { Clock } from './services/clock';
import { systemClock } from './services/clock';
import { createMetrics } from './services/metrics';

export interface AppDeps {
  config: BankConfig;
  clock?: Clock;
  /** Defaults to streams seeded from config.seed, or from a fresh random seed when that is unset. */
  random?: BankRandom;
  logger?: Logger;
}

/** Two independent seeded streams; see random.ts for why jitter has its own. */
export interface BankRandom {
  orders: Random;
  jitter: Random;
}

export function createBankRandom(seed: string): BankRandom {
  return { orders: createRandom(seed, 'orders'), jitter: createRandom(seed, 'webhook-jitter') };
}

/**
 * Builds the bank and its HTTP app without listening, so tests run it in-process on port 0. The caller owns
 * `bank.stop()`, which clears every timer the bank has started.
 */
export function createApp(deps: AppDeps): { app: Express; bank: Bank } {
  const { config } = deps;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const random = deps.random ?? createBankRandom(config.seed ?? randomSeed());
  const metrics = createMetrics();
  const bank = new Bank({
    config,
    clock: deps.clock ?? systemClock,
    random: random.orders,
    jitter: random.jitter,
    metrics,
    logger,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: config.http.bodyBytesMax, strict: true }));
  app.use(echoRequestId);
  app.use(systemRoutes(metrics.registry));
  app.use(paymentsRoutes(bank, config.scenarios.hangMs));
  app.use(controlRoutes(bank));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, bank };
}
