import { z } from 'zod';

import {
  DATABASE_URL,
  decimal,
  DEV_BANK_API_KEY,
  DEV_WEBHOOK_SECRET,
  HTTP_URL,
  int,
  LOCAL_DEFAULTS,
  loadEnv,
  SHARED_ENV,
  SHARED_ENV_DESCRIPTIONS,
} from '@paygate/config';
import type { ConfigProblem, LogLevel, NodeEnv } from '@paygate/config';
import { REQUEST_BODY_BYTES_MAX } from '@paygate/domain/limits';

export { ConfigError } from '@paygate/config';

/**
 * The only file that reads process.env. Every variable is parsed once, at start-up, through
 * @paygate/config: all bad variables are reported together, an unknown NODE_ENV stops the bank, and
 * production refuses the development secrets and weak ones. Units are in the names; every value is bounded.
 */

/** The merchant's callback when nothing is set: the local API's bank webhook route. */
export const DEFAULT_BANK_CALLBACK_URL = 'http://127.0.0.1:8000/webhooks/bank-callback';
/**
 * The bank has one merchant, the gateway. Its id is fixed rather than derived from the credential, so a
 * rotated BANK_API_KEY still owns the orders placed with the old one.
 */
export const MERCHANT_ID = 'paygate';

/** A hanging request is held at most this long: Node ends idle sockets anyway past a few minutes. */
const HANG_MS_MAX = 300_000;
/** Delays above an hour would only hide a misconfiguration (a value in seconds read as milliseconds). */
const DELAY_MS_MAX = 3_600_000;
/** Long enough for any generated key or HMAC secret; a longer value is a pasted file, not a secret. */
const SECRET_LENGTH_MAX = 1024;
const URL_LENGTH_MAX = 2048;
/** CREATE DATABASE takes an identifier: keep the name to what needs no quoting tricks. */
const DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;
/** A bearer token is one header word: visible ASCII, no spaces. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

/** Fixed limits: stated here so every bound of the bank is in one file. */
const FIXED = {
  /** With out_of_order on, webhooks settled within this window are sent together, newest first. */
  outOfOrderFlushMs: 200,
  /** Orders settled by one statement; a larger backlog takes several statements in a row. */
  settleBatchSizeMax: 500,
  /** A claimed webhook is another process's again this long after its attempt's own timeout. */
  deliveryLeaseMarginMs: 5_000,
  /** In-memory timers for known due times; past this many, the sweep finds the work instead. */
  timerCountMax: 100_000,
  /** How often the order count behind BANK_ORDER_COUNT_MAX is read again from the table. */
  orderRecountIntervalMs: 60_000,
  /** Idle database connections are closed after this long. */
  databaseIdleTimeoutMs: 10_000,
  /** How long a stop waits for open requests before it closes their sockets. */
  shutdownGraceMs: 10_000,
} as const;

const secret = (fallback: string) =>
  z
    .string()
    .max(SECRET_LENGTH_MAX, { error: `must be at most ${SECRET_LENGTH_MAX} characters` })
    .regex(TOKEN_CHARACTERS, { error: 'must be visible ASCII without spaces' })
    .default(fallback);

const { shape: shared } = SHARED_ENV;

