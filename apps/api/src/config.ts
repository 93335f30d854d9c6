import { isIP } from 'node:net';
import { z } from 'zod';

import type { ConfigProblem, NodeEnv } from '@paygate/config';
import {
  AMQP_URL,
  bool,
  ConfigError,
  DATABASE_URL,
  DEV_WEBHOOK_SECRET,
  HTTP_URL,
  int,
  list,
  LOCAL_DEFAULTS,
  loadEnv,
  logLevel,
  NODE_ENVS,
  nodeEnv,
  REDIS_URL,
  secretProblems,
} from '@paygate/config';
import { REQUEST_BODY_BYTES_MAX } from '@paygate/domain';

/**
 * The only place the API (and its CLI) read the environment, through @paygate/config: every value is
 * validated once at start-up, and every bad variable is reported at once, by name. Names carry their units.
 * Production (NODE_ENV=production) refuses the development WEBHOOK_SECRET and weak secrets, and changes
 * behaviour elsewhere: demo API keys never authenticate and `pnpm db:seed` refuses to run.
 */

export { ConfigError, DEV_WEBHOOK_SECRET };

/**
 * API_TRUST_PROXY: which peers may tell us the client's address in X-Forwarded-For. The address is what
 * unauthenticated requests (and every login attempt) are rate limited by, so only proxies we run may set
 * it. A comma-separated list of addresses, CIDR ranges or the names loopback, linklocal and uniquelocal
 * (default loopback: the nginx of docker-compose on the same host); `false` trusts no one (the socket's
 * address is used); a number N trusts the N nearest hops. `true` is refused: it would let any client pick
 * its address, and so its rate limits.
 */
const trustProxy = z.string().transform((value, context): false | number | string[] => {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'false' || trimmed === 'none') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true') {
    context.addIssue({
      code: 'custom',
      message:
        "true would let any client choose its address (and its rate limits); name the proxies' addresses instead",
    });
    return z.NEVER;
  }
  const entries = list.parse(value);
  const invalid = entries.filter((entry) => !isTrustedProxyEntry(entry));
  if (entries.length === 0 || invalid.length > 0) {
    context.addIssue({
      code: 'custom',
      message: `must be false, a hop count, or addresses, CIDR ranges, loopback, linklocal or uniquelocal (not: ${invalid.join(', ') || 'empty'})`,
    });
    return z.NEVER;
  }
  return entries;
});

const ENV = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: int(0, 65_535).default(8000),
  API_TRUST_PROXY: trustProxy.default(['loopback']),
  API_URL: HTTP_URL.default(LOCAL_DEFAULTS.apiUrl),
  DATABASE_URL: DATABASE_URL.default(LOCAL_DEFAULTS.databaseUrl),
  DATABASE_POOL_SIZE_MAX: int(1, 200).default(20),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  DATABASE_CONNECTION_TIMEOUT_MS: int(100, 60_000).default(5_000),
  REDIS_URL: REDIS_URL.default(LOCAL_DEFAULTS.redisUrl),
  REDIS_PREFIX: z.string().max(64).default('paygate:'),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 10_000).default(500),
  AMQP_URL: AMQP_URL.default(LOCAL_DEFAULTS.amqpUrl),
  // Judged by @paygate/config's shared secret rules (see loadConfig).
  WEBHOOK_SECRET: z.string().default(DEV_WEBHOOK_SECRET),
  WEBHOOK_TOLERANCE_S: int(1, 3_600).default(300),
  // Per user and minute: balance reads; history and lists (one window for both).
  RATE_LIMIT_BALANCE_PER_MIN: int(1, 10_000_000).default(10),
  RATE_LIMIT_TRANSACTIONS_PER_MIN: int(1, 10_000_000).default(20),
  // Per client and minute, across every /api/v1 route: the user, or the address when unauthenticated.
  RATE_LIMIT_GLOBAL_PER_MIN: int(1, 100_000_000).default(1_000),
  // All clients together, per minute; 0 turns this load-shedding ceiling off.
  RATE_LIMIT_SYSTEM_PER_MIN: int(0, 1_000_000_000).default(0),
  // Login attempts per client address and minute, successful or not.
  RATE_LIMIT_LOGIN_PER_MIN: int(1, 10_000_000).default(10),
  // Failed logins per email and minute; past it a failure answers 429. A correct email and key always log
  // in, so nobody can lock a user out by failing on purpose. 5 slows an online guess to 7,200 a day per
  // email, hopeless against 256-bit keys, while a person mistyping a key is never stopped.
  RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN: int(1, 10_000_000).default(5),
  // When Redis cannot be reached: true serves requests unlimited (logged and counted; login falls back to
  // an in-process limiter), false answers 503.
  RATE_LIMIT_FAIL_OPEN: bool.default(true),
  IDEMPOTENCY_TTL_HOURS: int(1, 24 * 30).default(24),
  CORS_ORIGINS: list.default(['http://localhost:5500', 'http://127.0.0.1:5500']),
  REQUEST_BODY_BYTES_MAX: int(1_024, 1_048_576).default(REQUEST_BODY_BYTES_MAX),
  REQUEST_TIMEOUT_MS: int(1_000, 120_000).default(15_000),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000),
  HEALTH_CHECK_TIMEOUT_MS: int(50, 30_000).default(1_500),
  AUTH_CACHE_TTL_MS: int(0, 60_000).default(2_000),
  AUTH_CACHE_ENTRIES_MAX: int(1, 1_000_000).default(10_000),
});

