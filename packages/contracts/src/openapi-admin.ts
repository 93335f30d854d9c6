import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { HTTP_STATUS_BY_CODE } from '@paygate/domain/errors';

import {
  ADMIN_ROUTES,
  AdminPaymentListQuery,
  AdminPaymentPage,
  AdminUserDetailWire,
  AdminUserListQuery,
  AdminUserPage,
  AuditListQuery,
  AuditPage,
  DeadLetterListQuery,
  DeadLetterPage,
  IssuedKeyWire,
  LedgerCheckWire,
  OPERATOR_PASSWORD_LENGTH_MAX,
  OPERATOR_PASSWORD_LENGTH_MIN,
  OPERATOR_SESSION_COOKIE,
  OperatorLoginBody,
  OperatorWire,
  OverviewWire,
  PaymentStoryWire,
  REPAIR_REASON_LENGTH_MAX,
  REPAIR_REASON_LENGTH_MIN,
  RepairBody,
  RepairResultWire,
} from './admin';
import type { ErrorExample, Example } from './openapi-examples';
import { ERROR_EXAMPLES } from './openapi-examples';
import {
  ADMIN_ERROR_EXAMPLES,
  AUDIT_ENTRIES,
  DEAD_LETTER_REPLAYED,
  DEAD_LETTER_WAITING,
  DEPOSIT_SETTLED_ADMIN,
  LEDGER_BALANCED,
  LEDGER_DRIFT,
  OPERATOR_SAMPLE,
  OVERVIEW_EMPTY,
  OVERVIEW_SAMPLE,
  REPAIR_RESULTS,
  SESSION_COOKIE_SAMPLE,
  SETTLED_STORY,
  STUCK_PAYMENT,
  STUCK_STORY,
  USER_DETAIL_SAMPLE,
  VIEWER_SAMPLE,
} from './openapi-admin-examples';
import type { CodeSample, SampleRequest } from './openapi-samples';
import { codeSamples, SAMPLE_BASE_URL } from './openapi-samples';
import { ErrorBody, RateLimitErrorBody } from './common';

/**
 * The operator API (/api/v1/admin, ADMIN_ROUTES) in the OpenAPI document, under its own tag: what the
 * operator console calls. It opens with the operator session cookie (the OperatorSession scheme), not an
 * API key, so its answers carry other headers than the public API's: Set-Cookie on login and logout, no
 * Bearer challenge, and no rate-limit window on a 401 (the window is the operator's, known only once the
 * session is). openapi.ts calls registerAdmin; the contracts test holds it to the same rules as the rest.
 */