/** The bank's variables, each described: `pnpm env:example` prints .env.example from this schema. */
export const BANK_SIM_ENV = z.object({
  NODE_ENV: shared.NODE_ENV,
  LOG_LEVEL: shared.LOG_LEVEL,
  BANK_PORT: int(0, 65_535)
    .default(8001)
    .describe(
      'Port the bank listens on; 0 picks a free one. Under docker compose it is the host port bank-sim is ' +
        'published on (inside the container it is 8001). Keep BANK_URL in step with it.',
    ),
  BANK_HOST: z
    .string()
    .min(1)
    .max(255)
    .default('0.0.0.0')
    .describe('Address the bank listens on (0.0.0.0: every interface).'),
  WEBHOOK_SECRET: secret(DEV_WEBHOOK_SECRET).describe(SHARED_ENV_DESCRIPTIONS.WEBHOOK_SECRET),
  BANK_API_KEY: secret(DEV_BANK_API_KEY).describe(SHARED_ENV_DESCRIPTIONS.BANK_API_KEY),
  BANK_CALLBACK_URL: HTTP_URL.pipe(z.string().max(URL_LENGTH_MAX))
    .default(DEFAULT_BANK_CALLBACK_URL)
    .describe(
      "Where the bank posts every webhook: the merchant's configured callback (an order naming one is " +
        'refused); keep its port in step with API_PORT. At most 2048 characters.',
    ),
  BANK_DATABASE_URL: DATABASE_URL.pipe(z.string().max(URL_LENGTH_MAX))
    .default(LOCAL_DEFAULTS.bankDatabaseUrl)
    .describe(
      "The bank's own books (orders and unsent webhooks), in a database of its own that it creates and " +
        'migrates at start; its name is 1-63 letters, digits, _ or -.',
    ),
  BANK_DATABASE_POOL_SIZE_MAX: int(1, 100).default(10).describe("Connections at most in the bank's pool."),
  BANK_DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000)
    .default(5_000)
    .describe("Longest one of the bank's SQL statements may run before PostgreSQL cancels it."),
  BANK_DATABASE_CONNECTION_TIMEOUT_MS: int(100, 60_000)
    .default(5_000)
    .describe("Longest wait for a new connection to the bank's database."),
  BANK_SWEEP_INTERVAL_MS: int(10, 60_000)
    .default(1_000)
    .describe('How often the bank looks for due settlements and webhooks no timer woke it for (after a restart).'),
  BANK_MIN_DELAY_MS: int(0, DELAY_MS_MAX)
    .default(2_000)
    .describe(
      'Shortest delay between accepting an order and settling it; each delay is drawn uniformly up to ' +
        'BANK_MAX_DELAY_MS (0 and 0 with BANK_SUCCESS_RATE=1: a fast bank for benchmarks).',
    ),
  BANK_MAX_DELAY_MS: int(0, DELAY_MS_MAX)
    .default(10_000)
    .describe('Longest settlement delay; at least BANK_MIN_DELAY_MS.'),
  BANK_SUCCESS_RATE: decimal(0, 1).default(0.9).describe('Share of orders that settle successfully.'),
  BANK_SEED: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe(
      'Seed of every random draw, so a run with the same requests repeats itself; empty = random (logged at ' +
        'start-up). At most 128 characters.',
    ),
  BANK_TIMEOUT_RATE: decimal(0, 1)
    .default(0)
    .describe(
      "Share of orders placed but answered only after BANK_HANG_MS, past the caller's timeout. With " +
        'BANK_UNAVAILABLE_RATE and BANK_INVALID_RATE it sums to at most 1.',
    ),
  BANK_UNAVAILABLE_RATE: decimal(0, 1).default(0).describe('Share of orders refused with 503 (not placed).'),
  BANK_INVALID_RATE: decimal(0, 1)
    .default(0)
    .describe('Share of orders refused as an invalid request, a 4xx (not placed).'),
  BANK_HANG_MS: int(0, HANG_MS_MAX)
    .default(30_000)
    .describe('How long a timeout-scenario order holds its answer (less if the caller hangs up).'),
  BANK_WEBHOOK_TIMEOUT_MS: int(1, 120_000).default(5_000).describe('How long one webhook post may take.'),
  BANK_WEBHOOK_RETRY_BASE_MS: int(1, DELAY_MS_MAX)
    .default(500)
    .describe(
      'First delay before posting a webhook again; it grows exponentially up to BANK_WEBHOOK_RETRY_CAP_MS, ' +
        'which it must not exceed.',
    ),
  BANK_WEBHOOK_RETRY_CAP_MS: int(1, DELAY_MS_MAX).default(60_000).describe('Longest delay between webhook posts.'),
  BANK_WEBHOOK_ATTEMPT_COUNT_MAX: int(1, 1_000)
    .default(20)
    .describe('Posts of one webhook before the bank gives up on it.'),
  BANK_WEBHOOK_CONCURRENCY_MAX: int(1, 1_000).default(128).describe('Webhook posts in flight at once.'),
  BANK_ORDER_COUNT_MAX: int(1, 100_000_000)
    .default(1_000_000)
    .describe(
      'Orders the bank holds at most; past it a new order is refused (order_book_full), while a repeated ' +
        'key still gets its order.',
    ),
});
type Env = z.output<typeof BANK_SIM_ENV>;

