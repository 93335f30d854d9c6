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
  logLevel,
  nodeEnv,
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

const EnvSchema = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  BANK_PORT: int(0, 65_535).default(8001),
  BANK_HOST: z.string().min(1).max(255).default('0.0.0.0'),
  WEBHOOK_SECRET: secret(DEV_WEBHOOK_SECRET),
  BANK_API_KEY: secret(DEV_BANK_API_KEY),
  BANK_CALLBACK_URL: HTTP_URL.pipe(z.string().max(URL_LENGTH_MAX)).default(DEFAULT_BANK_CALLBACK_URL),
  BANK_DATABASE_URL: DATABASE_URL.pipe(z.string().max(URL_LENGTH_MAX)).default(LOCAL_DEFAULTS.bankDatabaseUrl),
  BANK_DATABASE_POOL_SIZE_MAX: int(1, 100).default(10),
  BANK_DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  BANK_DATABASE_CONNECTION_TIMEOUT_MS: int(100, 60_000).default(5_000),
  BANK_SWEEP_INTERVAL_MS: int(10, 60_000).default(1_000),
  BANK_MIN_DELAY_MS: int(0, DELAY_MS_MAX).default(2_000),
  BANK_MAX_DELAY_MS: int(0, DELAY_MS_MAX).default(10_000),
  BANK_SUCCESS_RATE: decimal(0, 1).default(0.9),
  BANK_SEED: z.string().min(1).max(128).optional(),
  BANK_TIMEOUT_RATE: decimal(0, 1).default(0),
  BANK_UNAVAILABLE_RATE: decimal(0, 1).default(0),
  BANK_INVALID_RATE: decimal(0, 1).default(0),
  BANK_HANG_MS: int(0, HANG_MS_MAX).default(30_000),
  BANK_WEBHOOK_TIMEOUT_MS: int(1, 120_000).default(5_000),
  BANK_WEBHOOK_RETRY_BASE_MS: int(1, DELAY_MS_MAX).default(500),
  BANK_WEBHOOK_RETRY_CAP_MS: int(1, DELAY_MS_MAX).default(60_000),
  BANK_WEBHOOK_ATTEMPT_COUNT_MAX: int(1, 1_000).default(20),
  BANK_WEBHOOK_CONCURRENCY_MAX: int(1, 1_000).default(128),
  BANK_ORDER_COUNT_MAX: int(1, 100_000_000).default(1_000_000),
});
type Env = z.output<typeof EnvSchema>;

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
  const values = loadEnv(EnvSchema, env, {
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
