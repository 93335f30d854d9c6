import { createPool } from '@paygate/db';

import { ConfigError, loadConfig } from './config';
import type { WorkerConfig } from './config';
import { createLogger } from './infra/logger';
import { startMetricsServer } from './infra/metrics';
import { createWorker } from './worker';

/** Process entry: config, dependencies, the metrics server, the worker, and a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const pool = createPool({
    connectionString: config.database.url,
    applicationName: 'paygate-worker',
    poolSizeMax: config.database.poolSizeMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectionTimeoutMs: config.database.connectionTimeoutMs,
    idleTimeoutMs: config.database.idleTimeoutMs,
  });
  // An idle client that loses its connection emits here; without a listener it would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'database pool: idle client error'));

  const worker = createWorker({ config, pool, logger });
  const metricsServer = await startMetricsServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry: worker.metrics.registry,
    health: () => worker.health(),
  });
  logger.info({ port: metricsServer.port }, 'metrics listening (/metrics, /health)');

  let isStopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'stopping');
    // A stop that hangs past the grace (plus slack for closing) must not keep the process alive forever.
    setTimeout(() => {
      logger.error('graceful stop took too long; exiting');
      process.exit(1);
    }, config.shutdown.graceMs + 5_000).unref();
    await worker.stop();
    await metricsServer.close();
    logger.debug('metrics server closed');
    await pool.end();
    logger.debug('database pool closed');
    process.exit(0);
  };
  const hasStopped = (): boolean => isStopping;
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    await worker.start();
    logger.info('worker started');
  } catch (error) {
    // A stop during start-up (SIGTERM while the broker is still unreachable) rejects start(); that is not a failure.
    if (hasStopped()) return;
    logger.fatal({ err: error }, 'worker could not start');
    process.exit(1);
  }
}

function loadConfigOrExit(): WorkerConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The logger's level comes from the configuration that just failed, so this goes straight to stderr.
    console.error(`worker: invalid configuration: ${error.message}`);
    process.exit(1);
  }
}

void main();
