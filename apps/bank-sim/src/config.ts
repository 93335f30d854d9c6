import { z } from 'zod';

import { REQUEST_BODY_BYTES_MAX } from '@paygate/domain/limits';

/**
 * The only file that reads process.env. Every variable is parsed once, at start-up; a bad value stops the
 * process with a message naming the variable. Units are in the names.
 */

export const DEFAULT_WEBHOOK_SECRET = 'dev-webhook-secret-change-me';

/** A hanging request is held at most this long: Node ends idle sockets anyway past a few minutes. */
const HANG_MS_MAX = 300_000;
/** Delays above an hour would only hide a misconfiguration (a value in seconds read as milliseconds). */
const DELAY_MS_MAX = 3_600_000;
/** A short HMAC key can be guessed offline from one captured webhook. */
const PRODUCTION_SECRET_LENGTH_MIN = 16;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const rate = z.coerce.number().min(0).max(1);

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  BANK_PORT: integer(0, 65_535).default(8001),
  BANK_HOST: z.string().min(1).default('0.0.0.0'),
  WEBHOOK_SECRET: z.string().min(1).max(1024).default(DEFAULT_WEBHOOK_SECRET),
  BANK_MIN_DELAY_MS: integer(0, DELAY_MS_MAX).default(2000),
  BANK_MAX_DELAY_MS: integer(0, DELAY_MS_MAX).default(10_000),
  BANK_SUCCESS_RATE: rate.default(0.9),
  BANK_SEED: z.string().min(1).max(128).optional(),
  BANK_TIMEOUT_RATE: rate.default(0),
  BANK_UNAVAILABLE_RATE: rate.default(0),
  BANK_INVALID_RATE: rate.default(0),
  BANK_HANG_MS: integer(0, HANG_MS_MAX).default(30_000),
  BANK_WEBHOOK_TIMEOUT_MS: integer(1, 120_000).default(5000),
  BANK_WEBHOOK_RETRY_BASE_MS: integer(1, DELAY_MS_MAX).default(500),
  BANK_WEBHOOK_RETRY_CAP_MS: integer(1, DELAY_MS_MAX).default(60_000),
  BANK_WEBHOOK_ATTEMPT_COUNT_MAX: integer(1, 1000).default(20),
  BANK_ORDER_COUNT_MAX: integer(1, 100_000_000).default(1_000_000),
});

export interface BankConfig {
  nodeEnv: string;
  logLevel: (typeof LOG_LEVELS)[number];
  http: { port: number; host: string; bodyBytesMax: number };
  /** Unset means "pick a random seed at start-up" (main.ts logs it, so the run can be repeated). */
  seed: string | undefined;
  settlement: { delayMsMin: number; delayMsMax: number; successRate: number };
  /** Probabilities per POST /v1/payments; their sum is at most 1, the rest is a normal answer. */
  scenarios: { timeoutRate: number; unavailableRate: number; invalidRate: number; hangMs: number };
  webhook: {
    secret: string;
    timeoutMs: number;
    retryBaseMs: number;
    retryCapMs: number;
    attemptCountMax: number;
    /** With out_of_order on, buffered webhooks are flushed newest-first this long after the first one. */
    outOfOrderFlushMs: number;
  };
  orders: { countMax: number };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): BankConfig {
  const parsed = EnvSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
  }
  const values = parsed.data;
  checkRelations(values);
  return {
    nodeEnv: values.NODE_ENV,
    logLevel: values.LOG_LEVEL,
    http: { port: values.BANK_PORT, host: values.BANK_HOST, bodyBytesMax: REQUEST_BODY_BYTES_MAX },
    seed: values.BANK_SEED,
    settlement: {
      delayMsMin: values.BANK_MIN_DELAY_MS,
      delayMsMax: values.BANK_MAX_DELAY_MS,
      successRate: values.BANK_SUCCESS_RATE,
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
      outOfOrderFlushMs: 200,
    },
    orders: { countMax: values.BANK_ORDER_COUNT_MAX },
  };
}

function checkRelations(values: z.infer<typeof EnvSchema>): void {
  if (values.NODE_ENV === 'production' && values.WEBHOOK_SECRET === DEFAULT_WEBHOOK_SECRET) {
    throw new ConfigError('WEBHOOK_SECRET', 'the development default is refused when NODE_ENV=production');
  }
  if (values.NODE_ENV === 'production' && values.WEBHOOK_SECRET.length < PRODUCTION_SECRET_LENGTH_MIN) {
    throw new ConfigError(
      'WEBHOOK_SECRET',
      `must be at least ${PRODUCTION_SECRET_LENGTH_MIN} characters when NODE_ENV=production`,
    );
  }
  if (values.BANK_MIN_DELAY_MS > values.BANK_MAX_DELAY_MS) {
    throw new ConfigError(
      'BANK_MIN_DELAY_MS',
      `must not exceed BANK_MAX_DELAY_MS (${values.BANK_MIN_DELAY_MS} > ${values.BANK_MAX_DELAY_MS})`,
    );
  }
  const scenarioRateSum = values.BANK_TIMEOUT_RATE + values.BANK_UNAVAILABLE_RATE + values.BANK_INVALID_RATE;
  // A small epsilon, so 0.1 + 0.2 + 0.7 (1.0000000000000002 in floating point) is accepted.
  if (scenarioRateSum > 1 + 1e-9) {
    throw new ConfigError(
      'BANK_TIMEOUT_RATE',
      `BANK_TIMEOUT_RATE + BANK_UNAVAILABLE_RATE + BANK_INVALID_RATE must be at most 1 (is ${scenarioRateSum})`,
    );
  }
  if (values.BANK_WEBHOOK_RETRY_BASE_MS > values.BANK_WEBHOOK_RETRY_CAP_MS) {
    throw new ConfigError('BANK_WEBHOOK_RETRY_BASE_MS', 'must not exceed BANK_WEBHOOK_RETRY_CAP_MS');
  }
}

/** An empty variable (`BANK_SEED=`) means "use the default", as it does in most shells' eyes. */
function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string> {
  const entries = Object.entries(env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
  );
  return Object.fromEntries(entries);
}
