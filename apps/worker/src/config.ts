import { z } from 'zod';

import { backoffCeilingsMs } from '@paygate/domain';

/**
 * The only file that reads process.env. Every variable is parsed once, at start-up, and a bad value (or a
 * bad relation between two values) stops the process with a message naming the variable. Units are in the
 * names. Limits that are not worth a variable are stated here too, so every bound the worker obeys is in
 * one place.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const HOUR_MS = 3_600_000;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a ${protocols.join(' or ')}// URL`,
  );

const ENV = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgresql://postgres@127.0.0.1:5432/paygate'),
  DATABASE_POOL_SIZE_MAX: int(2, 200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000).default(10_000),
  DATABASE_CONNECTION_TIMEOUT_MS: int(100, 60_000).default(5_000),
  AMQP_URL: url(['amqp:', 'amqps:']).default('amqp://guest:guest@127.0.0.1:5672'),
  // Names become exchange and queue names: keep them to characters RabbitMQ and operators read easily.
  AMQP_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .default('paygate'),
  AMQP_QUEUE_EXPIRES_MS: int(1_000, 30 * 24 * HOUR_MS).optional(),
  AMQP_RECONNECT_BASE_MS: int(10, 60_000).default(200),
  AMQP_RECONNECT_CAP_MS: int(10, 600_000).default(10_000),
  AMQP_HEARTBEAT_S: int(0, 600).default(15),
  BANK_URL: url(['http:', 'https:']).default('http://127.0.0.1:8001'),
  BANK_TIMEOUT_MS: int(50, 120_000).default(5_000),
  API_URL: url(['http:', 'https:']).default('http://127.0.0.1:8000'),
  WEBHOOK_CALLBACK_URL: url(['http:', 'https:']).optional(),
  WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  WORKER_METRICS_PORT: int(0, 65_535).default(9101),
  METRICS_REFRESH_INTERVAL_MS: int(100, 600_000).default(5_000),
  WORKER_PREFETCH: int(1, 1_000).default(16),
  RETRY_COUNT_MAX: int(0, 50).default(5),
  RETRY_BASE_MS: int(1, HOUR_MS).default(1_000),
  RETRY_CAP_MS: int(1, 24 * HOUR_MS).default(600_000),
  BREAKER_FAILURE_THRESHOLD: int(1, 10_000).default(5),
  BREAKER_COOLDOWN_MS: int(1, HOUR_MS).default(30_000),
  OUTBOX_BATCH_SIZE: int(1, 10_000).default(100),
  OUTBOX_SWEEP_INTERVAL_MS: int(10, HOUR_MS).default(1_000),
  RECONCILE_INTERVAL_MS: int(10, 24 * HOUR_MS).default(10_000),
  RECONCILE_PROCESSING_AFTER_MS: int(1, 30 * 24 * HOUR_MS).default(60_000),
  RECONCILE_PENDING_AFTER_MS: int(1, 30 * 24 * HOUR_MS).default(60_000),
  RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS: int(1, 30 * 24 * HOUR_MS).default(900_000),
  RECONCILE_BATCH_SIZE: int(1, 10_000).default(100),
  RECONCILE_CONCURRENCY: int(1, 100).default(8),
  RETENTION_INTERVAL_MS: int(10, 7 * 24 * HOUR_MS).default(HOUR_MS),
  IDEMPOTENCY_TTL_HOURS: int(1, 24 * 365).default(24),
  OUTBOX_RETENTION_HOURS: int(1, 24 * 365 * 10).default(168),
  RETENTION_BATCH_SIZE: int(1, 100_000).default(1_000),
  RETENTION_BATCH_COUNT_MAX: int(1, 100_000).default(100),
  SHUTDOWN_GRACE_MS: int(0, 300_000).default(10_000),
});

type Env = z.infer<typeof ENV>;

export type WorkerConfig = ReturnType<typeof toConfig>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = ENV.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
  }
  checkRelations(parsed.data);
  return toConfig(parsed.data);
}

function toConfig(e: Env) {
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL,
      poolSizeMax: e.DATABASE_POOL_SIZE_MAX,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      connectionTimeoutMs: e.DATABASE_CONNECTION_TIMEOUT_MS,
      idleTimeoutMs: 30_000,
      /** Between attempts to re-open the outbox LISTEN connection after PostgreSQL dropped it. */
      listenReconnectBaseMs: 100,
      listenReconnectCapMs: 5_000,
    },
    amqp: {
      url: e.AMQP_URL,
      prefix: e.AMQP_PREFIX,
      queueExpiresMs: e.AMQP_QUEUE_EXPIRES_MS,
      prefetch: e.WORKER_PREFETCH,
      reconnectBaseMs: e.AMQP_RECONNECT_BASE_MS,
      reconnectCapMs: e.AMQP_RECONNECT_CAP_MS,
      heartbeatS: e.AMQP_HEARTBEAT_S,
      /** A TCP connect that takes longer than this is a failed attempt (then retried with backoff). */
      connectTimeoutMs: 10_000,
    },
    bank: {
      url: e.BANK_URL.replace(/\/+$/, ''),
      timeoutMs: e.BANK_TIMEOUT_MS,
      callbackUrl: e.WEBHOOK_CALLBACK_URL ?? `${e.API_URL.replace(/\/+$/, '')}/webhooks/bank-callback`,
      /** Longest bank answer we read; a real order is a few hundred bytes. */
      responseBytesMax: 64 * 1024,
    },
    metrics: {
      host: e.WORKER_METRICS_HOST,
      port: e.WORKER_METRICS_PORT,
      refreshIntervalMs: e.METRICS_REFRESH_INTERVAL_MS,
    },
    retry: { countMax: e.RETRY_COUNT_MAX, baseMs: e.RETRY_BASE_MS, capMs: e.RETRY_CAP_MS },
    breaker: { failureCountThreshold: e.BREAKER_FAILURE_THRESHOLD, cooldownMs: e.BREAKER_COOLDOWN_MS },
    outbox: {
      batchSize: e.OUTBOX_BATCH_SIZE,
      sweepIntervalMs: e.OUTBOX_SWEEP_INTERVAL_MS,
      /** Batches one drain publishes before it yields (a long backlog then continues in a fresh drain). */
      batchCountMaxPerDrain: 100,
      /** Drains in flight at once: one may wait for confirms while the next publishes (see outbox-relay.ts). */
      drainCountMax: 2,
    },
    reconcile: {
      intervalMs: e.RECONCILE_INTERVAL_MS,
      processingAfterMs: e.RECONCILE_PROCESSING_AFTER_MS,
      pendingAfterMs: e.RECONCILE_PENDING_AFTER_MS,
      unknownOrderFailAfterMs: e.RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS,
      batchSize: e.RECONCILE_BATCH_SIZE,
      concurrency: e.RECONCILE_CONCURRENCY,
    },
    retention: {
      intervalMs: e.RETENTION_INTERVAL_MS,
      idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
      outboxRetentionHours: e.OUTBOX_RETENTION_HOURS,
      batchSize: e.RETENTION_BATCH_SIZE,
      batchCountMax: e.RETENTION_BATCH_COUNT_MAX,
    },
    shutdown: { graceMs: e.SHUTDOWN_GRACE_MS },
  };
}

