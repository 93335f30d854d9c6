import type { Redis } from 'ioredis';

import type { Pool } from '@paygate/db';

import type { AmqpProbe } from '../infra/amqp-probe';
import { withTimeout } from '../infra/amqp-probe';
import type { Metrics } from '../infra/metrics';

export type Dependency = 'postgres' | 'redis' | 'rabbitmq';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<Dependency, 'up' | 'down'>;
  down: Dependency[];
}

/** Checks the three dependencies at once, each with a timeout, and names the ones that are down. */
export async function checkHealth(
  deps: { pool: Pool; redis: Redis; amqp: AmqpProbe; metrics: Metrics },
  timeoutMs: number,
): Promise<HealthReport> {
  const probes: Record<Dependency, () => Promise<unknown>> = {
    postgres: () => withTimeout(deps.pool.query('SELECT 1'), timeoutMs, 'postgres check timed out'),
    redis: () => withTimeout(redisPing(deps.redis, timeoutMs), timeoutMs, 'redis check timed out'),
    rabbitmq: () => deps.amqp.check(timeoutMs),
  };
  const names = Object.keys(probes) as Dependency[];
  const results = await Promise.allSettled(names.map((name) => probes[name]()));
  const checks = {} as Record<Dependency, 'up' | 'down'>;
  names.forEach((name, index) => {
    const up = results[index]?.status === 'fulfilled';
    checks[name] = up ? 'up' : 'down';
    deps.metrics.dependencyUp.set({ dependency: name }, up ? 1 : 0);
  });
  const down = names.filter((name) => checks[name] === 'down');
  return { status: down.length === 0 ? 'ok' : 'unavailable', checks, down };
}

/** The client does not queue commands while (re)connecting, so wait (boundedly) for it to be ready. */
async function redisPing(redis: Redis, timeoutMs: number): Promise<unknown> {
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