/** The introduction's section on operators: how to get one, what each role may do, sessions, the audit log. */
export const OPERATORS_GUIDE = `## Operators

The operator API (\`/api/v1/admin\`, the **Operator console** operations below) is what the operator console
(\`apps/console\`, http://localhost:5600 with \`pnpm start\`) calls to find, understand and repair payments.
Operators are **their own accounts**, never users: a user's API key or web session never opens these routes,
and an operator session never opens a user's.

**Create one** with the CLI (on a fresh stack, the first one):

\`\`\`bash
pnpm paygate operator create --email ops@example.com --role operator
# created operator 1 ops@example.com (operator)
# password (shown once, store it now): …
echo 'a passphrase of 12 or more characters' | pnpm paygate operator create --email viewer@example.com --role viewer
pnpm paygate operator list
\`\`\`

Without a piped password one is generated and shown once; passwords (${OPERATOR_PASSWORD_LENGTH_MIN}-${OPERATOR_PASSWORD_LENGTH_MAX} characters) are
stored only as a scrypt hash.

**Roles.** A \`viewer\` may look at everything: the overview, payments and their stories, users, dead
letters, the ledger check and the audit log. An \`operator\` may also change things: reconcile, retry or
fail a payment, replay a dead letter, issue and revoke a user's API keys. A viewer asking for a change gets
**403** \`forbidden\`.

**Login and sessions.** \`POST /api/v1/admin/auth/login\` with \`{email, password}\` sets the cookie
\`paygate_operator_session\`: an opaque random token (stored as its SHA-256), httpOnly, SameSite=Strict and
\`Path=/api/v1/admin\`, so browsers (which share cookies across ports) never send it to the users' API, and
the users' \`paygate_session\` never reaches this one. A session ends after \`OPERATOR_SESSION_IDLE_MIN\` [30]
minutes unused, \`OPERATOR_SESSION_ABSOLUTE_HOURS\` [12] hours after login, or at logout; then every route
answers **401** \`unauthorized\`. Login is limited per address (\`RATE_LIMIT_OPERATOR_LOGIN_PER_MIN\` [10]) and
failures per email (\`RATE_LIMIT_OPERATOR_LOGIN_FAILURES_PER_EMAIL_PER_MIN\` [5]); each operator has a window
of \`RATE_LIMIT_OPERATOR_PER_MIN\` [600] requests. A request that changes something and comes from a browser
page must come from one of \`CONSOLE_ORIGINS\`, else **403** \`origin_not_allowed\`. Outside a browser, the
samples send the cookie from \`PAYGATE_OPERATOR_SESSION\`:

\`\`\`bash
export PAYGATE_OPERATOR_SESSION=…   # the value of paygate_operator_session from login's Set-Cookie
curl -sS -b "paygate_operator_session=$PAYGATE_OPERATOR_SESSION" '${SAMPLE_BASE_URL}/api/v1/admin/payments?stuck=true'
\`\`\`

**Repairs** go through the same money paths as the rest of the system, never around them: reconcile asks the
bank and settles as its webhook would, retry queues the payment through the outbox with the same order key,
fail settles it as failed and releases a withdrawal's hold once. A final payment (\`success\`, \`failed\`)
refuses every repair with **409** \`repair_refused\`, and no repair touches a balance directly.

**Audit.** Every action (login, logout, each repair, replay, key issued or revoked) is written to the audit
log with who, what, which payment, user or dead letter, the \`reason\` a change requires (${REPAIR_REASON_LENGTH_MIN}-${REPAIR_REASON_LENGTH_MAX} characters), the
outcome and the request id (a key issued or revoked writes its row in the same database transaction).
\`GET /api/v1/admin/audit\` lists it, and a payment's story shows its own entries.`;

export const ADMIN_TAG = {
  name: 'Operator console',
  description:
    'The operator API under `/api/v1/admin`, for the operator console (`apps/console`): find, understand and repair any payment. Operators are their own accounts (`pnpm paygate operator create`), logged in with a session cookie; a user\'s API key never opens these routes. See "Operators" in the introduction.',
};

export const OPERATOR_SECURITY_SCHEME = {
  type: 'apiKey' as const,
  in: 'cookie' as const,
  name: OPERATOR_SESSION_COOKIE,
  description:
    'The operator session: `POST /api/v1/admin/auth/login` sets it (httpOnly, SameSite=Strict, `Path=/api/v1/admin`, so no other route ever receives it). Outside a browser, send it as `Cookie: paygate_operator_session=<value>`.',
};

/** The headers only operator answers carry; registered beside the public API's. */
export const ADMIN_RESPONSE_HEADERS = {
  'Set-Cookie': {
    description:
      'Login: the operator session `paygate_operator_session` (httpOnly, SameSite=Strict, Path=/api/v1/admin, Secure in production), ending at its absolute expiry. Logout: the same cookie, emptied and expired.',
    schema: { type: 'string' as const },
    example: SESSION_COOKIE_SAMPLE,
  },
};

const RATE_LIMIT_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'RateLimit-Policy',
  'RateLimit',
];

/**
 * Which headers an operator answer carries. Login is counted per address before anything else; the
 * session routes count per operator once the session is known, so their 401 has no window; logout counts
 * nothing.
 */
type Window = 'login' | 'session' | 'none';

