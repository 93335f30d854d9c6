import { ERROR_CODES, HTTP_STATUS_BY_CODE } from '@paygate/domain/errors';
import {
  IDEMPOTENCY_KEY_LENGTH_MAX,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  PAGE_LIMIT_MIN,
  PAGE_OFFSET_MAX,
  REQUEST_BODY_BYTES_MAX,
  WEBHOOK_TOLERANCE_S,
} from '@paygate/domain/limits';

import { ERROR_GUIDE } from './error-guide';
import { WEBHOOK_FULL, WEBHOOK_FULL_CANONICAL, WEBHOOK_SECRET_SAMPLE } from './openapi-examples';
import { SAMPLE_BASE_URL, SHELL_NEW_KEY } from './openapi-samples';

/**
 * The introduction of the API reference (the OpenAPI document's info.description, in Markdown): what a
 * newcomer reads before the endpoints, in the order Stripe's reference uses. Numbers come from the limits
 * the code enforces, and the errors table from the error catalogue, so the page cannot drift from them.
 */

const INTRODUCTION = `Paygate takes **deposits** (money in) and **withdrawals** (money out) for its users and settles them
with a bank, asynchronously. The API is REST over JSON: resource-oriented URLs, JSON bodies, standard
HTTP verbs, status codes and authentication.

A create answers at once with **202 Accepted** and the transaction in \`pending\`; the worker submits it to
the bank and the bank's signed webhook settles it: \`pending → processing → success | failed\`, nothing else.
Follow it with \`GET /api/v1/deposits/{id}\` (its \`events\` are the audit trail, oldest first) until
\`status\` is \`success\` or \`failed\`.

**Base URL**: the server this page is served from (\`${SAMPLE_BASE_URL}\` with \`pnpm start\` or
\`make up\`). The samples read your key from \`PAYGATE_API_KEY\`:

\`\`\`bash
export PAYGATE_API_KEY=pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d   # alice's development key (CREDENTIALS.md)
\`\`\`

**Conventions**

- **Amounts** are decimal strings with exactly 2 decimals on the way out (\`"100.50"\`). On the way in,
  send a string or a JSON number with at most 2 decimals, greater than zero and at most
  \`1000000000.00\`. Inside, money is an integer number of cents; never a float.
- **Currency** is an ISO 4217 code, \`USD\` by default. Each user has one wallet in one currency.
- **Times** are ISO 8601 in UTC with milliseconds (\`2026-11-27T10:15:30.123Z\`). **Ids** are integers.
- **Request ids**: every answer carries \`X-Request-ID\`. Send your own (letters, digits, \`._:-\`, up to
  128 characters) to find a request in Paygate's logs; otherwise one is made for you. Every error body
  repeats it as \`request_id\`: quote it when you ask for help.
- **Try it** on this page sends real requests to this server: the Authentication panel takes your key
  (outside production it is prefilled with alice's demo key), and every create gets a fresh
  \`Idempotency-Key\` by itself unless you type your own.`;

const AUTHENTICATION = `## Authentication

Send an API key with every \`/api/v1\` request except login, in either header:

\`\`\`http
X-API-Key: pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d
Authorization: Bearer pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d
\`\`\`

Keys (\`pgk_…\`, 256 random bits) are shown once when an operator creates them and are stored only as a
hash: \`pnpm paygate user create\`, \`key issue\`, \`key rotate\`, \`key revoke\`. A missing, unknown or revoked
key is **401** \`unauthorized\` with a \`WWW-Authenticate: Bearer realm="paygate"\` challenge. A key sees only
its own user's resources: another user's transaction is **404** (ids reveal nothing), another user's
\`/users/{user_id}/…\` is **403**. A revoked key may work for up to 2 seconds on each API instance
(\`AUTH_CACHE_TTL_MS\`). In production the public demo keys never authenticate.

\`POST /api/v1/auth/login\` checks an email and key together (for the web app); it also accepts the seed's
\`{username, password}\` form.`;

