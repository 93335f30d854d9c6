import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { HTTP_STATUS_BY_CODE } from '@paygate/domain/errors';

import { ErrorBody, IDEMPOTENCY_KEY_SAMPLE, IdempotencyKey, RateLimitErrorBody } from './common';
import { ADMIN_TAG, OPERATORS_GUIDE, registerAdmin } from './openapi-admin';
import { API_GUIDE } from './openapi-guide';
import type { ErrorExample, Example } from './openapi-examples';
import {
  DEPOSIT_DETAIL,
  DEPOSIT_PENDING,
  DEPOSIT_SETTLED,
  ERROR_EXAMPLES,
  pageOf,
  REQUEST_ID_SAMPLE,
  WEBHOOK_FAILED,
  WEBHOOK_FULL,
  WEBHOOK_SEED_FORM,
  WITHDRAWAL_DETAIL,
  WITHDRAWAL_PENDING,
} from './openapi-examples';
import type { SampleRequest } from './openapi-samples';
import { codeSamples, SAMPLE_BASE_URL } from './openapi-samples';
import { HealthWire, InfoWire, infoOf, LivenessWire } from './system';
import {
  CreateTransactionBody,
  TransactionDetailWire,
  TransactionIdParams,
  TransactionListQuery,
  TransactionPage,
  TransactionWire,
  UserIdParams,
  UserTransactionListQuery,
} from './transactions';
import {
  BalanceWire,
  LoginAnswerWire,
  LoginBody,
  LOGIN_MESSAGE,
  LOGOUT_MESSAGE,
  LogoutAnswerWire,
  UserWire,
} from './users';
import { BankWebhookPayload, WebhookAck } from './webhook';
import { registerWebhookEndpoints } from './openapi-webhook-endpoints';

/**
 * The OpenAPI 3.1 document of the public HTTP API, generated from the same schemas the API validates with,
 * and written to be read: an introduction (openapi-guide.ts), a real example for every status of every
 * operation (openapi-examples.ts), every response header, and request samples in curl, JavaScript and
 * Python (openapi-samples.ts). /docs renders it; packages/contracts/test/openapi.test.ts holds it to that.
 */

export interface EndpointSpec {
  method: 'get' | 'post' | 'delete';
  path: string;
}

// --- response headers --------------------------------------------------------------------------------------

const integer = { type: 'integer' as const };
const text = { type: 'string' as const };

export const RESPONSE_HEADERS = {
  'X-Request-ID': {
    description: 'The request id: yours when you sent a sane one, else a new UUID. Errors repeat it as `request_id`.',
    schema: text,
    example: REQUEST_ID_SAMPLE,
  },
  'X-RateLimit-Limit': {
    description: "Requests allowed in this route's window (one minute).",
    schema: integer,
    example: 10,
  },
  'X-RateLimit-Remaining': { description: 'Requests left in the window.', schema: integer, example: 9 },
  'X-RateLimit-Reset': {
    description: 'When a request leaves the window, in unix seconds.',
    schema: integer,
    example: 1795774594,
  },
  'RateLimit-Policy': {
    description: "The IETF draft's policy of the same window: name, quota `q`, window `w` in seconds.",
    schema: text,
    example: '"balance";q=10;w=60',
  },
  RateLimit: {
    description: "The IETF draft's state of the same window: remaining `r`, seconds to reset `t`.",
    schema: text,
    example: '"balance";r=9;t=60',
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again (the same number as `retry_after`).',
    schema: integer,
    example: 42,
  },
  Location: { description: 'The path of the new transaction.', schema: text, example: '/api/v1/deposits/42' },
  'Idempotent-Replayed': {
    description:
      '`true` when this answer is the stored answer of an earlier request with the same Idempotency-Key and body; absent otherwise.',
    schema: { type: 'string' as const, enum: ['true'] },
    example: 'true',
  },
  'WWW-Authenticate': {
    description: 'The Bearer challenge; `error="invalid_token"` when a key was sent but refused.',
    schema: text,
    example: 'Bearer realm="paygate", error="invalid_token"',
  },
};
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

const RATE_LIMIT_HEADERS: ResponseHeaderName[] = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'RateLimit-Policy',
  'RateLimit',
];

