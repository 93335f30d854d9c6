import { z } from 'zod';

import { SECRET_RULES_DESCRIPTION } from './secrets';
import { AMQP_URL, DATABASE_URL, HTTP_URL, int, LOCAL_DEFAULTS, logLevel, nodeEnv, REDIS_URL } from './variables';

/**
 * The variables more than one app reads, described once. Where every reader accepts the same values, the
 * schema itself is here and the apps take it from SHARED_ENV. Where an app needs other bounds or defaults,
 * it keeps its own schema and takes only the description from SHARED_ENV_DESCRIPTIONS, so .env.example
 * still has one entry per name (it lists each app's default and bounds next to it).
 */
export const SHARED_ENV = z.object({
  NODE_ENV: nodeEnv.describe(
    'Which rules the apps follow; anything else stops every app. production refuses the development ' +
      'WEBHOOK_SECRET and BANK_API_KEY and any weak secret, demo API keys never authenticate, and ' +
      '`pnpm db:seed` refuses to run.',
  ),
  LOG_LEVEL: logLevel.describe('Lowest level of the JSON log lines (pino) each app writes; silent writes none.'),
  DATABASE_URL: DATABASE_URL.default(LOCAL_DEFAULTS.databaseUrl).describe(
    "The gateway's PostgreSQL database. The CLI (`pnpm paygate`, `pnpm db:seed`) reads it too, and so does " +
      '`pnpm db:migrate`, which creates the database when it is missing.',
  ),
  DATABASE_CONNECTION_TIMEOUT_MS: int(100, 60_000)
    .default(5_000)
    .describe('Longest wait for a new PostgreSQL connection (the worker also bounds its /health ping by it).'),
  AMQP_URL: AMQP_URL.default(LOCAL_DEFAULTS.amqpUrl).describe(
    'RabbitMQ: the worker publishes the outbox and consumes from it; the api only connects to report it in ' +
      '/health.',
  ),
  REDIS_URL: REDIS_URL.default(LOCAL_DEFAULTS.redisUrl).describe(
    "Redis: the api's rate-limit windows, shared by every api instance.",
  ),
  API_URL: HTTP_URL.default(LOCAL_DEFAULTS.apiUrl).describe(
    "The API's public URL: the Vite servers of the web apps proxy the API's paths to it, and " +
      '`pnpm paygate webhook sign` prints curl commands against it. Keep its port in step with API_PORT.',
  ),
  BANK_URL: HTTP_URL.default(LOCAL_DEFAULTS.bankUrl).describe(
    'The bank the worker places orders with and asks about them: bank-sim locally, so keep its port in step ' +
      'with BANK_PORT.',
  ),
});

/** Descriptions of the shared variables whose schema differs between the apps that read them. */
export const SHARED_ENV_DESCRIPTIONS = {
  WEBHOOK_SECRET:
    "HMAC-SHA256 key of the bank's webhooks: bank-sim signs them and the api verifies them, so both must " +
    'have the same one. Visible ASCII without spaces, at most 1024 characters (bank-sim refuses anything ' +
    `else). ${SECRET_RULES_DESCRIPTION}`,
  BANK_API_KEY:
    "The gateway's merchant credential at the bank: the worker sends it as Authorization: Bearer and " +
    'bank-sim refuses every call without it, so both must have the same one. Visible ASCII without spaces, ' +
    `at most 1024 characters (bank-sim refuses anything else). ${SECRET_RULES_DESCRIPTION}`,
  IDEMPOTENCY_TTL_HOURS:
    'How long an Idempotency-Key and its stored response are kept: the api replays the response within it, ' +
    "the worker's retention deletes keys older than it. Give both apps the same value.",
  BANK_TIMEOUT_MS:
    "How long one call to the bank may take: the worker's orders and status checks, and the operator " +
    "console's reconcile (api). The worker's must be below RECONCILE_PROCESSING_AFTER_MS, the api's below " +
    'REQUEST_TIMEOUT_MS.',
  WEBHOOK_ENDPOINT_SECRET_KEY:
    'Encrypts the signing secrets of outgoing webhook endpoints in the database (AES-256-GCM): the api seals ' +
    'them when an endpoint is created or rotated, the worker opens them to sign, so both must have the same ' +
    "one. Changing it makes the stored secrets unreadable: rotate every endpoint's secret afterwards. " +
    SECRET_RULES_DESCRIPTION,
  WEBHOOK_ALLOW_PRIVATE_URLS:
    'Development only: CIDR ranges (e.g. 127.0.0.0/8,::1/128) that outgoing webhooks may reach although they ' +
    'are not public. Empty (the default) refuses loopback, link-local, private, shared and unique-local ' +
    'addresses, in the URL or after DNS resolution (the api when an endpoint is added, the worker at every ' +
    'connection). With NODE_ENV=production any value stops the app.',
  DATABASE_POOL_SIZE_MAX: "Connections at most in each process's PostgreSQL pool.",
  DATABASE_STATEMENT_TIMEOUT_MS: 'Longest one SQL statement may run before PostgreSQL cancels it.',
  SHUTDOWN_GRACE_MS:
    'After SIGTERM, how long in-flight requests (api) or message handlers (worker) may take before the ' +
    "process closes them and exits. The worker's must be 0 or at least BANK_TIMEOUT_MS.",
} as const;