/**
 * How long one message can keep retrying in the worst case: every delay at its ceiling (or the breaker's
 * cool-down, if longer) plus every bank call running into its timeout.
 */
export function retryWindowMs(
  e: Pick<Env, 'RETRY_COUNT_MAX' | 'RETRY_BASE_MS' | 'RETRY_CAP_MS' | 'BREAKER_COOLDOWN_MS' | 'BANK_TIMEOUT_MS'>,
): number {
  const delaysMs = backoffCeilingsMs(e.RETRY_COUNT_MAX, e.RETRY_BASE_MS, e.RETRY_CAP_MS).map((ceilingMs) =>
    Math.max(ceilingMs, e.BREAKER_COOLDOWN_MS),
  );
  return delaysMs.reduce((sum, delayMs) => sum + delayMs, 0) + (e.RETRY_COUNT_MAX + 1) * e.BANK_TIMEOUT_MS;
}

function checkRelations(e: Env): void {
  if (e.RETRY_BASE_MS > e.RETRY_CAP_MS)
    throw new ConfigError('RETRY_BASE_MS', `must not exceed RETRY_CAP_MS (${e.RETRY_BASE_MS} > ${e.RETRY_CAP_MS})`);
  if (e.AMQP_RECONNECT_BASE_MS > e.AMQP_RECONNECT_CAP_MS)
    throw new ConfigError('AMQP_RECONNECT_BASE_MS', 'must not exceed AMQP_RECONNECT_CAP_MS');
  // An open breaker delays the retry by at least its remaining cool-down, and the longest delay queue is
  // the cap: a cool-down beyond it could not be waited out.
  if (e.BREAKER_COOLDOWN_MS > e.RETRY_CAP_MS) {
    throw new ConfigError(
      'BREAKER_COOLDOWN_MS',
      `must not exceed RETRY_CAP_MS (${e.BREAKER_COOLDOWN_MS} > ${e.RETRY_CAP_MS})`,
    );
  }
  // A bank call still in flight must never look stuck to the reconciler.
  if (e.BANK_TIMEOUT_MS >= e.RECONCILE_PROCESSING_AFTER_MS) {
    throw new ConfigError(
      'BANK_TIMEOUT_MS',
      `must be below RECONCILE_PROCESSING_AFTER_MS (${e.BANK_TIMEOUT_MS} >= ${e.RECONCILE_PROCESSING_AFTER_MS})`,
    );
  }
  // Failing an order the bank never heard of is safe only once no retry of ours can still submit it.
  const windowMs = retryWindowMs(e);
  if (e.RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS <= windowMs) {
    throw new ConfigError(
      'RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS',
      `must exceed the longest retry window (${windowMs} ms from RETRY_*, BREAKER_COOLDOWN_MS and BANK_TIMEOUT_MS)`,
    );
  }
  if (e.RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS < e.RECONCILE_PROCESSING_AFTER_MS) {
    throw new ConfigError('RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS', 'must not be below RECONCILE_PROCESSING_AFTER_MS');
  }
  // A graceful stop waits for in-flight handlers; each may spend one bank timeout.
  if (e.SHUTDOWN_GRACE_MS > 0 && e.SHUTDOWN_GRACE_MS < e.BANK_TIMEOUT_MS) {
    throw new ConfigError(
      'SHUTDOWN_GRACE_MS',
      `must be 0 or at least BANK_TIMEOUT_MS (${e.BANK_TIMEOUT_MS}) so an in-flight bank call can finish`,
    );
  }
}

/** An empty variable (FOO=) means "use the default", as in docker-compose files and .env templates. */
function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
