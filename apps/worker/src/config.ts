import { z } from 'zod';

import type { ConfigProblem } from '@paygate/config';
import {
  AMQP_URL,
  DATABASE_URL,
  DEV_BANK_API_KEY,
  HTTP_URL,
  int,
  loadEnv,
  LOCAL_DEFAULTS,
  logLevel,
  nodeEnv,
} from '@paygate/config';

export { ConfigError } from '@paygate/config';

/**
 * The only file that reads process.env. Every variable is parsed once, at start-up, and every bad value
 * (or bad relation between two values) is reported at once, naming the variable. Units are in the names.
 * Limits that are not worth a variable are stated here too, so every bound the worker obeys is in one place.
 */

const HOUR_MS = 3_600_000;

const ENV = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  DATABASE_URL: DATABASE_URL.default(LOCAL_DEFAULTS.databaseUrl),
  DATABASE_POOL_SIZE_MAX: int(2, 200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000).default(10_000),
  DATABASE_CONNECTION_TIMEOUT_MS: int(100, 60_000).default(5_000),
  AMQP_URL: AMQP_URL.default(LOCAL_DEFAULTS.amqpUrl),
  // Names become exchange and queue names: keep them to characters RabbitMQ and operators read easily.
  AMQP_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .default('paygate'),
  AMQP_QUEUE_EXPIRES_MS: int(1_000, 30 * 24 * HOUR_MS).optional(),
  AMQP_RECONNECT_BASE_MS: int(10, 60_000).default(200),
  AMQP_RECONNECT_CAP_MS: int(10, 600_000).default(10_000),
  AMQP_HEARTBEAT_S: int(0, 600).default(15),
  BANK_URL: HTTP_URL.default(LOCAL_DEFAULTS.bankUrl),
  // The gateway's merchant credential at the bank, sent as Authorization: Bearer.
  BANK_API_KEY: z.string().max(1_024).default(DEV_BANK_API_KEY),
  BANK_TIMEOUT_MS: int(50, 120_000).default(5_000),
  WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  WORKER_METRICS_PORT: int(0, 65_535).default(9101),
  METRICS_REFRESH_INTERVAL_MS: int(100, 600_000).default(5_000),
  WORKER_PREFETCH: int(1, 1_000).default(16),
  // Transient bank failures are retried until this long after the first attempt, not a fixed count: an
  // outage shorter than the horizon ends in success.
  RETRY_HORIZON_MS: int(1_000, 7 * 24 * HOUR_MS).default(30 * 60_000),
  RETRY_BASE_MS: int(1, HOUR_MS).default(1_000),
  RETRY_CAP_MS: int(1, 24 * HOUR_MS).default(600_000),
  BREAKER_FAILURE_THRESHOLD: int(1, 10_000).default(5),
  BREAKER_COOLDOWN_MS: int(1, HOUR_MS).default(30_000),
  OUTBOX_BATCH_SIZE: int(1, 10_000).default(100),
  OUTBOX_SWEEP_INTERVAL_MS: int(10, HOUR_MS).default(1_000),
  RECONCILE_INTERVAL_MS: int(10, 24 * HOUR_MS).default(10_000),
  RECONCILE_PROCESSING_AFTER_MS: int(1, 30 * 24 * HOUR_MS).default(60_000),
  RECONCILE_PENDING_AFTER_MS: int(1, 30 * 24 * HOUR_MS).default(60_000),
  // Past the retry horizon (30 min) with a margin: failing an order the bank never heard of is safe only
  // once no retry of ours can still place it.
  RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS: int(1, 30 * 24 * HOUR_MS).default(45 * 60_000),
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

export function loadConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return toConfig(loadEnv(ENV, env, { secrets: { BANK_API_KEY: DEV_BANK_API_KEY }, check: relationProblems }));
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
      apiKey: e.BANK_API_KEY,
      timeoutMs: e.BANK_TIMEOUT_MS,
      /** Longest bank answer we read; a real order is a few hundred bytes. */
      responseBytesMax: 64 * 1024,
    },
    metrics: {
      host: e.WORKER_METRICS_HOST,
      port: e.WORKER_METRICS_PORT,
      refreshIntervalMs: e.METRICS_REFRESH_INTERVAL_MS,
    },
    retry: { horizonMs: e.RETRY_HORIZON_MS, baseMs: e.RETRY_BASE_MS, capMs: e.RETRY_CAP_MS },
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
 * Problems between variables, all of them. Each rule keeps a promise another part of the worker relies on.
 */
function relationProblems(e: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const problem = (variable: string, message: string) => problems.push({ variable, message });
  if (e.RETRY_BASE_MS > e.RETRY_CAP_MS) {
    problem('RETRY_BASE_MS', `must not exceed RETRY_CAP_MS (${e.RETRY_BASE_MS} > ${e.RETRY_CAP_MS})`);
  }
  if (e.RETRY_CAP_MS > e.RETRY_HORIZON_MS) {
    problem('RETRY_CAP_MS', `must not exceed RETRY_HORIZON_MS (${e.RETRY_CAP_MS} > ${e.RETRY_HORIZON_MS})`);
  }
  if (e.AMQP_RECONNECT_BASE_MS > e.AMQP_RECONNECT_CAP_MS) {
    problem('AMQP_RECONNECT_BASE_MS', 'must not exceed AMQP_RECONNECT_CAP_MS');
  }
  // A message that meets an open breaker waits for its half-open probe in a delay queue, and the longest
  // delay queue is the cap: a cool-down beyond it could not be waited out in one hop.
  if (e.BREAKER_COOLDOWN_MS > e.RETRY_CAP_MS) {
    problem('BREAKER_COOLDOWN_MS', `must not exceed RETRY_CAP_MS (${e.BREAKER_COOLDOWN_MS} > ${e.RETRY_CAP_MS})`);
  }
  // A bank call still in flight must never look stuck to the reconciler.
  if (e.BANK_TIMEOUT_MS >= e.RECONCILE_PROCESSING_AFTER_MS) {
    problem(
      'BANK_TIMEOUT_MS',
      `must be below RECONCILE_PROCESSING_AFTER_MS (${e.BANK_TIMEOUT_MS} >= ${e.RECONCILE_PROCESSING_AFTER_MS})`,
    );
  }
  // Failing an order the bank never heard of is safe only once no retry of ours can still place it: the
  // last submission starts before the horizon and lasts at most one bank timeout.
  const lastSubmissionEndMs = e.RETRY_HORIZON_MS + e.BANK_TIMEOUT_MS;
  if (e.RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS <= lastSubmissionEndMs) {
    problem(
      'RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS',
      `must exceed RETRY_HORIZON_MS + BANK_TIMEOUT_MS (${lastSubmissionEndMs} ms): a retry could still place the order`,
    );
  }
  // A graceful stop waits for in-flight handlers; each may spend one bank timeout.
  if (e.SHUTDOWN_GRACE_MS > 0 && e.SHUTDOWN_GRACE_MS < e.BANK_TIMEOUT_MS) {
    problem(
      'SHUTDOWN_GRACE_MS',
      `must be 0 or at least BANK_TIMEOUT_MS (${e.BANK_TIMEOUT_MS}) so an in-flight bank call can finish`,
    );
  }
  return problems;
}
