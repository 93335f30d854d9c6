import type { Redis } from 'ioredis';

import type { Dependency, HealthStatus } from '@paygate/contracts';
import type { Pool } from '@paygate/db';
import { withTimeout } from '@paygate/domain';

import type { AmqpProbe } from '../infra/amqp-probe';
import type { Metrics } from '../infra/metrics';

export interface DependencyCheck {
  status: 'up' | 'down';
  latencyMs: number;
  /** Why it is down; for the log only, never for the response. */
  error?: unknown;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<Dependency, DependencyCheck>;
}

/**
 * Readiness, honestly: checks the three dependencies at once, each with a timeout, and says whether the API
 * can serve. PostgreSQL down: unhealthy (nothing works without it). Redis down: degraded while rate limits
 * fail open (requests are served, login with in-process limits), unhealthy when they fail closed (every
 * limited request would be a 503). RabbitMQ down: degraded (the API only writes the outbox; the worker's
 * relay publishes when the broker is back).
 */
export async function checkHealth(
  deps: { pool: Pool; redis: Redis; amqp: AmqpProbe; metrics: Metrics },
  options: { timeoutMs: number; rateLimitFailOpen: boolean },
): Promise<HealthReport> {
  const [postgres, redis, rabbitmq] = await Promise.all([
    timed(() => withTimeout(deps.pool.query('SELECT 1'), options.timeoutMs, 'postgres check timed out')),
    timed(() => withTimeout(redisPing(deps.redis, options.timeoutMs), options.timeoutMs, 'redis check timed out')),
    timed(() => deps.amqp.check(options.timeoutMs)),
  ]);
  const checks = { postgres, redis, rabbitmq };
  for (const [name, check] of Object.entries(checks)) {
    deps.metrics.dependencyUp.set({ dependency: name }, check.status === 'up' ? 1 : 0);
  }
  return { status: overallStatus(checks, options.rateLimitFailOpen), checks };
}

function overallStatus(checks: Record<Dependency, DependencyCheck>, rateLimitFailOpen: boolean): HealthStatus {
  if (checks.postgres.status === 'down') return 'unhealthy';
  if (checks.redis.status === 'down' && !rateLimitFailOpen) return 'unhealthy';
  if (checks.redis.status === 'down' || checks.rabbitmq.status === 'down') return 'degraded';
  return 'healthy';
}

async function timed(probe: () => Promise<unknown>): Promise<DependencyCheck> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    await probe();
    return { status: 'up', latencyMs: latency() };
  } catch (error) {
    return { status: 'down', latencyMs: latency(), error };
  }
}

/**
 * The client does not queue commands while disconnected, so wait (boundedly) for a connection in progress;
 * one that already failed and waits to retry ("reconnecting") is down now, without spending the timeout.
 */
async function redisPing(redis: Redis, timeoutMs: number): Promise<unknown> {
  if (redis.status === 'reconnecting' || redis.status === 'end' || redis.status === 'close') {
    throw new Error(`redis is ${redis.status}`);
  }
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error(`redis is ${redis.status}`));
      }, timeoutMs);
      redis.once('ready', onReady);
    });
  }
  return redis.ping();
}
