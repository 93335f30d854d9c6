import { isIP } from 'node:net';
import { z } from 'zod';

import type { ConfigProblem, NodeEnv } from '@paygate/config';
import {
  bool,
  cidrList,
  ConfigError,
  DEV_BANK_API_KEY,
  DEV_WEBHOOK_ENDPOINT_SECRET_KEY,
  DEV_WEBHOOK_SECRET,
  int,
  list,
  loadEnv,
  NODE_ENVS,
  nodeEnv,
  secretProblems,
  SHARED_ENV,
  SHARED_ENV_DESCRIPTIONS,
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

const { shape: shared } = SHARED_ENV;

/** The API's variables, each described: `pnpm env:example` prints .env.example from this schema. */
export const API_ENV = z.object({
  NODE_ENV: shared.NODE_ENV,
  LOG_LEVEL: shared.LOG_LEVEL,
  API_HOST: z.string().min(1).default('0.0.0.0').describe('Address the API listens on (0.0.0.0: every interface).'),
  API_PORT: int(0, 65_535)
    .default(8000)
    .describe(
      'Port the API listens on; 0 picks a free one. Under docker compose it is the host port the api is ' +
        'published on (inside the container it is 8000). Keep API_URL in step with it.',
    ),
  API_TRUST_PROXY: trustProxy
    .default(['loopback'])
    .describe(
      "Which peers' X-Forwarded-For is believed for the client's address, which unauthenticated requests and " +
        'logins are rate limited by: a comma-separated list of addresses, CIDR ranges, loopback, linklocal or ' +
        'uniquelocal; false to believe no one; or a hop count. true is refused. docker compose sets ' +
        'loopback,uniquelocal (requests come through nginx).',
    ),
  API_URL: shared.API_URL,
  DATABASE_URL: shared.DATABASE_URL,
  DATABASE_POOL_SIZE_MAX: int(1, 200).default(20).describe(SHARED_ENV_DESCRIPTIONS.DATABASE_POOL_SIZE_MAX),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 120_000)
    .default(5_000)
    .describe(SHARED_ENV_DESCRIPTIONS.DATABASE_STATEMENT_TIMEOUT_MS),
  DATABASE_CONNECTION_TIMEOUT_MS: shared.DATABASE_CONNECTION_TIMEOUT_MS,
  REDIS_URL: shared.REDIS_URL,
  REDIS_PREFIX: z
    .string()
    .max(64)
    .default('paygate:')
    .describe('Prefix of every Redis key, so environments can share one Redis. At most 64 characters.'),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 10_000)
    .default(500)
    .describe(
      'A Redis command slower than this counts as failed (see RATE_LIMIT_FAIL_OPEN). Must be below ' +
        'REQUEST_TIMEOUT_MS.',
    ),
  AMQP_URL: shared.AMQP_URL,
  // Judged by @paygate/config's shared secret rules (see loadConfig).
  WEBHOOK_SECRET: z.string().default(DEV_WEBHOOK_SECRET).describe(SHARED_ENV_DESCRIPTIONS.WEBHOOK_SECRET),
  WEBHOOK_TOLERANCE_S: int(1, 3_600)
    .default(300)
    .describe("A bank webhook whose timestamp is further than this from the API's clock is refused (replays)."),
  WEBHOOK_ENDPOINT_SECRET_KEY: z
    .string()
    .max(1_024)
    .default(DEV_WEBHOOK_ENDPOINT_SECRET_KEY)
    .describe(SHARED_ENV_DESCRIPTIONS.WEBHOOK_ENDPOINT_SECRET_KEY),
  WEBHOOK_ALLOW_PRIVATE_URLS: cidrList.default([]).describe(SHARED_ENV_DESCRIPTIONS.WEBHOOK_ALLOW_PRIVATE_URLS),
  WEBHOOK_ENDPOINTS_PER_USER_MAX: int(1, 1_000)
    .default(10)
    .describe('Outgoing webhook endpoints one user may have; one more is refused (409).'),
  WEBHOOK_DNS_TIMEOUT_MS: int(10, 30_000)
    .default(2_000)
    .describe(
      'Longest wait for DNS when an outgoing webhook endpoint is added (its addresses must be public). Must be ' +
        'below REQUEST_TIMEOUT_MS.',
    ),
  RATE_LIMIT_BALANCE_PER_MIN: int(1, 10_000_000)
    .default(10)
    .describe('Balance reads per user and minute (a sliding window, shared by every api instance through Redis).'),
  RATE_LIMIT_TRANSACTIONS_PER_MIN: int(1, 10_000_000)
    .default(20)
    .describe('History and list reads per user and minute: one window for all of them.'),
  RATE_LIMIT_GLOBAL_PER_MIN: int(1, 100_000_000)
    .default(1_000)
    .describe(
      'Requests per client and minute across every /api/v1 route: the user, or the address when ' +
        'unauthenticated. Each route with a window of its own counts here too.',
    ),
  RATE_LIMIT_SYSTEM_PER_MIN: int(0, 1_000_000_000)
    .default(0)
    .describe('All /api/v1 requests per minute, all clients together, to shed load; 0 turns this ceiling off.'),
  RATE_LIMIT_LOGIN_PER_MIN: int(1, 10_000_000)
    .default(10)
    .describe('Login attempts per client address and minute, successful or not; enforced even without Redis.'),
  RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN: int(1, 10_000_000)
    .default(5)
    .describe(
      'Failed logins per email and minute; past it a failure answers 429. A correct email and key always log ' +
        'in, so nobody can lock a user out by failing on purpose; 5 slows an online guess to 7,200 a day per ' +
        'email, hopeless against 256-bit keys.',
    ),
  RATE_LIMIT_FAIL_OPEN: bool
    .default(true)
    .describe(
      'When Redis cannot be reached: true serves requests without rate limits (logged and counted; login ' +
        'falls back to an in-process limit, and /health says degraded); false answers 503 (and /health ' +
        'unhealthy).',
    ),
  IDEMPOTENCY_TTL_HOURS: int(1, 24 * 30)
    .default(24)
    .describe(SHARED_ENV_DESCRIPTIONS.IDEMPOTENCY_TTL_HOURS),
  CORS_ORIGINS: list
    .default(['http://localhost:5500', 'http://127.0.0.1:5500'])
    .describe(
      'Comma-separated browser origins allowed to call the API directly (the web app goes through its own ' +
        'same-origin proxy); keep their port in step with WEB_PORT. docker compose sets them from WEB_PORT.',
    ),
  REQUEST_BODY_BYTES_MAX: int(1_024, 1_048_576)
    .default(REQUEST_BODY_BYTES_MAX)
    .describe('Largest JSON request body; a bigger one is refused with 413 payload_too_large.'),
  REQUEST_TIMEOUT_MS: int(1_000, 120_000)
    .default(15_000)
    .describe('Longest a request may take before the server gives up on it; its headers must come within 10 s.'),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000).describe(SHARED_ENV_DESCRIPTIONS.SHUTDOWN_GRACE_MS),
  HEALTH_CHECK_TIMEOUT_MS: int(50, 30_000)
    .default(1_500)
    .describe(
      '/health waits this long for each of PostgreSQL, RabbitMQ and Redis before calling it down. Must be ' +
        'below REQUEST_TIMEOUT_MS.',
    ),
  AUTH_CACHE_TTL_MS: int(0, 60_000)
    .default(2_000)
    .describe(
      'How long a verified API key is cached in memory; a revoked key stops working within this time. 0 ' +
        'checks the database on every request.',
    ),
  OUTBOX_WAKE_UP_INTERVAL_MS: int(0, 1_000)
    .default(5)
    .describe(
      'Shortest time between two wake-ups (NOTIFY) of the outbox relay from one API process; commits in ' +
        'between are published by the same wake-up. 0 sends one per round trip (one extra query per create ' +
        'under load).',
    ),
  HISTORY_EXACT_TOTAL_MAX: int(0, 10_000_000)
    .default(10_000)
    .describe(
      'Lists and history count their matches exactly up to this many; past it `total` is the database ' +
        "planner's estimate, flagged total_is_estimate: true (an exact count reads every matching row).",
    ),
  AUTH_CACHE_ENTRIES_MAX: int(1, 1_000_000)
    .default(10_000)
    .describe('Verified API keys the cache holds at most; past it the oldest is dropped.'),
  BANK_URL: shared.BANK_URL,
  BANK_API_KEY: z.string().max(1_024).default(DEV_BANK_API_KEY).describe(SHARED_ENV_DESCRIPTIONS.BANK_API_KEY),
  BANK_TIMEOUT_MS: int(50, 120_000).default(5_000).describe(SHARED_ENV_DESCRIPTIONS.BANK_TIMEOUT_MS),
  CONSOLE_ORIGINS: list
    .default(['http://localhost:5600', 'http://127.0.0.1:5600'])
    .describe(
      'Browser origins the operator console is served from: a state-changing operator request whose Origin is ' +
        'another is refused (with the SameSite=Strict cookie, this stops cross-site requests). Keep their port ' +
        'in step with CONSOLE_PORT.',
    ),
  WEB_ORIGINS: list
    .default(['http://localhost:5500', 'http://127.0.0.1:5500'])
    .describe(
      'Browser origins the web app is served from: a state-changing request authenticated by the session ' +
        'cookie whose Origin is another (or whose Sec-Fetch-Site is cross-site) is refused with 403 ' +
        'origin_not_allowed. Keep their port in step with WEB_PORT.',
    ),
  SESSION_IDLE_MIN: int(1, 24 * 60)
    .default(30)
    .describe('A web app session (cookie paygate_session) unused for this long ends.'),
  SESSION_ABSOLUTE_HOURS: int(1, 24 * 30)
    .default(12)
    .describe('A web app session ends this long after login, however busy.'),
  RATE_LIMIT_SESSION_BALANCE_PER_MIN: int(1, 10_000_000)
    .default(60)
    .describe(
      "Balance reads per user and minute through the web app's session cookie: a budget of its own, apart " +
        "from the API key's RATE_LIMIT_BALANCE_PER_MIN, so integration traffic never locks the web app out.",
    ),
  RATE_LIMIT_SESSION_LIST_PER_MIN: int(1, 10_000_000)
    .default(120)
    .describe(
      "History and list reads per user and minute through the web app's session cookie, apart from the API " +
        "key's RATE_LIMIT_TRANSACTIONS_PER_MIN.",
    ),
  EVENTS_STREAMS_PER_USER_MAX: int(1, 1_000)
    .default(5)
    .describe(
      'Open GET /api/v1/events streams per user and api process; one more answers 429 (a browser tab holds one).',
    ),
  EVENTS_STREAMS_MAX: int(1, 100_000)
    .default(2_000)
    .describe('Open GET /api/v1/events streams per api process, all users together; one more answers 429.'),
  EVENTS_HEARTBEAT_S: int(1, 300)
    .default(15)
    .describe(
      'An event stream with nothing to say sends a comment line this often, so that proxies keep it open and ' +
        'a dead client is noticed.',
    ),
  EVENTS_REPLAY_MAX: int(1, 10_000)
    .default(500)
    .describe(
      'Events replayed at most when a stream resumes with Last-Event-ID; a client further behind than this ' +
        'gets the newest ones and should reload its lists.',
    ),
  OPERATOR_SESSION_IDLE_MIN: int(1, 24 * 60)
    .default(30)
    .describe('An operator session unused for this long ends.'),
  OPERATOR_SESSION_ABSOLUTE_HOURS: int(1, 24 * 7)
    .default(12)
    .describe('An operator session ends this long after login, however busy.'),
  RATE_LIMIT_OPERATOR_LOGIN_PER_MIN: int(1, 10_000_000)
    .default(10)
    .describe('Operator login attempts per client address and minute; enforced even without Redis.'),
  RATE_LIMIT_OPERATOR_LOGIN_FAILURES_PER_EMAIL_PER_MIN: int(1, 10_000_000)
    .default(5)
    .describe('Failed operator logins per email and minute; past it a failure answers 429.'),
  RATE_LIMIT_OPERATOR_PER_MIN: int(1, 1_000_000)
    .default(600)
    .describe('Operator API requests per operator and minute (the console polls its pages).'),
  OPERATOR_STUCK_AFTER_S: int(10, 7 * 24 * 3_600)
    .default(300)
    .describe('A pending or processing payment older than this counts as stuck on the console.'),
});

