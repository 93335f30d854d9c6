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