/** Which headers an operation's answers carry. */
interface Style {
  /** /api/v1 routes: every answer describes a rate-limit window. */
  rateLimited: boolean;
  /** Routes behind an API key: a 401 carries the Bearer challenge. */
  authenticated: boolean;
  /** POST /deposits and /withdrawals: 202 has Location; a stored answer is replayed with Idempotent-Replayed. */
  creates: boolean;
}

const SYSTEM: Style = { rateLimited: false, authenticated: false, creates: false };
const LOGIN: Style = { rateLimited: true, authenticated: false, creates: false };
export const READ: Style = { rateLimited: true, authenticated: true, creates: false };
const CREATE: Style = { rateLimited: true, authenticated: true, creates: true };

function headersFor(style: Style, status: number): Record<string, { $ref: string }> {
  const names: ResponseHeaderName[] = ['X-Request-ID'];
  if (style.rateLimited) names.push(...RATE_LIMIT_HEADERS);
  if (status === 429) names.push('Retry-After');
  if (status === 401 && style.authenticated) names.push('WWW-Authenticate');
  if (style.creates && status === 202) names.push('Location');
  // A stored answer (the 202, or a refused withdrawal's 400) is replayed with the header.
  if (style.creates && (status === 202 || status === 400)) names.push('Idempotent-Replayed');
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

// --- responses ---------------------------------------------------------------------------------------------

export type ErrorName = keyof typeof ERROR_EXAMPLES;

interface Success {
  description: string;
  schema: z.ZodType;
  examples: Record<string, Example>;
  mediaType?: 'application/json' | 'text/html' | 'text/plain' | 'text/event-stream';
}

/**
 * Every status an operation answers with: its successes, and its errors filed under the status their code
 * maps to, each with the examples that show it and the headers it carries.
 */
export function responses(
  style: Style,
  successes: Record<number, Success>,
  errors: ErrorName[],
): Record<string, ResponseConfig> {
  const result: Record<string, ResponseConfig> = {};
  for (const [status, success] of Object.entries(successes)) {
    result[status] = {
      description: success.description,
      headers: headersFor(style, Number(status)),
      content: { [success.mediaType ?? 'application/json']: { schema: success.schema, examples: success.examples } },
    };
  }
  const byStatus = new Map<number, [ErrorName, ErrorExample][]>();
  for (const name of errors) {
    const example: ErrorExample = ERROR_EXAMPLES[name];
    const status = HTTP_STATUS_BY_CODE[example.code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), [name, example]]);
  }
  for (const [status, examples] of [...byStatus].sort(([left], [right]) => left - right)) {
    result[String(status)] = {
      description: describeErrors(examples.map(([, example]) => example)),
      headers: headersFor(style, status),
      content: {
        'application/json': {
          schema: status === 429 ? RateLimitErrorBody : ErrorBody,
          examples: Object.fromEntries(
            examples.map(([name, example]) => [name, { summary: example.summary, value: example.value }]),
          ),
        },
      },
    };
  }
  return result;
}

/** "`unauthorized`: no API key; unknown or revoked API key. `forbidden`: ..." */
function describeErrors(examples: ErrorExample[]): string {
  const byCode = new Map<string, string[]>();
  for (const example of examples) byCode.set(example.code, [...(byCode.get(example.code) ?? []), example.summary]);
  return [...byCode].map(([code, summaries]) => `\`${code}\`: ${summaries.join('; ')}.`).join(' ');
}

export function json(description: string, schema: z.ZodType, examples: Record<string, Example>): Success {
  return { description, schema, examples };
}

export const secured: Record<string, string[]>[] = [{ ApiKey: [] }, { Bearer: [] }, { Session: [] }];

export function samples(request: SampleRequest): Pick<RouteConfig, 'x-codeSamples'> {
  return { 'x-codeSamples': codeSamples(request) };
}

// --- operations --------------------------------------------------------------------------------------------

/** Errors every body-reading route can answer, before it looks at the fields. */
export const BODY_ERRORS: ErrorName[] = [
  'invalidJson',
  'duplicateJsonKey',
  'nestingTooDeep',
  'tooLarge',
  'notJson',
  'compressed',
];
export const KEY_ERRORS: ErrorName[] = ['keyMissing', 'keyInvalid'];

