import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Schemas for the kinds of variable every app reads. Values arrive as strings; each helper coerces and
 * bounds them, so a value in the wrong unit (seconds read as milliseconds) fails at start-up, not at 3 a.m.
 */

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** NODE_ENV: a typo such as `prod` must stop the app, never fall back to development's defaults. */
export const nodeEnv = z.enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(', ')}` }).default('development');

export const logLevel = z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info');

export function int(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

export function decimal(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

export const bool = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' })
  .transform((value) => value === 'true' || value === '1');

/** A comma-separated list; blanks around items and empty items are dropped. */
export const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** A comma-separated list of whole numbers within bounds, e.g. a retry schedule in seconds. */
export function intList(min: number, max: number) {
  const item = z
    .string()
    .regex(/^\d+$/, { error: 'must be whole numbers separated by commas' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );
  return list.pipe(z.array(item).min(1, { error: 'must list at least one number' }));
}

/** A comma-separated list of CIDR ranges (an address alone is its own /32 or /128); empty is none. */
export const cidrList = list.refine((items) => items.every(isCidr), {
  error: 'must be CIDR ranges separated by commas, e.g. 127.0.0.0/8,::1/128',
});

function isCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export function url(protocols: readonly string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a ${protocols.map((protocol) => `${protocol}//`).join(' or ')} URL` },
  );
}

export const DATABASE_URL = url(['postgres:', 'postgresql:']);
export const AMQP_URL = url(['amqp:', 'amqps:']);
export const REDIS_URL = url(['redis:', 'rediss:']);
export const HTTP_URL = url(['http:', 'https:']);

/** The local services every app defaults to (DESIGN.md), so nothing needs setting on a developer machine. */
export const LOCAL_DEFAULTS = {
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/paygate',
  bankDatabaseUrl: 'postgresql://postgres@127.0.0.1:5432/paygate_bank',
  amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: 'redis://127.0.0.1:6379',
  apiUrl: 'http://127.0.0.1:8000',
  bankUrl: 'http://127.0.0.1:8001',
} as const;
