// The API process: read config, connect, serve, and on SIGTERM stop taking requests, finish the ones in
// flight and close the pools.
import http from 'node:http';

import { createPool } from '@paygate/db';

import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { AmqpProbe } from './infra/amqp-probe';
import { createLogger } from './infra/logger';
import { createMetrics } from './infra/metrics';
import { createRedis, redisSettled } from './infra/redis';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const pool = createPool({
    connectionString: config.database.url,
    applicationName: 'paygate-api',
    poolSizeMax: config.database.poolSizeMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectionTimeoutMs: config.database.connectionTimeoutMs,
    idleTimeoutMs: 30_000,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  const redis = createRedis({ url: config.redis.url, commandTimeoutMs: config.redis.commandTimeoutMs });
  redis.on('error', () => undefined); // Reported by /health and the rate limiter's warning; reconnects by itself.
  const amqp = new AmqpProbe(config.amqp.url);
  const metrics = createMetrics();
  const { app, services } = createApp({ config, logger, metrics, pool, redis, amqp, clock: () => new Date() });

  // Limits are enforced from the first request: wait (boundedly) until Redis is connected or known down.
  await redisSettled(redis, Math.max(config.redis.commandTimeoutMs * 4, 1_000));

  const server = http.createServer(app);
  server.requestTimeout = config.http.requestTimeoutMs;
  server.headersTimeout = Math.min(config.http.requestTimeoutMs, 10_000);
  server.keepAliveTimeout = 5_000;
  server.listen(config.http.port, config.http.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.http.port;
    logger.info({ port }, `paygate api listening on http://${config.http.host}:${port}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing the ones in flight');
    const force = setTimeout(() => {
      logger.warn('grace period over; closing remaining connections');
      server.closeAllConnections();
    }, config.http.shutdownGraceMs);
    force.unref();
    // Event streams never finish by themselves: end them now so that they do not hold the shutdown.
    const streamsClosed = services.events.close();
    server.close(() => {
      void (async () => {
        await Promise.allSettled([streamsClosed, pool.end(), redis.quit(), amqp.close()]);
        logger.info('stopped');
        process.exit(0);
      })();
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`paygate api: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
});