function register(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'Your API key, e.g. `pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d` in development.',
  });
  registry.registerComponent('securitySchemes', 'Bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The same API key as a Bearer token.',
  });
  registry.registerComponent('securitySchemes', 'Session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'paygate_session',
    description:
      "The web app's session cookie, set by `POST /api/v1/auth/login` (httpOnly, SameSite=Strict, Path=/api). A request that changes something with it must come from an allowed web origin (403 `origin_not_allowed`). It has rate-limit budgets of its own, apart from the same user's API key.",
  });
  for (const [name, header] of Object.entries(RESPONSE_HEADERS)) registry.registerComponent('headers', name, header);

  registerLogin(registry);
  registerSession(registry);
  registerEvents(registry);
  for (const kind of ['deposits', 'withdrawals'] as const) registerTransactions(registry, kind);
  registerUsers(registry);
  registerWebhook(registry);
  registerWebhookEndpoints(registry);
  registerSystem(registry);
  registerAdmin(registry);
}

function registerLogin(registry: OpenAPIRegistry): void {
  const answer = {
    id: 1,
    email: 'alice@example.com',
    currency: 'USD',
    created_at: '2026-11-27T10:00:00.000Z',
    user_id: 1,
    api_key: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d',
    message: LOGIN_MESSAGE,
  };
  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Log in with email and API key',
    description:
      "Checks an email and one of its API keys together and answers the user. Paygate's form is `{email, api_key}`; the seed's clients send `{username, password}` (the email and the key) and read `user_id`, `api_key` (the key they sent, echoed) and `message`, which the answer carries for them.\n\nA wrong email and a wrong key get the same 401. Every attempt counts against the client address's login window (10 a minute), and failures also against the email's (5 a minute); past either, 429. A correct email and key always log in, so nobody can lock another user out.",
    tags: ['Login'],
    security: [],
    request: {
      body: {
        content: {
          'application/json': {
            schema: LoginBody,
            examples: {
              email: {
                summary: "Paygate's form",
                value: { email: 'alice@example.com', api_key: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d' },
              },
              seed: {
                summary: "The seed's form",
                value: { username: 'alice@example.com', password: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d' },
              },
            },
          },
        },
      },
    },
    responses: responses(
      LOGIN,
      {
        200: json('The user the key belongs to, with the fields the seed answered.', LoginAnswerWire, {
          loggedIn: { summary: 'Logged in', value: answer },
        }),
      },
      [...BODY_ERRORS, 'loginRefused', 'loginEmailInvalid', 'loginFieldMissing', 'rateLimited'],
    ),
    ...samples({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: 'alice@example.com', api_key: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d' },
    }),
  });
}

/** The web app's session: who is logged in, and logging out. */
function registerSession(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/auth/me',
    summary: 'Who is logged in',
    description:
      'The user of the session cookie (or of the API key). The web app asks it at start to learn whether its cookie is still live.',
    tags: ['Login'],
    security: secured,
    responses: responses(
      READ,
      {
        200: json('The user.', UserWire, {
          me: {
            summary: 'Logged in',
            value: { id: 1, email: 'alice@example.com', currency: 'USD', created_at: '2026-11-27T10:00:00.000Z' },
          },
        }),
      },
      [...KEY_ERRORS, 'rateLimited'],
    ),
    ...samples({ method: 'GET', path: '/api/v1/auth/me', apiKey: true }),
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Log out',
    description:
      'Ends the session of the `paygate_session` cookie and clears the cookie: 200 whether or not a session was live. An API key is not affected: revoke it with `pnpm paygate key revoke`. Revoking a key also ends every session opened with it.',
    tags: ['Login'],
    security: [],
    responses: responses(
      LOGIN,
      {
        200: json('Logged out; the cookie is cleared.', LogoutAnswerWire, {
          loggedOut: { summary: 'Logged out', value: { message: LOGOUT_MESSAGE } },
        }),
      },
      ['originNotAllowed', 'rateLimited'],
    ),
    ...samples({ method: 'POST', path: '/api/v1/auth/logout' }),
  });
}

