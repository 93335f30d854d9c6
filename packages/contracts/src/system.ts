import { z } from 'zod';

export const DEPENDENCIES = ['postgres', 'redis', 'rabbitmq'] as const;

export const HealthWire = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.object({
      postgres: z.enum(['up', 'down']),
      redis: z.enum(['up', 'down']),
      rabbitmq: z.enum(['up', 'down']),
    }),
    down: z.array(z.enum(DEPENDENCIES)),
  })
  .meta({ id: 'Health', example: { status: 'ok', checks: { postgres: 'up', redis: 'up', rabbitmq: 'up' }, down: [] } });

export const InfoWire = z
  .object({ name: z.string(), version: z.string(), docs: z.string(), openapi: z.string(), health: z.string() })
  .meta({
    id: 'Info',
    example: { name: 'Paygate API', version: '0.1.0', docs: '/docs', openapi: '/openapi.json', health: '/health' },
  });