type Env = z.output<typeof API_ENV>;

export type ApiConfig = ReturnType<typeof toConfig>;

/** Reads and validates the environment, or throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  try {
    return toConfig(
      loadEnv(API_ENV, env, {
        secrets: {
          WEBHOOK_SECRET: DEV_WEBHOOK_SECRET,
          BANK_API_KEY: DEV_BANK_API_KEY,
          WEBHOOK_ENDPOINT_SECRET_KEY: DEV_WEBHOOK_ENDPOINT_SECRET_KEY,
        },
        check: checkRelations,
      }),
    );
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
    webhookEndpoints: {
      secretKey: e.WEBHOOK_ENDPOINT_SECRET_KEY,
      allowPrivateCidrs: e.WEBHOOK_ALLOW_PRIVATE_URLS,
      countMaxPerUser: e.WEBHOOK_ENDPOINTS_PER_USER_MAX,
      dnsTimeoutMs: e.WEBHOOK_DNS_TIMEOUT_MS,
    },
    outbox: { wakeUpIntervalMs: e.OUTBOX_WAKE_UP_INTERVAL_MS },
    history: { exactTotalMax: e.HISTORY_EXACT_TOTAL_MAX },
    health: { timeoutMs: e.HEALTH_CHECK_TIMEOUT_MS },
    auth: {
      cacheTtlMs: e.AUTH_CACHE_TTL_MS,
      cacheEntriesMax: e.AUTH_CACHE_ENTRIES_MAX,
      // The demo keys of `pnpm db:seed` are public (CREDENTIALS.md); in production they open nothing.
      demoKeysAllowed: e.NODE_ENV !== 'production',
    },
    sessions: {
      webOrigins: e.WEB_ORIGINS,
      idleMs: e.SESSION_IDLE_MIN * 60_000,
      absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
      // A session's last_seen_at moves at most this often, so a busy web app writes rarely.
      touchEveryMs: 60_000,
      // The cookie carries Secure in production, where the web app is served over https.
      secureCookie: e.NODE_ENV === 'production',
      balancePerWindow: e.RATE_LIMIT_SESSION_BALANCE_PER_MIN,
      historyPerWindow: e.RATE_LIMIT_SESSION_LIST_PER_MIN,
    },
    events: {
      streamsPerUserMax: e.EVENTS_STREAMS_PER_USER_MAX,
      streamsMax: e.EVENTS_STREAMS_MAX,
      heartbeatMs: e.EVENTS_HEARTBEAT_S * 1_000,
      replayMax: e.EVENTS_REPLAY_MAX,
      /**
       * Events of one user can commit out of id order (two of their transactions changing at once); a stream
       * looks back this far for events it has not sent yet. Far above the money functions' statement timeout.
       */
      lookbackMs: 30_000,
      /** A client that leaves this much of its stream unread is cut off (it resumes with Last-Event-ID). */
      writeBufferBytesMax: 1_048_576,
    },
    bank: {
      url: e.BANK_URL.replace(/\/+$/, ''),
      apiKey: e.BANK_API_KEY,
      timeoutMs: e.BANK_TIMEOUT_MS,
      /** Longest bank answer read (an operator's "reconcile now"); a real order is a few hundred bytes. */
      responseBytesMax: 64 * 1024,
    },
    operators: {
      consoleOrigins: e.CONSOLE_ORIGINS,
      sessionIdleMs: e.OPERATOR_SESSION_IDLE_MIN * 60_000,
      sessionAbsoluteMs: e.OPERATOR_SESSION_ABSOLUTE_HOURS * 3_600_000,
      // A session's last_seen_at moves at most this often, so a polling console writes rarely.
      sessionTouchEveryMs: 60_000,
      // The cookie carries Secure in production, where the console is served over https.
      secureCookie: e.NODE_ENV === 'production',
      loginPerWindow: e.RATE_LIMIT_OPERATOR_LOGIN_PER_MIN,
      loginFailuresPerEmailPerWindow: e.RATE_LIMIT_OPERATOR_LOGIN_FAILURES_PER_EMAIL_PER_MIN,
      requestsPerWindow: e.RATE_LIMIT_OPERATOR_PER_MIN,
      stuckAfterS: e.OPERATOR_STUCK_AFTER_S,
      /** Pages of the operator API: the recent payments shown with a user. */
      userRecentPayments: 10,
      // Workers beat every few seconds (WORKER_HEARTBEAT_INTERVAL_MS); silent this long, one is shown dead.
      workerAliveWithinMs: 30_000,
      // An operator's fail is refused while a worker may still be talking to the bank about the payment: it
      // touched it within two bank timeouts (BANK_TIMEOUT_MS is shared with the worker) plus a margin.
      failQuietMs: 2 * e.BANK_TIMEOUT_MS + 5_000,
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
  if (e.BANK_TIMEOUT_MS >= e.REQUEST_TIMEOUT_MS) {
    problems.push({
      variable: 'BANK_TIMEOUT_MS',
      message: `must be below REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})`,
    });
  }
  if (e.WEBHOOK_DNS_TIMEOUT_MS >= e.REQUEST_TIMEOUT_MS) {
    problems.push({
      variable: 'WEBHOOK_DNS_TIMEOUT_MS',
      message: `must be below REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})`,
    });
  }
  // The private ranges are for a developer's own receiver; a production gateway must never reach them.
  if (e.NODE_ENV === 'production' && e.WEBHOOK_ALLOW_PRIVATE_URLS.length > 0) {
    problems.push({ variable: 'WEBHOOK_ALLOW_PRIVATE_URLS', message: 'must be empty when NODE_ENV=production' });
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
