import { z } from 'zod';

export const DEPENDENCIES = ['postgres', 'redis', 'rabbitmq'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

/**
 * healthy: every dependency answers. degraded (still 200): one the API can serve without is down
 * (RabbitMQ, since the API only writes the outbox; Redis when rate limits fail open). unhealthy (503):
 * the API cannot serve (PostgreSQL down, or Redis down with fail-closed rate limits).
 */
export const HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const DependencyCheckWire = z
  .object({
    status: z.enum(['up', 'down']),
    latency_ms: z
      .number()
      .nonnegative()
      .meta({ description: 'How long the check took (up to the check timeout when down).' }),
  })
  .meta({ id: 'DependencyCheck', example: { status: 'up', latency_ms: 1.2 } });

export const HealthWire = z
  .object({
    status: z.enum(HEALTH_STATUSES),
    service: z.literal('paygate-api'),
    version: z.string(),
    checks: z.object({ postgres: DependencyCheckWire, redis: DependencyCheckWire, rabbitmq: DependencyCheckWire }),
  })
  .meta({
    id: 'Health',
    description:
      'Readiness: healthy (200), degraded (200, serving without a dependency it can do without) or unhealthy (503).',
    example: {
      status: 'degraded',
      service: 'paygate-api',
      version: '0.1.0',
      checks: {
        postgres: { status: 'up', latency_ms: 1.4 },
        redis: { status: 'down', latency_ms: 1500 },
        rabbitmq: { status: 'up', latency_ms: 0.9 },
      },
    },
  });
export type HealthWire = z.infer<typeof HealthWire>;

export const LivenessWire = z
  .object({ status: z.literal('alive'), service: z.literal('paygate-api'), version: z.string() })
  .meta({ id: 'Liveness', example: { status: 'alive', service: 'paygate-api', version: '0.1.0' } });
export type LivenessWire = z.infer<typeof LivenessWire>;

export const INFO_MESSAGE = 'Welcome to the Paygate API. The reference is at /docs.';

/** Where a newcomer goes next from GET /. */
export const InfoLinksWire = z
  .object({
    self: z.string(),
    docs: z.string(),
    openapi: z.string(),
    health: z.string(),
    liveness: z.string(),
    metrics: z.string(),
    login: z.string(),
  })
  .meta({ id: 'InfoLinks' });

/** GET /: the seed's `message` and `version`, plus links (the top-level docs/openapi/health stay for older clients). */
export const InfoWire = z
  .object({
    message: z.string(),
    name: z.string(),
    version: z.string(),
    docs: z.string(),
    openapi: z.string(),
    health: z.string(),
    links: InfoLinksWire,
  })
  .meta({
    id: 'Info',
    example: {
      message: INFO_MESSAGE,
      name: 'Paygate API',
      version: '0.1.0',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/health',
      links: {
        self: '/',
        docs: '/docs',
        openapi: '/openapi.json',
        health: '/health',
        liveness: '/health/live',
        metrics: '/metrics',
        login: '/api/v1/auth/login',
      },
    },
  });
export type InfoWire = z.infer<typeof InfoWire>;

export function infoOf(version: string): InfoWire {
  return {
    message: INFO_MESSAGE,
    name: 'Paygate API',
    version,
    docs: '/docs',
    openapi: '/openapi.json',
    health: '/health',
    links: {
      self: '/',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/health',
      liveness: '/health/live',
      metrics: '/metrics',
      login: '/api/v1/auth/login',
    },
  };
}
