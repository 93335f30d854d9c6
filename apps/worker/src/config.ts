import { z } from 'zod';

import type { ConfigProblem } from '@paygate/config';
import {
  cidrList,
  DEV_BANK_API_KEY,
  DEV_WEBHOOK_ENDPOINT_SECRET_KEY,
  int,
  intList,
  loadEnv,
  SHARED_ENV,
  SHARED_ENV_DESCRIPTIONS,
} from '@paygate/config';

export { ConfigError } from '@paygate/config';

/**
 * The only file that reads process.env. Every variable is parsed once, at start-up, and every bad value
 * (or bad relation between two values) is reported at once, naming the variable. Units are in the names.
 * Limits that are not worth a variable are stated here too, so every bound the worker obeys is in one place.
 */

const HOUR_MS = 3_600_000;
const WEBHOOK_RETRY_SCHEDULE_S_DEFAULT = [5, 300, 1800, 7200, 18000, 36000, 50400];

const { shape: shared } = SHARED_ENV;

/** The worker's variables, each described: `pnpm env:example` prints .env.example from this schema. */
export const WORKER_ENV = z.object({
  NODE_ENV: shared.NODE_ENV,
  LOG_LEVEL: shared.LOG_LEVEL,
  DATABASE_URL: shared.DATABASE_URL,
  DATABASE_POOL_SIZE_MAX: int(2, 200).default(10).describe(SHARED_ENV_DESCRIPTIONS.DATABASE_POOL_SIZE_MAX),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000)
    .default(10_000)
    .describe(SHARED_ENV_DESCRIPTIONS.DATABASE_STATEMENT_TIMEOUT_MS),
  DATABASE_CONNECTION_TIMEOUT_MS: shared.DATABASE_CONNECTION_TIMEOUT_MS,
  AMQP_URL: shared.AMQP_URL,
  // Names become exchange and queue names: keep them to characters RabbitMQ and operators read easily.
  AMQP_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .default('paygate')
    .describe(
      'Prefix of every exchange and queue (1-64 letters, digits, _ or -), so environments can share one broker.',
    ),
  AMQP_QUEUE_EXPIRES_MS: int(1_000, 30 * 24 * HOUR_MS)
    .optional()
    .describe('Queues delete themselves after this long unused; empty = never (test runs set it).'),
  AMQP_RECONNECT_BASE_MS: int(10, 60_000)
    .default(200)
    .describe('First wait before reconnecting to RabbitMQ; it doubles up to AMQP_RECONNECT_CAP_MS.'),
  AMQP_RECONNECT_CAP_MS: int(10, 600_000)
    .default(10_000)
    .describe('Longest wait between reconnection attempts to RabbitMQ.'),
  AMQP_HEARTBEAT_S: int(0, 600)
    .default(15)
    .describe(
      'AMQP heartbeat asked for when AMQP_URL names none: a dead broker is noticed within about two; 0 turns ' +
        'heartbeats off.',
    ),
  BANK_URL: shared.BANK_URL,
  // The gateway's merchant credential at the bank, sent as Authorization: Bearer.
  BANK_API_KEY: z.string().max(1_024).default(DEV_BANK_API_KEY).describe(SHARED_ENV_DESCRIPTIONS.BANK_API_KEY),
  BANK_TIMEOUT_MS: int(50, 120_000).default(5_000).describe(SHARED_ENV_DESCRIPTIONS.BANK_TIMEOUT_MS),
  WORKER_METRICS_HOST: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .describe("Address of the worker's /metrics and /health server."),
  WORKER_METRICS_PORT: int(0, 65_535)
    .default(9101)
    .describe("Port of the worker's /metrics and /health server; 0 picks a free one."),
  METRICS_REFRESH_INTERVAL_MS: int(100, 600_000)
    .default(5_000)
    .describe('How often the gauges read from the database and the broker (outbox lag, DLQ size) are refreshed.'),
  WORKER_HEARTBEAT_INTERVAL_MS: int(100, 60_000)
    .default(5_000)
    .describe(
      'How often each worker writes its heartbeat (in flight, breaker state, queue depths) for the operator ' +
        'console; the console shows a worker silent for 30 s as dead.',
    ),
  LEDGER_CHECK_INTERVAL_MS: int(1_000, 24 * HOUR_MS)
    .default(300_000)
    .describe(
      'How often the worker runs the ledger check (sums, balances against postings, holds against open ' +
        'withdrawals), stores it for the console and sets paygate_worker_ledger_violations.',
    ),
  WORKER_PREFETCH: int(1, 1_000).default(16).describe('Unacknowledged messages one worker holds at once.'),
  // Transient bank failures are retried until this long after the first attempt, not a fixed count: an
  // outage shorter than the horizon ends in success.
  RETRY_HORIZON_MS: int(1_000, 7 * 24 * HOUR_MS)
    .default(30 * 60_000)
    .describe(
      'Transient bank failures (network errors, timeouts, 408, 429, 5xx, and 401/403 so that a wrong ' +
        'BANK_API_KEY can be fixed) are retried until this long after the first submission, so an outage ' +
        'shorter than this ends in success.',
    ),
  RETRY_BASE_MS: int(1, HOUR_MS)
    .default(1_000)
    .describe(
      'First delay between bank retries; it grows exponentially, with full jitter, up to RETRY_CAP_MS. Must ' +
        'not exceed RETRY_CAP_MS.',
    ),
  RETRY_CAP_MS: int(1, 24 * HOUR_MS)
    .default(600_000)
    .describe('Longest delay between bank retries. Must not exceed RETRY_HORIZON_MS.'),
  BREAKER_FAILURE_THRESHOLD: int(1, 10_000)
    .default(5)
    .describe('Consecutive bank failures that open the circuit breaker.'),
  BREAKER_COOLDOWN_MS: int(1, HOUR_MS)
    .default(30_000)
    .describe(
      'How long the breaker stays open before one probe; messages that meet it open wait for the probe ' +
        '(that is not an attempt). Must not exceed RETRY_CAP_MS.',
    ),
  OUTBOX_BATCH_SIZE: int(1, 10_000).default(100).describe('Outbox rows the relay publishes per batch.'),
  OUTBOX_SWEEP_INTERVAL_MS: int(10, HOUR_MS)
    .default(1_000)
    .describe('How often the relay publishes whatever outbox rows no wake-up (LISTEN/NOTIFY) announced.'),
  RECONCILE_INTERVAL_MS: int(10, 24 * HOUR_MS)
    .default(10_000)
    .describe('How often the reconciler looks for transactions stuck in processing or pending.'),
  RECONCILE_PROCESSING_AFTER_MS: int(1, 30 * 24 * HOUR_MS)
    .default(60_000)
    .describe('A transaction processing for longer than this is looked up at the bank and settled from its order.'),
  RECONCILE_PENDING_AFTER_MS: int(1, 30 * 24 * HOUR_MS)
    .default(60_000)
    .describe('A transaction pending for longer than this although its message was published is enqueued again.'),
  // Past the retry horizon (30 min) with a margin: failing an order the bank never heard of is safe only
  // once no retry of ours can still place it.
  RECONCILE_UNKNOWN_ORDER_FAIL_AFTER_MS: int(1, 30 * 24 * HOUR_MS)
    .default(45 * 60_000)
    .describe(
      'A transaction whose order the bank does not know is failed this long after its first submission. Must ' +
        'exceed RETRY_HORIZON_MS + BANK_TIMEOUT_MS, so no retry of ours can still place the order.',
    ),
  RECONCILE_BATCH_SIZE: int(1, 10_000).default(100).describe('Stuck transactions the reconciler takes per pass.'),
  RECONCILE_CONCURRENCY: int(1, 100).default(8).describe('Questions to the bank the reconciler has in flight at once.'),
  RETENTION_INTERVAL_MS: int(10, 7 * 24 * HOUR_MS)
    .default(HOUR_MS)
    .describe(
      'How often expired idempotency keys (IDEMPOTENCY_TTL_HOURS), old published outbox rows and the ' +
        "console's old records (*_RETENTION_DAYS) are deleted.",
    ),
  IDEMPOTENCY_TTL_HOURS: int(1, 24 * 365)
    .default(24)
    .describe(SHARED_ENV_DESCRIPTIONS.IDEMPOTENCY_TTL_HOURS),
  OUTBOX_RETENTION_HOURS: int(1, 24 * 365 * 10)
    .default(168)
    .describe('Published outbox rows older than this are deleted.'),
  BANK_ATTEMPT_RETENTION_DAYS: int(1, 365 * 10)
    .default(90)
    .describe("Bank attempts (a payment's story in the console) older than this are deleted."),
  DEAD_LETTER_RETENTION_DAYS: int(1, 365 * 10)
    .default(30)
    .describe('Dead letters replayed longer ago than this are deleted; ones never replayed are kept.'),
  LEDGER_CHECK_RETENTION_DAYS: int(1, 365 * 10)
    .default(30)
    .describe('Ledger check results older than this are deleted.'),
  OPERATOR_SESSION_RETENTION_DAYS: int(1, 365)
    .default(7)
    .describe('Operator sessions that expired or were revoked longer ago than this are deleted.'),
  USER_SESSION_RETENTION_DAYS: int(1, 365)
    .default(7)
    .describe('Web app sessions that expired or were ended longer ago than this are deleted.'),
  RETENTION_BATCH_SIZE: int(1, 100_000).default(1_000).describe('Rows one retention statement deletes at most.'),
  RETENTION_BATCH_COUNT_MAX: int(1, 100_000)
    .default(100)
    .describe('Retention statements per kind and run at most, so one run never hogs the database.'),
  SHUTDOWN_GRACE_MS: int(0, 300_000).default(10_000).describe(SHARED_ENV_DESCRIPTIONS.SHUTDOWN_GRACE_MS),
  WEBHOOK_ENDPOINT_SECRET_KEY: z
    .string()
    .max(1_024)
    .default(DEV_WEBHOOK_ENDPOINT_SECRET_KEY)
    .describe(SHARED_ENV_DESCRIPTIONS.WEBHOOK_ENDPOINT_SECRET_KEY),
  WEBHOOK_ALLOW_PRIVATE_URLS: cidrList.default([]).describe(SHARED_ENV_DESCRIPTIONS.WEBHOOK_ALLOW_PRIVATE_URLS),
  // Standard Webhooks' schedule (Svix's): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h; about a day and a quarter.
  WEBHOOK_RETRY_SCHEDULE_S: intList(0, 7 * 24 * 3_600)
    .default(WEBHOOK_RETRY_SCHEDULE_S_DEFAULT)
    .describe(
      'Seconds to wait before each retry of an outgoing webhook delivery (comma-separated); a delivery gets ' +
        '1 + this many attempts, and an endpoint that has failed for the whole schedule is disabled.',
    ),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000)
    .default(10_000)
    .describe('How long one outgoing webhook attempt may take, from connect to the status line; longer fails it.'),
  WEBHOOK_LEASE_MARGIN_MS: int(100, 600_000)
    .default(30_000)
    .describe(
      'How long past WEBHOOK_TIMEOUT_MS a claimed webhook delivery stays leased to its worker; a worker killed ' +
        'mid-attempt leaves it due again only after the timeout plus this margin (tests shorten it).',
    ),
  WEBHOOK_CONCURRENCY: int(1, 1_000)
    .default(16)
    .describe('Outgoing webhook attempts one worker has in flight at once.'),
  WEBHOOK_POLL_INTERVAL_MS: int(10, 60_000)
    .default(500)
    .describe(
      'How often the worker looks for due webhook deliveries when nothing woke it (it is woken after the ' +
        "outbox's commits and its own, and right away while a claim comes back full).",
    ),
});