/** The live stream of a user's changes. */
function registerEvents(registry: OpenAPIRegistry): void {
  const settled = JSON.stringify({ ...DEPOSIT_PENDING, status: 'success', bank_reference: 'BNK-9F3K2Q7M' });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/events',
    summary: 'Live updates (Server-Sent Events)',
    description: [
      "A `text/event-stream` of your own changes, as they commit: `transaction.updated` (its `id:` is the change's event id; `data:` is the transaction exactly as `GET /api/v1/deposits/{id}` answers it, without the audit events) and `balance.updated` (`data:` as `GET /api/v1/users/{user_id}/balance`; no id). Every stream starts with a `balance.updated`.",
      'Resume after a dropped connection with the `Last-Event-ID` header (browsers send it by themselves) or `?last_event_id=`: the changes after that id are replayed from the database, in order, then the stream goes on live. A comment line (`: heartbeat`) comes every `EVENTS_HEARTBEAT_S` seconds while nothing happens. The stream ends when the session or key that opened it ends.',
      'At most `EVENTS_STREAMS_PER_USER_MAX` open streams per user and api process (429 beyond). Works with the API key or the web session cookie.',
    ].join('\n\n'),
    tags: ['Users'],
    security: secured,
    request: {
      query: z.object({
        last_event_id: z
          .string()
          .regex(/^\d{1,15}$/)
          .optional()
          .meta({ description: 'Replay the changes after this event id (as the Last-Event-ID header).' }),
      }),
    },
    responses: responses(
      READ,
      {
        200: {
          description: 'The stream; it stays open.',
          schema: z.string(),
          mediaType: 'text/event-stream',
          examples: {
            stream: {
              summary: 'A deposit settles',
              value: `retry: 2000\n\nevent: balance.updated\ndata: {"user_id":1,"balance":"1000.00","available_balance":"1000.00","currency":"USD"}\n\nid: 1043\nevent: transaction.updated\ndata: ${settled}\n\nevent: balance.updated\ndata: {"user_id":1,"balance":"1100.50","available_balance":"1100.50","currency":"USD"}\n\n: heartbeat\n\n`,
            },
          },
        },
      },
      [...KEY_ERRORS, 'lastEventIdInvalid', 'tooManyStreams'],
    ),
    ...samples({ method: 'GET', path: '/api/v1/events', apiKey: true }),
  });
}