function headersFor(window: Window, status: number, setsCookie: boolean): Record<string, { $ref: string }> {
  const names = ['X-Request-ID'];
  if (window === 'login' || (window === 'session' && status !== 401)) names.push(...RATE_LIMIT_HEADERS);
  if (status === 429) names.push('Retry-After');
  if (setsCookie && status < 300) names.push('Set-Cookie');
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

type AdminErrorName = keyof typeof ADMIN_ERROR_EXAMPLES;
type PublicErrorName = keyof typeof ERROR_EXAMPLES;
type ErrorName = AdminErrorName | PublicErrorName;

function errorExample(name: ErrorName): ErrorExample {
  return name in ADMIN_ERROR_EXAMPLES
    ? ADMIN_ERROR_EXAMPLES[name as AdminErrorName]
    : ERROR_EXAMPLES[name as PublicErrorName];
}

interface Success {
  description: string;
  schema?: z.ZodType;
  examples?: Record<string, Example>;
}

function responses(
  window: Window,
  successes: Record<number, Success>,
  errors: ErrorName[],
  options: { setsCookie?: boolean } = {},
): Record<string, ResponseConfig> {
  const setsCookie = options.setsCookie ?? false;
  const result: Record<string, ResponseConfig> = {};
  for (const [status, success] of Object.entries(successes)) {
    result[status] = {
      description: success.description,
      headers: headersFor(window, Number(status), setsCookie),
      ...(success.schema === undefined
        ? {}
        : { content: { 'application/json': { schema: success.schema, examples: success.examples ?? {} } } }),
    };
  }
  const byStatus = new Map<number, [ErrorName, ErrorExample][]>();
  for (const name of errors) {
    const example = errorExample(name);
    const status = HTTP_STATUS_BY_CODE[example.code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), [name, example]]);
  }
  for (const [status, examples] of [...byStatus].sort(([left], [right]) => left - right)) {
    result[String(status)] = {
      description: describeErrors(examples.map(([, example]) => example)),
      headers: headersFor(window, status, setsCookie),
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

function describeErrors(examples: ErrorExample[]): string {
  const byCode = new Map<string, string[]>();
  for (const example of examples) byCode.set(example.code, [...(byCode.get(example.code) ?? []), example.summary]);
  return [...byCode].map(([code, summaries]) => `\`${code}\`: ${summaries.join('; ')}.`).join(' ');
}

function json(description: string, schema: z.ZodType, examples: Record<string, Example>): Success {
  return { description, schema, examples };
}

/** ADMIN_ROUTES' 'POST /api/v1/admin/...' as the registry's method and path. */
function route(name: keyof typeof ADMIN_ROUTES): { method: 'get' | 'post'; path: string } {
  const [method, path] = ADMIN_ROUTES[name].split(' ');
  if ((method !== 'GET' && method !== 'POST') || path === undefined) throw new Error(`bad route ${name}`);
  return { method: method === 'GET' ? 'get' : 'post', path };
}

function samples(request: Omit<SampleRequest, 'operatorSession'>): Pick<RouteConfig, 'x-codeSamples'> {
  return { 'x-codeSamples': codeSamples({ ...request, operatorSession: true }) };
}

const session: Record<string, string[]>[] = [{ OperatorSession: [] }];
const TAGS = [ADMIN_TAG.name];

/** Every session route can answer these: no session, an ended one, and the operator's own window. */
const SESSION_ERRORS: ErrorName[] = ['noSession', 'sessionEnded', 'rateLimited'];
/** Routes that change something: the role, the console's origin, a JSON body with a reason. */
const CHANGE_ERRORS: ErrorName[] = [
  ...SESSION_ERRORS,
  'viewerChanging',
  'otherOrigin',
  'invalidJson',
  'tooLarge',
  'notJson',
  'reasonMissing',
  'reasonShort',
];

const Id = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .meta({ description: 'A positive integer id.', example: '4182' });
const IdParams = z.strictObject({ id: Id });
const KeyParams = z.strictObject({
  id: Id,
  prefix: z
    .string()
    .regex(/^pgk_[A-Za-z0-9_-]{1,16}$/)
    .meta({ description: 'The key prefix the user detail shows.', example: 'pgk_mvI1Qw' }),
});

/** Why an operator would do each repair: the reason goes to the audit log, so the samples give real ones. */
const REASON_SAMPLES = {
  reconcile: 'Stuck in processing for 18 minutes; no webhook came',
  retry: 'Never reached the bank: the worker was restarted mid-outage',
  fail: 'Bank confirmed by phone it holds no order for 4182',
  replay: 'Bank back up since 09:40',
} as const;

export function registerAdmin(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'OperatorSession', OPERATOR_SECURITY_SCHEME);
  for (const [name, header] of Object.entries(ADMIN_RESPONSE_HEADERS)) {
    registry.registerComponent('headers', name, header);
  }
  registerSession(registry);
  registerReads(registry);
  registerRepairs(registry);
  registerUsers(registry);
}

function registerSession(registry: OpenAPIRegistry): void {
  const body = { email: 'ops@example.com', password: 'correct horse battery staple' };
  registry.registerPath({
    ...route('login'),
    summary: 'Log in as an operator',
    description:
      "Checks an operator's email and password (scrypt) and sets the session cookie `paygate_operator_session` (`Path=/api/v1/admin`, httpOnly, SameSite=Strict; it ends after `OPERATOR_SESSION_IDLE_MIN` unused or `OPERATOR_SESSION_ABSOLUTE_HOURS` after login). A wrong password and an unknown email get the same 401. Attempts count against the address's window (`RATE_LIMIT_OPERATOR_LOGIN_PER_MIN`, enforced even without Redis), failures also against the email's (`RATE_LIMIT_OPERATOR_LOGIN_FAILURES_PER_EMAIL_PER_MIN`). From a browser, only the console's origins (`CONSOLE_ORIGINS`) may log in. Audited.",
    tags: TAGS,
    security: [],
    request: {
      body: {
        content: {
          'application/json': {
            schema: OperatorLoginBody,
            examples: { login: { summary: 'An operator', value: body } },
          },
        },
      },
    },
    responses: responses(
      'login',
      {
        200: json('The operator; `Set-Cookie` carries the session.', OperatorWire, {
          operator: { summary: 'An operator (may repair)', value: OPERATOR_SAMPLE },
          viewer: { summary: 'A viewer (may look)', value: VIEWER_SAMPLE },
        }),
      },
      [
        'invalidJson',
        'loginRefused',
        'otherOrigin',
        'tooLarge',
        'notJson',
        'loginEmailInvalid',
        'loginUnknownField',
        'rateLimited',
      ],
      { setsCookie: true },
    ),
    'x-codeSamples': loginSamples(body),
  });
  registry.registerPath({
    ...route('logout'),
    summary: 'Log out',
    description:
      'Ends the session for good (server side, not only the cookie) and expires the cookie. Answers 204 with or without a live session, so a console can always call it. Audited when a session ended.',
    tags: TAGS,
    security: [{ OperatorSession: [] }, {}],
    responses: responses(
      'none',
      { 204: { description: 'Logged out; `Set-Cookie` expires the cookie.' } },
      ['otherOrigin'],
      {
        setsCookie: true,
      },
    ),
    'x-codeSamples': logoutSamples(),
  });
  registry.registerPath({
    ...route('me'),
    summary: 'The operator of this session',
    description:
      'Who is logged in and with which role; the console asks on load to know whether to show the login page.',
    tags: TAGS,
    security: session,
    responses: responses(
      'session',
      { 200: json('The operator.', OperatorWire, { me: { summary: 'Logged in', value: OPERATOR_SAMPLE } }) },
      SESSION_ERRORS,
    ),
    ...samples({ method: 'GET', path: '/api/v1/admin/auth/me' }),
  });
}

function registerReads(registry: OpenAPIRegistry): void {
  registry.registerPath({
    ...route('overview'),
    summary: 'Overview: throughput, queues, workers, stuck payments',
    description:
      "The console's first page, polled: payments created per minute over the last hour by their status now, the success rate and create-to-settle latency (p50, p99) over the hour, each queue's depth and consumers and each worker's heartbeat (version, in flight, breaker state), the dead letters waiting for replay, the outbox backlog, the payments stuck in `pending` or `processing` past `OPERATOR_STUCK_AFTER_S`, rejected bank callbacks, and the last ledger check.",
    tags: TAGS,
    security: session,
    responses: responses(
      'session',
      {
        200: json('The figures.', OverviewWire, {
          busy: { summary: 'A busy hour: 4 stuck, a worker silent with its breaker open', value: OVERVIEW_SAMPLE },
          fresh: { summary: 'A fresh stack: nothing yet', value: OVERVIEW_EMPTY },
        }),
      },
      SESSION_ERRORS,
    ),
    ...samples({ method: 'GET', path: '/api/v1/admin/overview' }),
  });
  registry.registerPath({
    ...route('payments'),
    summary: 'Search payments across all users',
    description:
      "`q` is read by its shape: digits are a payment id, text with `@` a user's email, a UUID an order key, idempotency key or request id, anything else a bank reference, idempotency key or request id (exact matches, each an index lookup). Filters combine with it: `status`, `type`, `amount_min`/`amount_max`, `created_from`/`created_to`, and `stuck=true` (pending or processing past `OPERATOR_STUCK_AFTER_S`). Newest first, keyset-paged by `next_cursor`; p99 under 100 ms at a million payments (`pnpm bench search`).",
    tags: TAGS,
    security: session,
    request: { query: AdminPaymentListQuery },
    responses: responses(
      'session',
      {
        200: json('A page of payments.', AdminPaymentPage, {
          byEmail: {
            summary: "A user's payments, with more after them",
            value: {
              items: [STUCK_PAYMENT, DEPOSIT_SETTLED_ADMIN],
              limit: 2,
              has_more: true,
              next_cursor: 'MTc2NDQ5Mzg0MTAyMDo0MTgw',
            },
          },
          none: { summary: 'Nothing matches', value: { items: [], limit: 20, has_more: false, next_cursor: null } },
        }),
      },
      [
        ...SESSION_ERRORS,
        'statusInvalid',
        'amountInvalid',
        'amountRange',
        'dateInvalid',
        'dateRange',
        'limitTooBig',
        'cursorForeign',
        'unknownParameter',
      ],
    ),
    ...samples({
      method: 'GET',
      path: '/api/v1/admin/payments',
      query: { status: 'processing', stuck: 'true', limit: 50 },
    }),
  });
  registry.registerPath({
    ...route('paymentStory'),
    summary: "A payment's whole story",
    description:
      "Everything recorded about one payment, in time order: the request (request id, idempotency key, user), each status change with its cause, the outbox publish, each bank attempt with its answer, latency and the retry delay chosen (or the wait for an open breaker), every bank callback including refused ones with the reason, the ledger postings, dead letters and operators' actions. `failure` has the end user's text and the operator detail; `available_repairs` what applies now (none once final).",
    tags: TAGS,
    security: session,
    request: { params: IdParams },
    responses: responses(
      'session',
      {
        200: json('The story.', PaymentStoryWire, {
          stuck: { summary: 'A withdrawal waiting out a bank outage', value: STUCK_STORY },
          settled: { summary: 'A settled deposit, with a refused callback', value: SETTLED_STORY },
        }),
      },
      [...SESSION_ERRORS, 'paymentNotFound', 'idNotInteger'],
    ),
    ...samples({ method: 'GET', path: `/api/v1/admin/payments/${STUCK_PAYMENT.id}` }),
  });
  registry.registerPath({
    ...route('deadLetters'),
    summary: 'Dead-lettered messages',
    description:
      "Every message the worker dead-lettered, recorded in the database with its reason, payload and headers (so the list never drains RabbitMQ), newest first, with its payment's status now. `state=waiting` lists those not replayed yet.",
    tags: TAGS,
    security: session,
    request: { query: DeadLetterListQuery },
    responses: responses(
      'session',
      {
        200: json('A page of dead letters.', DeadLetterPage, {
          mixed: {
            summary: 'One waiting, one replayed',
            value: {
              items: [DEAD_LETTER_WAITING, DEAD_LETTER_REPLAYED],
              limit: 20,
              has_more: false,
              next_cursor: null,
            },
          },
        }),
      },
      [...SESSION_ERRORS, 'stateInvalid', 'limitTooBig', 'cursorForeign'],
    ),
    ...samples({ method: 'GET', path: '/api/v1/admin/dead-letters', query: { state: 'waiting' } }),
  });
  registry.registerPath({
    ...route('ledger'),
    summary: 'Ledger check',
    description:
      "Checks the ledger now: the sum over all accounts per currency (zero when balanced), each account's cached balance against the sum of its postings, each wallet's holds against its open withdrawals, and no negative available balance. `is_balanced` is false when anything drifts; the lists name each account.",
    tags: TAGS,
    security: session,
    responses: responses(
      'session',
      {
        200: json('The check.', LedgerCheckWire, {
          balanced: { summary: 'Everything holds', value: LEDGER_BALANCED },
          drift: { summary: "A wallet's cached balance drifted from its postings", value: LEDGER_DRIFT },
        }),
      },
      SESSION_ERRORS,
    ),
    ...samples({ method: 'GET', path: '/api/v1/admin/ledger' }),
  });
  registry.registerPath({
    ...route('audit'),
    summary: 'Audit log',
    description:
      'What operators did, newest first: who, what, which payment, user or dead letter, why, the outcome and the request id. Filter by `payment_id` or `user_id`.',
    tags: TAGS,
    security: session,
    request: { query: AuditListQuery },
    responses: responses(
      'session',
      {
        200: json('A page of audit entries.', AuditPage, {
          payment: {
            summary: "A payment's repairs",
            value: { items: AUDIT_ENTRIES, limit: 20, has_more: false, next_cursor: null },
          },
        }),
      },
      [...SESSION_ERRORS, 'auditPaymentIdInvalid', 'limitTooBig', 'cursorForeign'],
    ),
    ...samples({ method: 'GET', path: '/api/v1/admin/audit', query: { payment_id: STUCK_PAYMENT.id } }),
  });
}

function registerRepairs(registry: OpenAPIRegistry): void {
  const repairs: {
    name: 'reconcile' | 'retry' | 'fail';
    summary: string;
    description: string;
    examples: Record<string, Example>;
    refusals: ErrorName[];
  }[] = [
    {
      name: 'reconcile',
      summary: 'Reconcile now: ask the bank',
      description:
        "Asks the bank for the order's status now, as the reconciler would, and settles the payment through the same path as a webhook when the bank knows the outcome; when the bank still has it in progress, nothing changes.",
      examples: {
        settled: { summary: 'The bank says it succeeded: settled', value: REPAIR_RESULTS.reconcile.settled },
        pending: { summary: 'The bank still has it in progress', value: REPAIR_RESULTS.reconcile.pending },
      },
      refusals: ['reconcileFinal', 'reconcileNeverSent', 'reconcileNoOrder', 'reconcileBankDown'],
    },
    {
      name: 'retry',
      summary: 'Retry submission',
      description:
        'Queues a `pending` or `processing` payment for the worker again, through the outbox, with a fresh retry horizon; the bank sees the same order key, so it can never place a second order. When the bank already holds the order, sending it again would change nothing: reconcile instead.',
      examples: {
        requeued: { summary: 'Queued again', value: REPAIR_RESULTS.retry.requeued },
        alreadyQueued: { summary: 'Already waiting in the outbox', value: REPAIR_RESULTS.retry.alreadyQueued },
      },
      refusals: ['retryFinal', 'retryBankHolds'],
    },
    {
      name: 'fail',
      summary: 'Fail with a reason',
      description:
        "Fails a payment that is not final. It first asks the bank, and refuses when the bank holds an order for it (failing here would not stop the bank), when the bank cannot be asked, or when a worker may be calling the bank right now. Otherwise the end user reads a plain failure, the operator's reason is kept as the detail, and a withdrawal's hold is released exactly once, through the settlement path. No repair touches a balance directly.",
      examples: { failed: { summary: 'Failed; the hold released', value: REPAIR_RESULTS.fail.failed } },
      refusals: ['failFinal', 'failBankHolds', 'failInFlight'],
    },
  ];
  for (const repair of repairs) {
    registry.registerPath({
      ...route(repair.name),
      summary: repair.summary,
      description: `${repair.description}\n\nNeeds the \`operator\` role and a \`reason\` (kept in the audit log with the outcome). A repair that does not apply to the payment as it is now (a final payment refuses every repair) is 409 \`repair_refused\`: \`details.outcome\` says why and \`details.audit_id\` names the audit entry of the refusal; nothing changed.`,
      tags: TAGS,
      security: session,
      request: { params: IdParams, body: repairBody(REASON_SAMPLES[repair.name]) },
      responses: responses(
        'session',
        {
          200: json(
            'What the repair did, with the payment now and its audit entry.',
            RepairResultWire,
            repair.examples,
          ),
        },
        [...CHANGE_ERRORS, 'paymentNotFound', ...repair.refusals],
      ),
      ...samples({
        method: 'POST',
        path: `/api/v1/admin/payments/${STUCK_PAYMENT.id}/${repair.name}`,
        body: { reason: REASON_SAMPLES[repair.name] },
      }),
    });
  }
  registry.registerPath({
    ...route('replayDeadLetter'),
    summary: 'Replay a dead letter',
    description:
      "Re-drives the dead letter's payment through the outbox when it is not final. When the payment is final (or the letter names none) it refuses with 409 `repair_refused` and says why; either way the letter is marked handled (`replayed_at`, `replay_outcome`), and a handled letter is refused. Needs the `operator` role and a `reason`; audited, refusals included.",
    tags: TAGS,
    security: session,
    request: { params: IdParams, body: repairBody(REASON_SAMPLES.replay) },
    responses: responses(
      'session',
      {
        200: json('The replay, with the payment now and its audit entry.', RepairResultWire, {
          requeued: { summary: 'Payment queued again', value: REPAIR_RESULTS.replay.requeued },
        }),
      },
      [...CHANGE_ERRORS, 'deadLetterNotFound', 'replayFinal', 'replayTwice'],
    ),
    ...samples({
      method: 'POST',
      path: `/api/v1/admin/dead-letters/${DEAD_LETTER_WAITING.id}/replay`,
      body: { reason: REASON_SAMPLES.replay },
    }),
  });
}

function registerUsers(registry: OpenAPIRegistry): void {
  registry.registerPath({
    ...route('users'),
    summary: 'Search users',
    description: '`q` is a user id or the start of an email. Newest first, with balance, available and held amounts.',
    tags: TAGS,
    security: session,
    request: { query: AdminUserListQuery },
    responses: responses(
      'session',
      {
        200: json('A page of users.', AdminUserPage, {
          byEmail: {
            summary: 'Users whose email starts with "ali"',
            value: {
              items: [
                {
                  id: USER_DETAIL_SAMPLE.id,
                  email: USER_DETAIL_SAMPLE.email,
                  currency: USER_DETAIL_SAMPLE.currency,
                  balance: USER_DETAIL_SAMPLE.balance,
                  available_balance: USER_DETAIL_SAMPLE.available_balance,
                  held: USER_DETAIL_SAMPLE.held,
                  created_at: USER_DETAIL_SAMPLE.created_at,
                  active_key_count: USER_DETAIL_SAMPLE.active_key_count,
                },
              ],
              limit: 20,
              has_more: false,
              next_cursor: null,
            },
          },
        }),
      },
      [...SESSION_ERRORS, 'limitTooBig', 'cursorForeign'],
    ),
    ...samples({ method: 'GET', path: '/api/v1/admin/users', query: { q: 'ali' } }),
  });
  registry.registerPath({
    ...route('user'),
    summary: 'A user: wallet, holds, keys, recent payments',
    description:
      "The user's balance, available balance and holds, open withdrawals, API keys by prefix (active and revoked; a key itself is never shown again) and their latest payments.",
    tags: TAGS,
    security: session,
    request: { params: IdParams },
    responses: responses(
      'session',
      {
        200: json('The user.', AdminUserDetailWire, {
          withHold: { summary: 'A withdrawal holding funds', value: USER_DETAIL_SAMPLE },
        }),
      },
      [...SESSION_ERRORS, 'userNotFound', 'adminUserIdInvalid'],
    ),
    ...samples({ method: 'GET', path: `/api/v1/admin/users/${USER_DETAIL_SAMPLE.id}` }),
  });
  registry.registerPath({
    ...route('issueKey'),
    summary: 'Issue an API key for a user',
    description:
      'A new key for the user, shown in this answer only (stored as a hash); their other keys keep working. Needs the `operator` role and a `reason`; audited.',
    tags: TAGS,
    security: session,
    request: { params: IdParams, body: repairBody('Customer lost their key; identity checked by phone') },
    responses: responses(
      'session',
      {
        201: json('The key, once.', IssuedKeyWire, {
          issued: {
            summary: 'Issued',
            value: { api_key: 'pgk_mvI1Qw47_hw5RW7w6XIQW_pAal1_zvawTRcUTziQLmU', prefix: 'pgk_mvI1Qw', audit_id: 37 },
          },
        }),
      },
      [...CHANGE_ERRORS, 'userNotFound'],
    ),
    ...samples({
      method: 'POST',
      path: `/api/v1/admin/users/${USER_DETAIL_SAMPLE.id}/keys`,
      body: { reason: 'Customer lost their key; identity checked by phone' },
    }),
  });
  registry.registerPath({
    ...route('revokeKey'),
    summary: "Revoke a user's API key",
    description:
      'Revokes the active key with this prefix at once on this API instance, and on the others within `AUTH_CACHE_TTL_MS`. Needs the `operator` role and a `reason`; audited.',
    tags: TAGS,
    security: session,
    request: { params: KeyParams, body: repairBody('Key pasted into a support ticket') },
    responses: responses(
      'session',
      {
        200: json('Revoked.', RepairResultWire, {
          revoked: { summary: 'Revoked', value: REPAIR_RESULTS.revoke.revoked },
        }),
      },
      [...CHANGE_ERRORS, 'keyNotFound', 'prefixInvalid'],
    ),
    ...samples({
      method: 'POST',
      path: `/api/v1/admin/users/${USER_DETAIL_SAMPLE.id}/keys/pgk_mvI1Qw/revoke`,
      body: { reason: 'Key pasted into a support ticket' },
    }),
  });
}

function repairBody(reason: string) {
  return {
    content: {
      'application/json': {
        schema: RepairBody,
        examples: { reason: { summary: 'With a reason', value: { reason } } },
      },
    },
  };
}

// --- samples of the two routes that handle the cookie itself -----------------------------------------------

function loginSamples(body: { email: string; password: string }): CodeSample[] {
  const url = `${SAMPLE_BASE_URL}/api/v1/admin/auth/login`;
  return [
    {
      lang: 'shell',
      label: 'curl',
      source: [
        '# Set-Cookie in the answer carries the session: export its value as PAYGATE_OPERATOR_SESSION.',
        `curl -sS -i -X POST '${url}' \\\n  -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify(body)}'`,
      ].join('\n'),
    },
    {
      lang: 'javascript',
      label: 'JavaScript',
      source: [
        `const response = await fetch('${url}', {`,
        "  method: 'POST',",
        "  headers: { 'Content-Type': 'application/json' },",
        `  body: JSON.stringify({ email: '${body.email}', password: process.env.PAYGATE_OPERATOR_PASSWORD }),`,
        '});',
        `const session = /${OPERATOR_SESSION_COOKIE}=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];`,
        'console.log(response.status, await response.json(), session);',
      ].join('\n'),
    },
    {
      lang: 'python',
      label: 'Python',
      source: [
        'import os',
        '',
        'import requests',
        '',
        'response = requests.post(',
        `    "${url}",`,
        `    json={"email": "${body.email}", "password": os.environ["PAYGATE_OPERATOR_PASSWORD"]},`,
        '    timeout=10,',
        ')',
        `print(response.status_code, response.json(), response.cookies.get("${OPERATOR_SESSION_COOKIE}"))`,
      ].join('\n'),
    },
  ];
}

function logoutSamples(): CodeSample[] {
  const url = `${SAMPLE_BASE_URL}/api/v1/admin/auth/logout`;
  return [
    {
      lang: 'shell',
      label: 'curl',
      source: `curl -sS -i -X POST '${url}' \\\n  -b "${OPERATOR_SESSION_COOKIE}=$PAYGATE_OPERATOR_SESSION"`,
    },
    {
      lang: 'javascript',
      label: 'JavaScript',
      source: [
        `const response = await fetch('${url}', {`,
        "  method: 'POST',",
        `  headers: { Cookie: \`${OPERATOR_SESSION_COOKIE}=\${process.env.PAYGATE_OPERATOR_SESSION}\` },`,
        '});',
        'console.log(response.status); // 204',
      ].join('\n'),
    },
    {
      lang: 'python',
      label: 'Python',
      source: [
        'import os',
        '',
        'import requests',
        '',
        'response = requests.post(',
        `    "${url}",`,
        `    cookies={"${OPERATOR_SESSION_COOKIE}": os.environ["PAYGATE_OPERATOR_SESSION"]},`,
        '    timeout=10,',
        ')',
        'print(response.status_code)  # 204',
      ].join('\n'),
    },
  ];
}