type Env = z.infer<typeof WORKER_ENV>;

export type WorkerConfig = ReturnType<typeof toConfig>;

export function loadConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return toConfig(
    loadEnv(WORKER_ENV, env, {
      secrets: { BANK_API_KEY: DEV_BANK_API_KEY, WEBHOOK_ENDPOINT_SECRET_KEY: DEV_WEBHOOK_ENDPOINT_SECRET_KEY },
      check: relationProblems,
    }),
  );
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
      /**
       * Kept-alive connections to the bank at most: a call per message in hand (WORKER_PREFETCH) plus the
       * reconciler's status checks; more calls wait for a free connection.
       */
      socketsMax: e.WORKER_PREFETCH + 16,
    },
    metrics: {
      host: e.WORKER_METRICS_HOST,
      port: e.WORKER_METRICS_PORT,
      refreshIntervalMs: e.METRICS_REFRESH_INTERVAL_MS,
    },
    heartbeat: {
      intervalMs: e.WORKER_HEARTBEAT_INTERVAL_MS,
      /** Heartbeats of workers that died without saying so are deleted once this old. */
      forgetAfterMs: 24 * HOUR_MS,
    },
    ledgerCheck: { intervalMs: e.LEDGER_CHECK_INTERVAL_MS },
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
      bankAttemptRetentionDays: e.BANK_ATTEMPT_RETENTION_DAYS,
      deadLetterRetentionDays: e.DEAD_LETTER_RETENTION_DAYS,
      ledgerCheckRetentionDays: e.LEDGER_CHECK_RETENTION_DAYS,
      operatorSessionRetentionDays: e.OPERATOR_SESSION_RETENTION_DAYS,
      userSessionRetentionDays: e.USER_SESSION_RETENTION_DAYS,
      batchSize: e.RETENTION_BATCH_SIZE,
      batchCountMax: e.RETENTION_BATCH_COUNT_MAX,
    },
    shutdown: { graceMs: e.SHUTDOWN_GRACE_MS },
    webhooks: {
      secretKey: e.WEBHOOK_ENDPOINT_SECRET_KEY,
      allowPrivateCidrs: e.WEBHOOK_ALLOW_PRIVATE_URLS,
      retryScheduleS: e.WEBHOOK_RETRY_SCHEDULE_S,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
      /** Deliveries one claim leases at most; a full claim is followed by another right away. */
      claimBatchSize: Math.max(e.WEBHOOK_CONCURRENCY * 2, 16),
      // Past the timeout with a margin, so an attempt still in flight is never claimed again by another worker.
      leaseMs: e.WEBHOOK_TIMEOUT_MS + e.WEBHOOK_LEASE_MARGIN_MS,
      /** Longest receiver answer read (and then dropped): we only need the status. */
      responseBytesMax: 64 * 1024,
      /** Idle keep-alive sockets kept per receiver host. */
      socketsFreeMax: 4,
    },
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
  // The private ranges are for a developer's own receiver; a production gateway must never reach them.
  if (e.NODE_ENV === 'production' && e.WEBHOOK_ALLOW_PRIVATE_URLS.length > 0) {
    problem('WEBHOOK_ALLOW_PRIVATE_URLS', 'must be empty when NODE_ENV=production');
  }
  return problems;
}