function registerTransactions(registry: OpenAPIRegistry, kind: 'deposits' | 'withdrawals'): void {
  const isDeposit = kind === 'deposits';
  const noun = isDeposit ? 'deposit' : 'withdrawal';
  const pending = isDeposit ? DEPOSIT_PENDING : WITHDRAWAL_PENDING;
  const detail = isDeposit ? DEPOSIT_DETAIL : WITHDRAWAL_DETAIL;
  const tag = isDeposit ? 'Deposits' : 'Withdrawals';
  const amount = isDeposit ? '100.50' : '25.00';

  registry.registerPath({
    method: 'post',
    path: `/api/v1/${kind}`,
    summary: `Create a ${noun}`,
    description: [
      `Accepts the ${noun} at once (202, \`pending\`) and settles it with the bank asynchronously: follow it with \`GET /api/v1/${kind}/{id}\` (the \`Location\` header) until \`status\` is \`success\` or \`failed\`.`,
      isDeposit
        ? 'On success the amount is credited to the wallet; on failure nothing moves.'
        : 'The amount is held from the available balance at once, so two withdrawals can never spend the same money; on success the hold is posted, on failure it is released. More than the available balance is refused (400 `insufficient_balance`) and nothing is created.',
      'The `Idempotency-Key` header is required: the same key and body again replay the first answer with `Idempotent-Replayed: true`; the same key with another body is 422 `idempotency_key_reused`.',
    ].join('\n\n'),
    tags: [tag],
    security: secured,
    request: {
      headers: z.object({
        'Idempotency-Key': IdempotencyKey.meta({
          description: `1-255 printable ASCII characters, unique per ${noun}; reuse it only to retry this ${noun}. In "Try it", the sample \`${IDEMPOTENCY_KEY_SAMPLE}\` (or an empty field) is replaced by a fresh UUID on every send; type your own key to see a replay.`,
        }),
      }),
      body: {
        content: {
          'application/json': {
            schema: CreateTransactionBody,
            examples: {
              string: { summary: 'Amount as a decimal string', value: { amount, currency: 'USD' } },
              number: { summary: 'Amount as a JSON number', value: { amount: Number(amount) } },
            },
          },
        },
      },
    },
    responses: responses(
      CREATE,
      {
        202: json(
          `The ${noun}, \`pending\`. A replay of the same key and body answers the same, with \`Idempotent-Replayed: true\`.`,
          TransactionWire,
          { accepted: { summary: 'Accepted', value: pending } },
        ),
      },
      [
        'keyHeaderMissing',
        'keyHeaderTwice',
        ...(isDeposit ? [] : (['insufficientBalance'] as ErrorName[])),
        ...BODY_ERRORS,
        ...KEY_ERRORS,
        'keyInProgress',
        'amountNegative',
        'amountDecimals',
        'currencyOther',
        'keyReused',
        'keyInvalid422',
        'rateLimited',
      ],
    ),
    ...samples({
      method: 'POST',
      path: `/api/v1/${kind}`,
      apiKey: true,
      idempotent: true,
      body: { amount, currency: 'USD' },
    }),
  });

  registry.registerPath({
    method: 'get',
    path: `/api/v1/${kind}/{id}`,
    summary: `Get a ${noun} with its audit trail`,
    description: `The ${noun} and its \`events\`, oldest first: every status change with its cause (\`api.create\`, \`worker.submit\`, \`bank.webhook\`, \`reconciler\`...), bank reference, error and request id. Poll it (every second or two) until \`status\` is \`success\` or \`failed\`; detail reads count only against the per-client window.`,
    tags: [tag],
    security: secured,
    request: { params: TransactionIdParams },
    responses: responses(
      READ,
      {
        200: json(`The ${noun} and its events in order.`, TransactionDetailWire, {
          [isDeposit ? 'settled' : 'failed']: { summary: isDeposit ? 'Settled' : 'Refused by the bank', value: detail },
        }),
      },
      [
        ...KEY_ERRORS,
        isDeposit ? 'depositNotFound' : 'withdrawalNotFound',
        'idNotInteger',
        'badPathEncoding',
        'rateLimited',
      ],
    ),
    ...samples({ method: 'GET', path: `/api/v1/${kind}/${pending.id}`, apiKey: true }),
  });

  registry.registerPath({
    method: 'get',
    path: `/api/v1/${kind}`,
    summary: `List your ${kind}, newest first`,
    description: `A page of your ${kind} (see Pagination). History and lists share one window of 20 requests a minute per user.`,
    tags: [tag],
    security: secured,
    request: { query: TransactionListQuery },
    responses: responses(
      READ,
      {
        200: json('A page.', TransactionPage, {
          page: {
            summary: 'A page with more after it',
            value: pageOf([isDeposit ? DEPOSIT_SETTLED : { ...WITHDRAWAL_PENDING }], {
              limit: 1,
              total: 7,
              next_cursor: 'MTc2NDIyOTMxMjEyMzo0Mg',
            }),
          },
          estimatedTotal: {
            summary: 'A long history: past the exact-count bound, total is an estimate',
            value: pageOf([isDeposit ? DEPOSIT_SETTLED : { ...WITHDRAWAL_PENDING }], {
              limit: 1,
              total: 1_204_330,
              total_is_estimate: true,
              next_cursor: 'MTc2NDIyOTMxMjEyMzo0Mg',
            }),
          },
        }),
      },
      [
        ...KEY_ERRORS,
        'limitTooBig',
        'cursorForeign',
        'dateInvalid',
        'amountFilterInvalid',
        'amountRangeInverted',
        'unknownParameter',
        'rateLimited',
      ],
    ),
    ...samples({
      method: 'GET',
      path: `/api/v1/${kind}`,
      apiKey: true,
      query: { limit: 20, created_from: '2026-11-01', amount_min: '100.00', amount_max: '1000' },
    }),
  });
}

