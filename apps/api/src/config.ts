import { z } from 'zod';

/**
 * The only place the API (and its CLI) read the environment. Every value is validated once at start-up;
 * a bad one stops the process with a message naming the variable. Names carry their units.
 */

export const DEV_WEBHOOK_SECRET = 'dev-webhook-secret-change-me';

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: int(0, 65_535).default(8000),
  API_TRUST_PROXY: z.string().default('loopback'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgresql://postgres@127.0.0.1:5432/paygate'),
  DATABASE_POOL_SIZE_MAX: int(1, 200).default(20),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  DATABASE_CONNECTION_TIMEOUT_MS: int(100, 60_000).default(5_000),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().max(64).default('paygate:'),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 10_000).default(500),
  AMQP_URL: url(['amqp:', 'amqps:']).default('amqp://guest:guest@127.0.0.1:5672'),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').default(DEV_WEBHOOK_SECRET),
  WEBHOOK_TOLERANCE_S: int(1, 3_600).default(300),
  RATE_LIMIT_BALANCE_PER_MIN: int(1, 10_000_000).default(10),
  RATE_LIMIT_TRANSACTIONS_PER_MIN: int(1, 10_000_000).default(20),
  RATE_LIMIT_GLOBAL_PER_MIN: int(1, 100_000_000).default(1_000),
  RATE_LIMIT_LOGIN_PER_MIN: int(1, 10_000_000).default(10),
  RATE_LIMIT_FAIL_OPEN: bool.default(true),
  IDEMPOTENCY_TTL_HOURS: int(1, 24 * 30).default(24),
  CORS_ORIGINS: list.default(['http://localhost:5500', 'http://127.0.0.1:5500']),
  REQUEST_BODY_BYTES_MAX: int(1_024, 1_048_576).default(65_536),
  REQUEST_TIMEOUT_MS: int(1_000, 120_000).default(15_000),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000),
  HEALTH_CHECK_TIMEOUT_MS: int(50, 30_000).default(1_500),
  AUTH_CACHE_TTL_MS: int(0, 60_000).default(2_000),
  AUTH_CACHE_ENTRIES_MAX: int(1, 1_000_000).default(10_000),
  API_URL: url(['http:', 'https:']).default('http://127.0.0.1:8000'),
});

export type ApiConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = ENV.safeParse(withoutEmpty(env));
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.WEBHOOK_SECRET === DEV_WEBHOOK_SECRET) {
    throw new ConfigError(['WEBHOOK_SECRET: the development default is refused when NODE_ENV=production']);
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: {
      host: e.API_HOST,
      port: e.API_PORT,
      trustProxy: e.API_TRUST_PROXY,
      bodyBytesMax: e.REQUEST_BODY_BYTES_MAX,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      corsOrigins: e.CORS_ORIGINS,
      publicUrl: e.API_URL,
    },
    database: {
      url: e.DATABASE_URL,
      poolSizeMax: e.DATABASE_POOL_SIZE_MAX,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      connectionTimeoutMs: e.DATABASE_CONNECTION_TIMEOUT_MS,
    },
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS },
    amqp: { url: e.AMQP_URL },
    webhook: { secret: e.WEBHOOK_SECRET, toleranceS: e.WEBHOOK_TOLERANCE_S },
    rateLimit: {
      windowMs: 60_000,
      balancePerWindow: e.RATE_LIMIT_BALANCE_PER_MIN,
      historyPerWindow: e.RATE_LIMIT_TRANSACTIONS_PER_MIN,
      globalPerWindow: e.RATE_LIMIT_GLOBAL_PER_MIN,
      loginPerWindow: e.RATE_LIMIT_LOGIN_PER_MIN,
      failOpen: e.RATE_LIMIT_FAIL_OPEN,
    },
    idempotency: { ttlHours: e.IDEMPOTENCY_TTL_HOURS },
    health: { timeoutMs: e.HEALTH_CHECK_TIMEOUT_MS },
    auth: { cacheTtlMs: e.AUTH_CACHE_TTL_MS, cacheEntriesMax: e.AUTH_CACHE_ENTRIES_MAX },
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** An empty variable (FOO=) means "use the default", as in docker-compose files and .env templates. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