export interface BankConfig {
  nodeEnv: NodeEnv;
  logLevel: LogLevel;
  http: { port: number; host: string; bodyBytesMax: number; shutdownGraceMs: number };
  /** The one merchant: its credential and the callback URL every webhook goes to. */
  merchant: { id: string; apiKey: string; callbackUrl: string };
  database: {
    url: string;
    poolSizeMax: number;
    statementTimeoutMs: number;
    connectionTimeoutMs: number;
    idleTimeoutMs: number;
  };
  /** Unset means "pick a random seed at start-up" (main.ts logs it, so the run can be repeated). */
  seed: string | undefined;
  settlement: { delayMsMin: number; delayMsMax: number; successRate: number };
  /** Durable timers: the in-process wake-ups are exact, the sweep catches up after a restart. */
  schedule: {
    sweepIntervalMs: number;
    settleBatchSizeMax: number;
    timerCountMax: number;
    orderRecountIntervalMs: number;
  };
  /** Probabilities per POST /v1/payments; their sum is at most 1, the rest is a normal answer. */
  scenarios: { timeoutRate: number; unavailableRate: number; invalidRate: number; hangMs: number };
  webhook: {
    secret: string;
    timeoutMs: number;
    retryBaseMs: number;
    retryCapMs: number;
    attemptCountMax: number;
    concurrencyMax: number;
    leaseMarginMs: number;
    outOfOrderFlushMs: number;
  };
  orders: { countMax: number };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): BankConfig {
  const values = loadEnv(BANK_SIM_ENV, env, {
    secrets: { WEBHOOK_SECRET: DEV_WEBHOOK_SECRET, BANK_API_KEY: DEV_BANK_API_KEY },
    check: relationProblems,
  });
  return {
    nodeEnv: values.NODE_ENV,
    logLevel: values.LOG_LEVEL,
    http: {
      port: values.BANK_PORT,
      host: values.BANK_HOST,
      bodyBytesMax: REQUEST_BODY_BYTES_MAX,
      shutdownGraceMs: FIXED.shutdownGraceMs,
    },
    merchant: { id: MERCHANT_ID, apiKey: values.BANK_API_KEY, callbackUrl: values.BANK_CALLBACK_URL },
    database: {
      url: values.BANK_DATABASE_URL,
      poolSizeMax: values.BANK_DATABASE_POOL_SIZE_MAX,
      statementTimeoutMs: values.BANK_DATABASE_STATEMENT_TIMEOUT_MS,
      connectionTimeoutMs: values.BANK_DATABASE_CONNECTION_TIMEOUT_MS,
      idleTimeoutMs: FIXED.databaseIdleTimeoutMs,
    },
    seed: values.BANK_SEED,
    settlement: {
      delayMsMin: values.BANK_MIN_DELAY_MS,
      delayMsMax: values.BANK_MAX_DELAY_MS,
      successRate: values.BANK_SUCCESS_RATE,
    },
    schedule: {
      sweepIntervalMs: values.BANK_SWEEP_INTERVAL_MS,
      settleBatchSizeMax: FIXED.settleBatchSizeMax,
      timerCountMax: FIXED.timerCountMax,
      orderRecountIntervalMs: FIXED.orderRecountIntervalMs,
    },
    scenarios: {
      timeoutRate: values.BANK_TIMEOUT_RATE,
      unavailableRate: values.BANK_UNAVAILABLE_RATE,
      invalidRate: values.BANK_INVALID_RATE,
      hangMs: values.BANK_HANG_MS,
    },
    webhook: {
      secret: values.WEBHOOK_SECRET,
      timeoutMs: values.BANK_WEBHOOK_TIMEOUT_MS,
      retryBaseMs: values.BANK_WEBHOOK_RETRY_BASE_MS,
      retryCapMs: values.BANK_WEBHOOK_RETRY_CAP_MS,
      attemptCountMax: values.BANK_WEBHOOK_ATTEMPT_COUNT_MAX,
      concurrencyMax: values.BANK_WEBHOOK_CONCURRENCY_MAX,
      leaseMarginMs: FIXED.deliveryLeaseMarginMs,
      outOfOrderFlushMs: FIXED.outOfOrderFlushMs,
    },
    orders: { countMax: values.BANK_ORDER_COUNT_MAX },
  };
}

/** The database the bank keeps its books in: the last path segment of BANK_DATABASE_URL. */
export function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}

function relationProblems(values: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (values.BANK_MIN_DELAY_MS > values.BANK_MAX_DELAY_MS) {
    problems.push({
      variable: 'BANK_MIN_DELAY_MS',
      message: `must not exceed BANK_MAX_DELAY_MS (${values.BANK_MIN_DELAY_MS} > ${values.BANK_MAX_DELAY_MS})`,
    });
  }
  const scenarioRateSum = values.BANK_TIMEOUT_RATE + values.BANK_UNAVAILABLE_RATE + values.BANK_INVALID_RATE;
  // A small epsilon, so 0.1 + 0.2 + 0.7 (1.0000000000000002 in floating point) is accepted.
  if (scenarioRateSum > 1 + 1e-9) {
    problems.push({
      variable: 'BANK_TIMEOUT_RATE',
      message: `BANK_TIMEOUT_RATE + BANK_UNAVAILABLE_RATE + BANK_INVALID_RATE must be at most 1 (is ${scenarioRateSum})`,
    });
  }
  if (values.BANK_WEBHOOK_RETRY_BASE_MS > values.BANK_WEBHOOK_RETRY_CAP_MS) {
    problems.push({ variable: 'BANK_WEBHOOK_RETRY_BASE_MS', message: 'must not exceed BANK_WEBHOOK_RETRY_CAP_MS' });
  }
  if (!DATABASE_NAME.test(databaseNameOf(values.BANK_DATABASE_URL))) {
    problems.push({
      variable: 'BANK_DATABASE_URL',
      message: 'must name a database of 1-63 letters, digits, underscores or hyphens',
    });
  }
  return problems;
}