function registerUsers(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/users/{user_id}/balance',
    summary: 'Balance and available balance',
    description:
      '`balance` is what the ledger holds; `available_balance` is what you can withdraw: the balance minus the holds of pending withdrawals. Your own user only. Limited to 10 a minute per user.',
    tags: ['Users'],
    security: secured,
    request: { params: UserIdParams },
    responses: responses(
      READ,
      {
        200: json('The balance.', BalanceWire, {
          withHold: {
            summary: 'With a withdrawal pending',
            value: { user_id: 1, balance: '1000.00', available_balance: '975.00', currency: 'USD' },
          },
        }),
      },
      [...KEY_ERRORS, 'otherUser', 'userIdNotInteger', 'rateLimited'],
    ),
    ...samples({ method: 'GET', path: '/api/v1/users/1/balance', apiKey: true }),
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/users/{user_id}/transactions',
    summary: 'Transaction history, newest first',
    description:
      'Deposits and withdrawals together, filtered by `type`, `status`, `created_from`/`created_to` and `amount_min`/`amount_max` if you like (see Pagination). Your own user only.',
    tags: ['Users'],
    security: secured,
    request: { params: UserIdParams, query: UserTransactionListQuery },
    responses: responses(
      READ,
      {
        200: json('A page.', TransactionPage, {
          lastPage: {
            summary: 'The last page',
            value: pageOf([WITHDRAWAL_PENDING, DEPOSIT_SETTLED], { limit: 10, total: 2, next_cursor: null }),
          },
        }),
      },
      [
        ...KEY_ERRORS,
        'otherUser',
        'typeInvalid',
        'limitTooBig',
        'dateInvalid',
        'amountFilterInvalid',
        'amountRangeInverted',
        'rateLimited',
      ],
    ),
    ...samples({
      method: 'GET',
      path: '/api/v1/users/1/transactions',
      apiKey: true,
      query: { type: 'withdrawal', limit: 10 },
    }),
  });
}

function registerWebhook(registry: OpenAPIRegistry): void {
  const ack = (outcome: string) => ({ received: true, outcome, request_id: REQUEST_ID_SAMPLE });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/bank-callback',
    summary: 'Bank settlement callback (signed)',
    description:
      "Called by the bank, not by integrators: it reports how an order ended. Authenticated by its HMAC-SHA256 signature over the canonical JSON (see Bank webhooks for the rules and a verification sample), not by an API key, and not rate limited. It settles only the order the gateway placed: `order_key` (our bank's form) or, in the seed's form, the stored `bank_reference` binds it; `amount` and `currency`, when present, must match. Replays and duplicates answer 200 and change nothing. The examples are signed with the development secret `dev-webhook-secret-change-me`.",
    tags: ['Bank webhooks'],
    request: {
      body: {
        content: {
          'application/json': {
            schema: BankWebhookPayload,
            examples: {
              success: { summary: "Success, our bank's form (every field)", value: WEBHOOK_FULL },
              failed: { summary: "Failure, our bank's form", value: WEBHOOK_FAILED },
              seed: { summary: "The seed's form (bound by the stored bank reference)", value: WEBHOOK_SEED_FORM },
            },
          },
        },
      },
    },
    responses: responses(
      SYSTEM,
      {
        200: json(
          'Received. `applied` settled the transaction; `duplicate` and `ignored` changed nothing; `conflict` contradicts a final outcome and is kept for operators.',
          WebhookAck,
          {
            applied: { summary: 'Applied: the transaction is settled', value: ack('applied') },
            duplicate: { summary: 'The same webhook again', value: ack('duplicate') },
            ignored: { summary: 'Already final with this outcome', value: ack('ignored') },
            conflict: { summary: 'Contradicts the final outcome (kept for operators)', value: ack('conflict') },
          },
        ),
      },
      [
        'invalidJson',
        'nestingTooDeep',
        'signatureInvalid',
        'webhookStale',
        'webhookUnknownTransaction',
        'webhookNotReady',
        'webhookMismatch',
        'tooLarge',
        'notJson',
        'compressed',
        'webhookBodyInvalid',
      ],
    ),
    'x-codeSamples': webhookSamples(),
  });
}

