import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';

import type { LogLevel } from './variables';

/**
 * The one way every app sets up its logs and its metrics registry. Each app keeps the same two files,
 * `src/infra/logger.ts` and `src/infra/metrics.ts`, built on these.
 */

export type Logger = pino.Logger;

/**
 * Keys, secrets, passwords, credentials in headers and connection URLs: never in a log line. Callers do
 * not pass them to a log call in the first place (see redactUrl); this is the second line of defence.
 */
const REDACTED_PATHS = [
  'api_key',
  '*.api_key',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'url',
  '*.url',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
];

/** JSON lines on stdout (or `destination`, for tests), with the service's name and ISO times. */
export function createLogger(options: {
  service: string;
  level: LogLevel;
  destination?: { write(line: string): void };
}): Logger {
  const loggerOptions: pino.LoggerOptions = {
    name: options.service,
    level: options.level,
    base: { service: `paygate-${options.service}` },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(loggerOptions, options.destination) : pino(loggerOptions);
}

/** A URL fit for a log line: the password is replaced, the rest is kept so operators see where we connect. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '[unparseable url]';
  }
}

/**
 * A registry of the app's own (not the global one, so several apps can run in one test process), with
 * Node's process metrics under the app's prefix.
 */
export function createMetricsRegistry(prefix: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  return registry;
}