type Env = z.output<typeof ENV>;

export type ApiConfig = ReturnType<typeof toConfig>;

/** Reads and validates the environment, or throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  try {
    return toConfig(loadEnv(ENV, env, { secrets: { WEBHOOK_SECRET: DEV_WEBHOOK_SECRET }, check: checkRelations }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(withSecretProblems(error.problems, env));
  }
}

/**
 * NODE_ENV alone, for a command that must refuse production before anything else is read (pnpm db:seed).
 * A typo stops it as it stops the API.
 */
export function readNodeEnv(env: Record<string, string | undefined> = process.env): NodeEnv {
  const parsed = nodeEnv.safeParse(env.NODE_ENV === '' ? undefined : env.NODE_ENV);
  if (!parsed.success)
    throw new ConfigError([{ variable: 'NODE_ENV', message: `must be one of ${NODE_ENVS.join(', ')}` }]);
  return parsed.data;
}

/** A ConfigError on one line, for the CLI commands: "invalid configuration: A: ...; B: ...". */
export function configErrorLine(error: ConfigError): string {
  return `invalid configuration: ${error.problems.map((problem) => `${problem.variable}: ${problem.message}`).join('; ')}`;
}

function toConfig(e: Env) {
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
      clientPerWindow: e.RATE_LIMIT_GLOBAL_PER_MIN,
      /** 0 means no system-wide ceiling. */
      systemPerWindow: e.RATE_LIMIT_SYSTEM_PER_MIN,
      loginPerWindow: e.RATE_LIMIT_LOGIN_PER_MIN,
      loginFailuresPerEmailPerWindow: e.RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN,
      failOpen: e.RATE_LIMIT_FAIL_OPEN,
    },
    idempotency: { ttlHours: e.IDEMPOTENCY_TTL_HOURS },
    health: { timeoutMs: e.HEALTH_CHECK_TIMEOUT_MS },
    auth: {
      cacheTtlMs: e.AUTH_CACHE_TTL_MS,
      cacheEntriesMax: e.AUTH_CACHE_ENTRIES_MAX,
      // The demo keys of `pnpm db:seed` are public (CREDENTIALS.md); in production they open nothing.
      demoKeysAllowed: e.NODE_ENV !== 'production',
    },
  };
}

function checkRelations(e: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (e.HEALTH_CHECK_TIMEOUT_MS >= e.REQUEST_TIMEOUT_MS) {
    problems.push({
      variable: 'HEALTH_CHECK_TIMEOUT_MS',
      message: `must be below REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})`,
    });
  }
  if (e.REDIS_COMMAND_TIMEOUT_MS >= e.REQUEST_TIMEOUT_MS) {
    problems.push({
      variable: 'REDIS_COMMAND_TIMEOUT_MS',
      message: `must be below REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})`,
    });
  }
  return problems;
}

/**
 * loadEnv judges secrets only once every variable parsed, so a typo elsewhere would hide a weak secret
 * until the next restart. Judge it here too, by the shared rules; when NODE_ENV itself is unknown, by
 * production's, the strictest, since a typo of "production" is the likely one.
 */
function withSecretProblems(problems: ConfigProblem[], env: Record<string, string | undefined>): ConfigProblem[] {
  if (problems.some((problem) => problem.variable === 'WEBHOOK_SECRET')) return problems;
  const parsedNodeEnv = nodeEnv.safeParse(env.NODE_ENV === '' ? undefined : env.NODE_ENV);
  const judgedAs: NodeEnv = parsedNodeEnv.success ? parsedNodeEnv.data : 'production';
  const secret =
    env.WEBHOOK_SECRET === undefined || env.WEBHOOK_SECRET === '' ? DEV_WEBHOOK_SECRET : env.WEBHOOK_SECRET;
  const secretIssues = secretProblems(secret, judgedAs, DEV_WEBHOOK_SECRET).map((message) => ({
    variable: 'WEBHOOK_SECRET',
    message: parsedNodeEnv.success ? message : `${message} (judged as production while NODE_ENV is unknown)`,
  }));
  return [...problems, ...secretIssues];
}

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isTrustedProxyEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.has(entry.toLowerCase())) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bitsMax = family === 4 ? 32 : 128;
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= bitsMax;
  // proxy-addr also takes an IPv4 netmask (10.0.0.0/255.0.0.0).
  return family === 4 && isIP(prefix) === 4;
}