function registerSystem(registry: OpenAPIRegistry): void {
  const check = (status: 'up' | 'down', latency: number) => ({ status, latency_ms: latency });
  const health = (status: string, redis: 'up' | 'down', postgres: 'up' | 'down' = 'up') => ({
    status,
    service: 'paygate-api',
    version: '0.1.0',
    checks: {
      postgres: check(postgres, postgres === 'up' ? 1.4 : 1500),
      redis: check(redis, redis === 'up' ? 0.6 : 1500),
      rabbitmq: check('up', 0.9),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Readiness: health of PostgreSQL, Redis and RabbitMQ',
    description:
      'Checks each dependency (with a timeout) on every call; point a readiness probe at it. `healthy` (200); `degraded` (200) when a dependency the API can serve without is down: RabbitMQ (the API only writes the outbox) or Redis with fail-open limits; `unhealthy` (503) when it cannot serve: PostgreSQL down, or Redis down with fail-closed limits. The answer never says why a dependency is down; the log does.',
    tags: ['System'],
    responses: responses(
      SYSTEM,
      {
        200: json('`healthy`, or `degraded`.', HealthWire, {
          healthy: { summary: 'Every dependency answers', value: health('healthy', 'up') },
          degraded: { summary: 'Redis down, limits fail open', value: health('degraded', 'down') },
        }),
        503: json('`unhealthy`: the API cannot serve.', HealthWire, {
          unhealthy: { summary: 'PostgreSQL down', value: health('unhealthy', 'up', 'down') },
        }),
      },
      [],
    ),
    ...samples({ method: 'GET', path: '/health' }),
  });
  registry.registerPath({
    method: 'get',
    path: '/health/live',
    summary: 'Liveness: the process answers',
    description:
      'Checks no dependency, so a database outage never gets the API restarted; point a liveness probe at it.',
    tags: ['System'],
    responses: responses(
      SYSTEM,
      {
        200: json('The process is running.', LivenessWire, {
          alive: { summary: 'Alive', value: { status: 'alive', service: 'paygate-api', version: '0.1.0' } },
        }),
      },
      [],
    ),
    ...samples({ method: 'GET', path: '/health/live' }),
  });
  registry.registerPath({
    method: 'get',
    path: '/',
    summary: 'API info',
    description: "The seed's `message` and `version`, and links to everything else.",
    tags: ['System'],
    responses: responses(
      SYSTEM,
      { 200: json('Info.', InfoWire, { info: { summary: 'Info', value: infoOf('0.1.0') } }) },
      [],
    ),
    ...samples({ method: 'GET', path: '/' }),
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    description: 'The OpenAPI 3.1 document this page renders, for code generators and tools such as Postman.',
    tags: ['System'],
    responses: responses(
      SYSTEM,
      {
        200: json(
          'OpenAPI 3.1 JSON.',
          z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string() }) }),
          {
            document: {
              summary: 'The start of it',
              value: { openapi: '3.1.0', info: { title: 'Paygate API', version: '0.1.0' } },
            },
          },
        ),
      },
      [],
    ),
    ...samples({ method: 'GET', path: '/openapi.json' }),
  });
  registry.registerPath({
    method: 'get',
    path: '/docs',
    summary: 'This API reference',
    description: "This page: Scalar's API reference, served with its assets by the API itself (no CDN).",
    tags: ['System'],
    responses: responses(
      SYSTEM,
      {
        200: {
          description: 'HTML.',
          schema: z.string(),
          mediaType: 'text/html',
          examples: {
            page: {
              summary: 'The page',
              value: '<!doctype html>\n<html>\n  <head>\n    <title>Paygate API reference</title>',
            },
          },
        },
      },
      [],
    ),
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    description:
      'Request latency by route and status, creates and webhooks by outcome, rate-limit refusals, dependency health, process metrics.',
    tags: ['System'],
    responses: responses(
      SYSTEM,
      {
        200: {
          description: 'Prometheus text format.',
          schema: z.string(),
          mediaType: 'text/plain',
          examples: {
            metrics: {
              summary: 'An excerpt',
              value:
                '# HELP paygate_api_http_request_duration_seconds HTTP request latency\n# TYPE paygate_api_http_request_duration_seconds histogram\npaygate_api_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/users/:user_id/balance",status="200"} 12',
            },
          },
        },
      },
      [],
    ),
  });
}

