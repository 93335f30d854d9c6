import type { Server } from 'node:http';

import pino from 'pino';

import { createApp, createBankRandom } from './app';
import { ConfigError, loadConfig } from './config';
import { randomSeed } from './random';

/** Process entry: config, dependencies, listen, and a graceful stop on SIGTERM or SIGINT. */

/** How long a stop waits for open requests before it closes their sockets. */
const SHUTDOWN_GRACE_MS = 10_000;

function main(): void {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.logLevel });
  const seed = config.seed ?? randomSeed();
  const { app, bank } = createApp({ config, logger, random: createBankRandom(seed) });

  const server = app.listen(config.http.port, config.http.host, () => {
    logger.info(
      { address: server.address(), seed, isSeedFromEnvironment: config.seed !== undefined },
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
    logger.info({ signal, orderCount: bank.orders.count }, 'stopping: clearing timers and closing the server');
    bank.stop();
    closeServer(server, () => {
      logger.info('bank simulator stopped');
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function closeServer(server: Server, onClosed: () => void): void {
  server.close(onClosed);
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
}

function loadConfigOrExit(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The logger's level comes from the configuration that just failed, so this goes straight to stderr.
    console.error(`bank-sim: invalid configuration: ${error.message}`);
    process.exit(1);
  }
}

main();
