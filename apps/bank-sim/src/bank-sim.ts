import type { Express } from 'express';

import { createApp } from './app';
import type { BankConfig } from './config';
import { createBankPool, prepareBankDatabase } from './data-access/database';
import { createRandom, randomSeed } from './random';
import { Bank } from './services/bank';
import type { Clock } from './services/clock';
import { systemClock } from './services/clock';
import { createMetrics } from './infra/metrics';
import type { Logger } from './infra/logger';
import { createLogger } from './infra/logger';

export interface BankSimDeps {
  config: BankConfig;
  /** Defaults to a pino logger at config.logLevel. */
  logger?: Logger;
  /** Wall-clock time for webhook timestamps; defaults to the system clock. */
  clock?: Clock;
}

export interface BankSim {
  /** The HTTP app, not listening: the caller listens (port 0 in tests) and closes its own server. */
  app: Express;
  bank: Bank;
  /** BANK_SEED, or the random seed chosen because it was unset: log it so the run can be repeated. */
  seed: string;
  /** Stops the timers, waits for webhook attempts in flight, and closes the database pool. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a bank in-process: creates its database if missing and migrates it, opens the pool, and starts
 * the durable timers, whose first pass settles and sends whatever an earlier run left due.
 */
export async function startBankSim(deps: BankSimDeps): Promise<BankSim> {
  const { config } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  await prepareBankDatabase(config.database, logger);
  const pool = createBankPool(config.database, logger);
  // The bank is built after its metrics, which read its held answers: a late-bound reference.
  let heldAnswerCount = (): number => 0;
  const metrics = createMetrics({ heldAnswerCount: () => heldAnswerCount() });
  const seed = config.seed ?? randomSeed();
  const bank = new Bank({
    config,
    pool,
    clock: deps.clock ?? systemClock,
    // Two independent streams; see random.ts for why retry jitter has its own.
    random: createRandom(seed, 'orders'),
    jitter: createRandom(seed, 'webhook-jitter'),
    metrics,
    logger,
  });
  heldAnswerCount = () => bank.holds.heldCount;
  try {
    await bank.start();
  } catch (error) {
    await pool.end();
    throw error;
  }
  const app = createApp({ bank, config, pool, metrics, logger });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= bank.stop().finally(() => pool.end());
    return closing;
  };
  return { app, bank, seed, close };
}