/** The webhook is signed, so its samples sign the payload rather than send a fixed body. */
function webhookSamples(): { lang: string; label: string; source: string }[] {
  const { signature: _signature, ...payload } = WEBHOOK_FULL;
  const url = `${SAMPLE_BASE_URL}/webhooks/bank-callback`;
  return [
    {
      lang: 'shell',
      label: 'curl',
      source: [
        '# A real one for a transaction in your database, signed with your WEBHOOK_SECRET:',
        '#   pnpm paygate webhook sign --transaction-id 42 --status success | sh',
        '# This one is signed with the development secret (dev-webhook-secret-change-me):',
        `curl -sS -X POST '${url}' \\\n  -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify(WEBHOOK_FULL)}'`,
      ].join('\n'),
    },
    {
      lang: 'javascript',
      label: 'JavaScript',
      source: [
        "import { createHmac } from 'node:crypto';",
        '',
        '// canonicalJson(): see "Bank webhooks" in the introduction.',
        `const payload = ${JSON.stringify({ ...payload, timestamp: 0 })};`,
        'payload.timestamp = Math.floor(Date.now() / 1000);',
        "payload.signature = createHmac('sha256', process.env.WEBHOOK_SECRET).update(canonicalJson(payload)).digest('hex');",
        `const response = await fetch('${url}', {`,
        "  method: 'POST',",
        "  headers: { 'Content-Type': 'application/json' },",
        '  body: JSON.stringify(payload),',
        '});',
        'console.log(response.status, await response.json());',
      ].join('\n'),
    },
    {
      lang: 'python',
      label: 'Python',
      source: [
        'import hashlib',
        'import hmac',
        'import json',
        'import os',
        'import time',
        '',
        'import requests',
        '',
        `payload = ${JSON.stringify({ ...payload, timestamp: 0 }).replaceAll('null', 'None')}`,
        'payload["timestamp"] = int(time.time())',
        'canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))',
        'payload["signature"] = hmac.new(os.environ["WEBHOOK_SECRET"].encode(), canonical.encode(), hashlib.sha256).hexdigest()',
        `response = requests.post("${url}", json=payload, timeout=10)`,
        'print(response.status_code, response.json())',
      ].join('\n'),
    },
  ];
}

// --- the document ------------------------------------------------------------------------------------------

const TAGS = [
  { name: 'Login', description: "Email and API key in, the user out; the web app's door, and the seed's." },
  { name: 'Deposits', description: 'Money in: accepted at once (202), settled by the bank asynchronously.' },
  { name: 'Withdrawals', description: 'Money out: held at once from the available balance, then settled by the bank.' },
  { name: 'Users', description: 'Your balance and your history.' },
  {
    name: 'Webhook endpoints',
    description:
      'Outgoing webhooks, Standard Webhooks form: Paygate POSTs every change of your transactions to your endpoints, signed with their secret.',
  },
  { name: 'Bank webhooks', description: 'The bank tells the gateway how an order ended; signed with HMAC-SHA256.' },
  { name: 'System', description: 'Info, health probes, this reference, metrics.' },
  ADMIN_TAG,
];

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function buildOpenApiDocument(options: { version?: string; serverUrl?: string } = {}): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  register(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Paygate API',
      version: options.version ?? '0.1.0',
      description: `${API_GUIDE}\n\n${OPERATORS_GUIDE}`,
    },
    servers: [{ url: options.serverUrl ?? SAMPLE_BASE_URL }],
    tags: TAGS,
  });
}

/** The endpoints of DESIGN.md's HTTP contract; a test checks each is documented. */
export const DESIGN_ENDPOINTS: EndpointSpec[] = [
  { method: 'post', path: '/api/v1/auth/login' },
  { method: 'post', path: '/api/v1/auth/logout' },
  { method: 'get', path: '/api/v1/events' },
  { method: 'post', path: '/api/v1/deposits' },
  { method: 'get', path: '/api/v1/deposits/{id}' },
  { method: 'get', path: '/api/v1/deposits' },
  { method: 'post', path: '/api/v1/withdrawals' },
  { method: 'get', path: '/api/v1/withdrawals/{id}' },
  { method: 'get', path: '/api/v1/withdrawals' },
  { method: 'get', path: '/api/v1/users/{user_id}/balance' },
  { method: 'get', path: '/api/v1/users/{user_id}/transactions' },
  { method: 'post', path: '/api/v1/webhook-endpoints' },
  { method: 'get', path: '/api/v1/webhook-endpoints' },
  { method: 'get', path: '/api/v1/webhook-endpoints/{id}' },
  { method: 'delete', path: '/api/v1/webhook-endpoints/{id}' },
  { method: 'post', path: '/api/v1/webhook-endpoints/{id}/rotate-secret' },
  { method: 'get', path: '/api/v1/webhook-endpoints/{id}/deliveries' },
  { method: 'post', path: '/api/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry' },
  { method: 'post', path: '/webhooks/bank-callback' },
  { method: 'get', path: '/health' },
  { method: 'get', path: '/' },
  { method: 'get', path: '/docs' },
  { method: 'get', path: '/openapi.json' },
  { method: 'get', path: '/metrics' },
];
