import { Redis } from 'ioredis';

/**
 * A Redis client that fails fast: commands are not queued while disconnected and each has a timeout, so
 * a Redis outage costs a request at most REDIS_COMMAND_TIMEOUT_MS before the rate limiter fails open.
 */
export function createRedis(options: { url: string; commandTimeoutMs: number }): Redis {
  return new Redis(options.url, {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(options.commandTimeoutMs * 4, 1_000),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    // Commands issued in the same tick (many concurrent rate-limit checks) go out in one write.
    enableAutoPipelining: true,
  });
}

/**
 * Resolves once the first connection attempt has settled (ready, failed, or timed out), never rejects.
 * Serving before then would let the first requests through unlimited: commands are not queued, so every
 * check fails (and fails open) until the connection is up.
 */
export function redisSettled(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    redis.once('error', done);
  });
}
