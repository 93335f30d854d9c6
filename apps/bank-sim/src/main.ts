import type { Server } from 'node:http';

import { startBankSim } from './bank-sim';
import type { BankSim } from './bank-sim';
import { ConfigError, loadConfig } from './config';
import type { BankConfig } from './config';
import type { Logger } from './infra/logger';
import { createLogger } from './infra/logger';

/** Process entry: config, database, listen, and a graceful stop on SIGTERM or SIGINT. */

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const sim = await startOrExit(config, logger);

  const server = sim.app.listen(config.http.port, config.http.host, () => {
    logger.info(
      { address: server.address(), seed: sim.seed, isSeedFromEnvironment: config.seed !== undefined },
      'bank simulator listening',
    );
  });
  // Explicit limits rather than Node's defaults: a held ("timeout") answer must outlive BANK_HANG_MS.
  server.headersTimeout = 20_000;
  server.requestTimeout = config.scenarios.hangMs + 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'bank simulator cannot listen');
    process.exit(1);
  });

  let isStopping = false;
  const stop = (signal: string): void => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'stopping: closing the server, then the timers and the database');
    // Held answers first, so the open requests end and the server can close.
    sim.bank.holds.releaseAll();
    closeServer(server, config.http.shutdownGraceMs)
      .then(() => sim.close())
      .then(
        () => {
          logger.info('bank simulator stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'bank simulator did not stop cleanly');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}

function loadConfigOrExit(): BankConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The logger's level comes from the configuration that just failed, so this goes straight to stderr.
    console.error(`bank-sim: ${error.message}`);
    process.exit(1);
  }
}

async function startOrExit(config: BankConfig, logger: Logger): Promise<BankSim> {
  try {
    return await startBankSim({ config, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'bank simulator cannot start: is its database reachable?');
    process.exit(1);
  }
}

void main();