const ERRORS = `## Errors

Paygate answers with conventional HTTP status codes: **2xx** success, **4xx** a problem with the request
(the body says which), **5xx** a problem on Paygate's side. Every error, on every route, has one flat shape:

\`\`\`json
{
  "error": "insufficient_balance",
  "message": "Insufficient balance: 975.00 USD available, 999999.00 USD requested.",
  "details": { "available_balance": "975.00", "requested_amount": "999999.00", "currency": "USD" },
  "request_id": "5f0c7a0e-4a49-4a8e-8d0f-2f0b8f3d9b11"
}
\`\`\`

\`error\` is a stable code to branch on; \`message\` is for people and may change; \`details\` is present for
some codes (for \`validation_error\`, a list of \`{field, message, reason}\`); a 429 adds \`retry_after\`. No
stack trace or SQL ever leaves the server.

Every code, with its status, what it means and what to do:

${ERROR_CODES.map((code) => `- **\`${code}\`** · ${HTTP_STATUS_BY_CODE[code]}: ${ERROR_GUIDE[code].meaning} *What to do:* ${ERROR_GUIDE[code].action}`).join('\n')}`;

const IDEMPOTENCY = `## Idempotency

Creates (\`POST /api/v1/deposits\`, \`POST /api/v1/withdrawals\`) require an \`Idempotency-Key\` header: 1 to
${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII characters; a UUID v4 per operation is the usual choice. It follows the IETF
Idempotency-Key draft and Stripe:

- The key is scoped to your user and kept for 24 hours (\`IDEMPOTENCY_TTL_HOURS\`).
- Sending the **same key with the same body** again answers the first request's status and body, byte for
  byte, with \`Idempotent-Replayed: true\`: a retry after a timeout or a dropped connection can never create a
  second transaction. \`100.5\` and \`"100.50"\` are the same body.
- The **same key with another body** (or on the other path) is **422** \`idempotency_key_reused\`.
- A repeat **while the first request is still running** is **409** \`idempotency_request_in_progress\`:
  retry it in a moment.
- A refused withdrawal (**400** \`insufficient_balance\`) is stored under its key too, so its retry replays
  the 400. A **422** \`validation_error\` is not stored: nothing ran, fix the body and reuse the key.
- No key at all is **400** \`idempotency_key_missing\`.

Make the key when the user decides to pay, keep it with the operation, and reuse it on every retry of
that operation (network error, 409, 5xx), never for another one. In a shell:
\`curl -H "Idempotency-Key: ${SHELL_NEW_KEY}" …\`.`;

const PAGINATION = `## Pagination

\`GET /api/v1/deposits\`, \`GET /api/v1/withdrawals\` and \`GET /api/v1/users/{user_id}/transactions\` return
pages, newest first:

\`\`\`json
{ "items": [ … ], "total": 57, "total_is_estimate": false, "limit": 20, "offset": 0, "has_more": true, "next_cursor": "MTc2NDIyOTMxMjEyMzo0Mg" }
\`\`\`

- \`limit\`: ${PAGE_LIMIT_MIN} to ${PAGE_LIMIT_MAX}, default ${PAGE_LIMIT_DEFAULT}.
- **Keyset cursor** (recommended): pass \`cursor=<next_cursor>\` to get the page after the last item you
  saw; \`next_cursor\` is \`null\` on the last page. It is opaque, stable while new transactions arrive (no
  item is skipped or repeated), and as fast on page 1000 as on page 1. With a cursor, \`offset\` is ignored.
- **Offset**: \`offset=40&limit=20\` skips 40 items, up to ${PAGE_OFFSET_MAX.toLocaleString('en-US')}; simple, but new
  transactions shift the pages.
- \`total\` is the number of items that match the filters: exact up to \`HISTORY_EXACT_TOTAL_MAX\` (10,000 by
  default), past it the database's estimate, flagged \`total_is_estimate: true\` (an exact count of a long
  history would read every row of it on every page). \`has_more\` is always exact: it says whether another
  page follows.
- **Filters**: \`status\`, \`type\` (history only), \`created_from\` (inclusive) and \`created_to\` (exclusive),
  each an ISO 8601 date-time with a zone or a date alone, which means that day's start in UTC:
  \`created_from=2026-11-01&created_to=2026-12-01\` is November; \`amount_min\` and \`amount_max\` (both
  inclusive), decimal strings with at most 2 decimals such as \`100\` or \`1000.50\`. An inverted range
  (\`created_from\` after \`created_to\`, \`amount_min\` above \`amount_max\`) is **422** naming the field, and
  so is an unknown parameter.`;

const RATE_LIMITS = `## Rate limits

Limits are sliding windows of one minute in Redis, shared by every API instance, and configurable:

| what | default limit | counted per |
|---|---|---|
| \`GET /users/{user_id}/balance\` | 10 a minute (\`RATE_LIMIT_BALANCE_PER_MIN\`) | user |
| history and lists (one window for \`/users/{user_id}/transactions\`, \`/deposits\`, \`/withdrawals\`) | 20 a minute (\`RATE_LIMIT_TRANSACTIONS_PER_MIN\`) | user |
| every \`/api/v1\` request | 1000 a minute (\`RATE_LIMIT_GLOBAL_PER_MIN\`) | client: the user, or the address when not authenticated |
| login attempts | 10 a minute (\`RATE_LIMIT_LOGIN_PER_MIN\`) | address |
| failed logins | 5 a minute (\`RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN\`) | email (a correct key always logs in) |
| everything, all clients together | off (\`RATE_LIMIT_SYSTEM_PER_MIN\`) | the whole system |

Every \`/api/v1\` answer describes the window of its own route (for a create or a detail read, the
per-client one):

| header | meaning |
|---|---|
| \`X-RateLimit-Limit\` | requests allowed in the window |
| \`X-RateLimit-Remaining\` | requests left in it |
| \`X-RateLimit-Reset\` | when a request leaves the window, in unix seconds |
| \`RateLimit-Policy\` | the IETF draft's policy, e.g. \`"balance";q=10;w=60\` |
| \`RateLimit\` | the IETF draft's state, e.g. \`"balance";r=9;t=60\` |
| \`Retry-After\` | on a 429 only: seconds to wait |

Past a limit the answer is **429**, \`{"error":"rate_limit_exceeded","message":"Too many requests. Please try
again later.","retry_after":42,"request_id":"…"}\` with \`Retry-After: 42\`. If rate limiting is set to fail
closed and Redis is down, requests get **503** \`service_unavailable\` instead.`;

const WEBHOOKS = `## Bank webhooks

The bank tells Paygate how an order ended by calling \`POST /webhooks/bank-callback\`. Paygate checks, in
this order, and changes nothing unless all pass:

1. **Signature**: \`signature\` is the hex HMAC-SHA256, keyed with \`WEBHOOK_SECRET\`, of the **canonical
   JSON** of every other field; compared in constant time. Otherwise **401** \`invalid_signature\`.
2. **Freshness**: when \`timestamp\` (unix seconds) is present, it must be within ${WEBHOOK_TOLERANCE_S} s of the gateway's
   clock. Otherwise **401** \`stale_webhook\`.
3. **The body**: otherwise **422** \`validation_error\`; an unknown transaction is **404**.
4. **The order**: a webhook settles only the order the gateway itself placed. With \`order_key\` (our bank's
   form) it must equal the key the worker placed the order under; without it (the seed's form) it must name
   the bank reference stored for the order, and before that is stored it is **409**
   \`transaction_not_ready\` (the bank redelivers later). \`bank_reference\` (once stored), \`amount\` and
   \`currency\` must match. A signed webhook for another order is **409** \`webhook_mismatch\`, kept for
   operators.

Then it applies the outcome and answers **200** \`{"received": true, "outcome": …}\`: \`applied\`, or for a
redelivery \`duplicate\` or \`ignored\` (nothing changes), or \`conflict\` when the bank contradicts a final
outcome (kept for operators). Any non-2xx tells the bank to deliver again.

**Canonical JSON** is what Python's \`json.dumps(payload, sort_keys=True, separators=(",", ":"))\` prints:

- the payload without its \`signature\` field; a field that is \`null\` stays in (\`"error_message":null\`);
- object keys sorted by code point, no whitespace at all;
- strings as JSON with every non-ASCII character escaped as \`\\uXXXX\`;
- numbers as sent: integers as they are (Paygate's webhooks carry no fractional numbers; \`amount\` is a string).

For the example webhook of \`POST /webhooks/bank-callback\` below (secret \`${WEBHOOK_SECRET_SAMPLE}\`), the
canonical JSON is

\`\`\`text
${WEBHOOK_FULL_CANONICAL}
\`\`\`

and its signature is \`${WEBHOOK_FULL.signature}\`. To verify one (JavaScript, Node 20+):

\`\`\`javascript
import { createHmac, timingSafeEqual } from 'node:crypto';

// Python's json.dumps(value, sort_keys=True, separators=(',', ':')) for the values a webhook holds.
function canonicalJson(value) {
  if (Array.isArray(value)) return \`[\${value.map(canonicalJson).join(',')}]\`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return \`{\${keys.map((key) => \`\${canonicalJson(key)}:\${canonicalJson(value[key])}\`).join(',')}}\`;
  }
  return JSON.stringify(value).replace(/[\\u007f-\\uffff]/g, (c) => \`\\\\u\${c.charCodeAt(0).toString(16).padStart(4, '0')}\`);
}

export function verifyWebhook(payload, secret, toleranceS = ${WEBHOOK_TOLERANCE_S}) {
  const { signature, ...signed } = payload;
  const expected = createHmac('sha256', secret).update(canonicalJson(signed)).digest();
  const given = Buffer.from(String(signature), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return signed.timestamp === undefined || Math.abs(Date.now() / 1000 - signed.timestamp) <= toleranceS;
}
\`\`\`

and in Python:

\`\`\`python
import hashlib
import hmac
import json
import time


def sign_webhook(payload: dict, secret: str) -> str:
    signed = {key: value for key, value in payload.items() if key != "signature"}
    canonical = json.dumps(signed, sort_keys=True, separators=(",", ":"))
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def verify_webhook(payload: dict, secret: str, tolerance_s: int = ${WEBHOOK_TOLERANCE_S}) -> bool:
    if not hmac.compare_digest(sign_webhook(payload, secret), str(payload.get("signature", "")).lower()):
        return False
    timestamp = payload.get("timestamp")
    return timestamp is None or abs(time.time() - timestamp) <= tolerance_s
\`\`\`

To send one by hand against a running gateway, \`pnpm paygate webhook sign --transaction-id 42 --status
success\` reads the order from the database and prints a signed, ready \`curl\` command
(\`--seed-form\` for the seed's form, \`--json\` for the body and the command as JSON).`;

const OUTGOING_WEBHOOKS = `## Outgoing webhooks

Register an endpoint (\`POST /api/v1/webhook-endpoints\`, see **Webhook endpoints**) and Paygate POSTs every
change of your transactions to it in the [Standard Webhooks](https://www.standardwebhooks.com/) form: the body
\`{"type": "transaction.updated", "timestamp": "...", "data": <the transaction>}\` and the headers
\`webhook-id\` (the same on every retry: deduplicate on it), \`webhook-timestamp\` (unix seconds) and
\`webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">\`, keyed by the
base64-decoded part of your secret after \`whsec_\`. Verify with the \`standardwebhooks\` library
(\`new Webhook(secret).verify(rawBody, headers)\`) or the helpers in the README. Answer 2xx within 10 seconds;
anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 14 h, and an endpoint that fails for that
whole schedule is disabled (retrying a delivery enables it again). Delivery is at least once and events may
arrive out of order: compare \`data.updated_at\`.
`;

const LIMITS_NOTE = `## Limits

Bodies are JSON only, at most ${REQUEST_BODY_BYTES_MAX / 1024} KiB, uncompressed, nested at most 32 levels; headers
that name a credential or a key appear once. Each of these has its own error code above.`;

export const API_GUIDE = [
  INTRODUCTION,
  AUTHENTICATION,
  ERRORS,
  IDEMPOTENCY,
  PAGINATION,
  RATE_LIMITS,
  WEBHOOKS,
  OUTGOING_WEBHOOKS,
  LIMITS_NOTE,
].join('\n\n');
