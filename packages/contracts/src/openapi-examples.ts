import type { ErrorCode } from '@paygate/domain/errors';

import type { BankWebhookPayload } from './webhook';

/**
 * The examples of the API reference: each is an answer the API really gives (messages as the code words
 * them), so a reader sees what their client will get. Error examples carry their code, and the document
 * files each under the status its code maps to, so an example can never sit under the wrong status.
 */

export interface Example {
  summary: string;
  value: unknown;
}

export interface ErrorExample extends Example {
  code: ErrorCode;
}

export const REQUEST_ID_SAMPLE = '5f0c7a0e-4a49-4a8e-8d0f-2f0b8f3d9b11';
/** The webhook examples are signed with the development secret, so a reader can check the signature. */
export const WEBHOOK_SECRET_SAMPLE = 'dev-webhook-secret-change-me';

function error(code: ErrorCode, summary: string, message: string, details?: unknown): ErrorExample {
  const value =
    details === undefined
      ? { error: code, message, request_id: REQUEST_ID_SAMPLE }
      : { error: code, message, details, request_id: REQUEST_ID_SAMPLE };
  return { code, summary, value };
}

function fieldError(summary: string, field: string, message: string, reason: string): ErrorExample {
  return error('validation_error', summary, `${field}: ${message}`, [{ field, message, reason }]);
}

export const ERROR_EXAMPLES = {
  // Authentication and access.
  keyMissing: error(
    'unauthorized',
    'No API key',
    'Send your API key in the X-API-Key header (or Authorization: Bearer).',
  ),
  keyInvalid: error('unauthorized', 'Unknown or revoked API key', 'The API key is invalid or has been revoked.'),
  loginRefused: error('unauthorized', 'Email and key do not belong together', 'The email or API key is not right.'),
  otherUser: error('forbidden', "Another user's id", 'You can only see your own user.'),
  originNotAllowed: error(
    'origin_not_allowed',
    'A cookie request from another site',
    'Requests that change something must come from the web app (http://localhost:5500, http://127.0.0.1:5500).',
  ),
  depositNotFound: error('not_found', 'No such deposit of yours', 'No deposit 999.'),
  withdrawalNotFound: error('not_found', 'No such withdrawal of yours', 'No withdrawal 999.'),
  webhookUnknownTransaction: error('not_found', 'Unknown transaction', 'No transaction 999.'),

  // The body as bytes: size, media type, encoding, JSON.
  invalidJson: error(
    'invalid_json',
    'Malformed JSON',
    'Unexpected end of the body where a value should start in the JSON body (offset 10).',
  ),
  duplicateJsonKey: error(
    'invalid_json',
    'A key twice in the JSON',
    'Duplicate key "amount" in the JSON body (offset 12).',
  ),
  nestingTooDeep: error(
    'json_nesting_too_deep',
    'JSON nested too deep',
    'The JSON body nests arrays and objects deeper than 32 levels (offset 32).',
  ),
  notJson: error(
    'unsupported_media_type',
    'Body is not JSON',
    'Send the body as JSON with Content-Type: application/json.',
  ),
  compressed: error(
    'unsupported_content_encoding',
    'Compressed body',
    'Request bodies must not be compressed: Content-Encoding "gzip" is not supported. Send the JSON as is (identity).',
  ),
  tooLarge: error('payload_too_large', 'Body over 64 KiB', 'The request body is larger than the limit of 65536 bytes.'),
  badPathEncoding: error(
    'invalid_url_encoding',
    'Broken percent-encoding in the path',
    'The URL path is not valid percent-encoding: every % must start an escape of UTF-8 bytes.',
  ),

  // Idempotency.
  keyHeaderMissing: error(
    'idempotency_key_missing',
    'No Idempotency-Key',
    'Send an Idempotency-Key header (1-255 printable ASCII characters, e.g. a UUID) so a retry can never create a second transaction.',
  ),
  keyHeaderTwice: error(
    'duplicate_header',
    'Idempotency-Key sent twice',
    'Send the Idempotency-Key header once; this request has it 2 times.',
    [{ field: 'Idempotency-Key', message: 'sent 2 times', reason: 'duplicate_header' }],
  ),
  keyReused: error(
    'idempotency_key_reused',
    'Same key, another body',
    'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
  ),
  keyInProgress: error(
    'idempotency_request_in_progress',
    'First request with this key still running',
    'A request with this Idempotency-Key is still being processed. Retry in a moment.',
  ),
  keyInvalid422: fieldError(
    'Idempotency-Key over 255 characters',
    'Idempotency-Key',
    'must be 1-255 printable ASCII characters',
    'invalid_format',
  ),

  // Money.
  amountNegative: fieldError('Negative amount', 'amount', 'amount must be positive', 'negative'),
  amountDecimals: fieldError('Three decimals', 'amount', 'amount may have at most 2 decimals', 'too_many_decimals'),
  currencyOther: error(
    'validation_error',
    "Another currency than the wallet's",
    'currency: your wallet holds USD, not EUR',
    [{ field: 'currency', message: 'your wallet holds USD', reason: 'currency_not_supported' }],
  ),
  insufficientBalance: error(
    'insufficient_balance',
    'More than the available balance',
    'Insufficient balance: 975.00 USD available, 999999.00 USD requested.',
    {
      available_balance: '975.00',
      requested_amount: '999999.00',
      currency: 'USD',
    },
  ),

  // Query and path parameters.
  idNotInteger: fieldError('Id is not a positive integer', 'id', 'id must be a positive integer', 'invalid_format'),
  userIdNotInteger: fieldError(
    'User id is not a positive integer',
    'user_id',
    'user_id must be a positive integer',
    'invalid_format',
  ),
  limitTooBig: fieldError('limit over 100', 'limit', 'Too big: expected number to be <=100', 'too_big'),
  cursorForeign: fieldError(
    'A cursor this API did not issue',
    'cursor',
    'is not a cursor this API issued',
    'invalid_cursor',
  ),
  dateInvalid: fieldError(
    'created_from is not a date',
    'created_from',
    'must be an ISO 8601 date (2026-11-30, its start in UTC) or date-time (2026-11-30T12:00:00Z)',
    'invalid_format',
  ),
  amountFilterInvalid: fieldError(
    'amount_min is not a decimal amount',
    'amount_min',
    'must be a decimal amount with at most 2 decimals, e.g. 100 or 100.50',
    'invalid_format',
  ),
  amountRangeInverted: fieldError(
    'amount_min above amount_max',
    'amount_min',
    'must not be above amount_max',
    'invalid_range',
  ),
  unknownParameter: error('validation_error', 'Unknown query parameter', 'query: unknown field: page', [
    { field: 'query', message: 'unknown field: page', reason: 'unrecognized_keys' },
  ]),
  typeInvalid: fieldError(
    'type is neither deposit nor withdrawal',
    'type',
    'Invalid option: expected one of "deposit"|"withdrawal"',
    'invalid_value',
  ),

  // Login.
  loginEmailInvalid: fieldError('email is not an email address', 'email', 'Invalid email address', 'invalid_format'),
  loginFieldMissing: fieldError(
    'password missing (seed form)',
    'password',
    'Invalid input: expected string, received undefined',
    'invalid_type',
  ),

  // Bank webhook.
  signatureInvalid: error(
    'invalid_signature',
    'Signature does not match',
    'The webhook signature does not match its payload.',
  ),
  webhookStale: error(
    'stale_webhook',
    'Timestamp more than 300 s away',
    'The webhook timestamp is more than 300 s away from our clock.',
  ),
  webhookNotReady: error(
    'transaction_not_ready',
    'No bank order to bind to yet',
    'Transaction 42 has no bank order to bind this webhook to yet; retry later.',
  ),
  webhookMismatch: error(
    'webhook_mismatch',
    'Signed, but for another order',
    'The webhook does not match the order placed for transaction 42 (amount mismatch); nothing was changed.',
    { reason: 'amount_mismatch' },
  ),
  webhookBodyInvalid: error('validation_error', 'Signed, but a field is invalid', 'the webhook body is invalid', [
    { field: 'status', message: 'Invalid option: expected one of "success"|"failed"', reason: 'invalid_value' },
  ]),

  lastEventIdInvalid: error(
    'validation_error',
    'Last-Event-ID is not an event id',
    'Last-Event-ID must be the id of an event this stream sent.',
  ),
  tooManyStreams: {
    code: 'rate_limit_exceeded',
    summary: 'Too many open streams for this user',
    value: {
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please try again later.',
      retry_after: 10,
      request_id: REQUEST_ID_SAMPLE,
    },
  },
  // Outgoing webhook endpoints.
  endpointNotFound: error('not_found', 'No such endpoint of yours', 'No webhook endpoint 999.'),
  deliveryNotFound: error('not_found', 'No such delivery of this endpoint', 'No delivery 999 of webhook endpoint 7.'),
  endpointIdNotInteger: fieldError('id is not an integer', 'id', 'must be a positive integer', 'invalid_format'),
  endpointUrlPrivate: error(
    'webhook_url_not_allowed',
    'A loopback or private address',
    'url: Paygate does not call loopback, link-local or private addresses (127.0.0.1).',
    [{ field: 'url', message: 'resolves to an address that is not public', reason: 'address_not_allowed' }],
  ),
  endpointUrlScheme: error('webhook_url_not_allowed', 'Not http(s)', 'url: only http and https URLs are allowed.', [
    { field: 'url', message: 'only http and https URLs are allowed', reason: 'scheme_not_allowed' },
  ]),
  endpointEventUnknown: fieldError(
    'An event type that does not exist',
    'events.0',
    'Invalid option: expected one of "transaction.updated"',
    'invalid_value',
  ),
  endpointLimit: error(
    'webhook_endpoint_limit_reached',
    'Already at the limit',
    'You already have 10 webhook endpoints, the most a user may have; delete one first.',
    { endpoint_count_max: 10 },
  ),

  rateLimited: {
    code: 'rate_limit_exceeded',
    summary: 'Too many requests',
    value: {
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please try again later.',
      retry_after: 42,
      request_id: REQUEST_ID_SAMPLE,
    },
  },
} satisfies Record<string, ErrorExample>;

const CREATED_AT = '2026-11-27T10:15:30.123Z';

export const DEPOSIT_PENDING = {
  id: 42,
  user_id: 1,
  type: 'deposit',
  status: 'pending',
  amount: '100.50',
  currency: 'USD',
  bank_reference: null,
  error_code: null,
  error_message: null,
  idempotency_key: 'b7f3c1e2-4d5a-4f6b-9c8d-0e1f2a3b4c5d',
  created_at: CREATED_AT,
  updated_at: CREATED_AT,
  completed_at: null,
};

export const WITHDRAWAL_PENDING = {
  ...DEPOSIT_PENDING,
  id: 43,
  type: 'withdrawal',
  amount: '25.00',
  idempotency_key: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
  created_at: '2026-11-27T10:16:02.480Z',
  updated_at: '2026-11-27T10:16:02.480Z',
};

function settled(transaction: typeof DEPOSIT_PENDING, bankReference: string, completedAt: string) {
  return {
    ...transaction,
    status: 'success',
    bank_reference: bankReference,
    updated_at: completedAt,
    completed_at: completedAt,
  };
}

function events(
  transaction: typeof DEPOSIT_PENDING,
  bankReference: string,
  completedAt: string,
  outcome: 'success' | 'failed',
) {
  const base = { bank_reference: null, error_code: null, error_message: null, request_id: REQUEST_ID_SAMPLE };
  const submittedAt = new Date(Date.parse(transaction.created_at) + 17).toISOString();
  const failure =
    outcome === 'failed'
      ? { error_code: 'bank_insufficient_funds', error_message: 'The bank refused the payment: insufficient funds.' }
      : {};
  return [
    { ...base, from_status: null, to_status: 'pending', cause: 'api.create', created_at: transaction.created_at },
    { ...base, from_status: 'pending', to_status: 'processing', cause: 'worker.submit', created_at: submittedAt },
    {
      ...base,
      ...failure,
      from_status: 'processing',
      to_status: outcome,
      cause: 'bank.webhook',
      bank_reference: bankReference,
      created_at: completedAt,
    },
  ];
}

export const DEPOSIT_SETTLED = settled(DEPOSIT_PENDING, 'BNK-9F3K2Q7M', '2026-11-27T10:15:34.480Z');
export const DEPOSIT_DETAIL = {
  ...DEPOSIT_SETTLED,
  events: events(DEPOSIT_PENDING, 'BNK-9F3K2Q7M', '2026-11-27T10:15:34.480Z', 'success'),
};
const WITHDRAWAL_FAILED_AT = '2026-11-27T10:16:09.912Z';
export const WITHDRAWAL_DETAIL = {
  ...WITHDRAWAL_PENDING,
  status: 'failed',
  bank_reference: 'BNK-2W8R5T1Y',
  error_code: 'bank_insufficient_funds',
  error_message: 'The bank refused the payment: insufficient funds.',
  updated_at: WITHDRAWAL_FAILED_AT,
  completed_at: WITHDRAWAL_FAILED_AT,
  events: events(WITHDRAWAL_PENDING, 'BNK-2W8R5T1Y', WITHDRAWAL_FAILED_AT, 'failed'),
};

export function pageOf(
  items: unknown[],
  options: { limit: number; total: number; next_cursor: string | null; total_is_estimate?: boolean },
) {
  return {
    items,
    total: options.total,
    total_is_estimate: options.total_is_estimate ?? false,
    limit: options.limit,
    offset: 0,
    has_more: options.next_cursor !== null,
    next_cursor: options.next_cursor,
  };
}

/**
 * Bank webhooks as the bank sends them, signed with WEBHOOK_SECRET_SAMPLE (a contracts test checks each
 * signature), so the reference's verification sample can be run against them.
 */
export const WEBHOOK_FULL: BankWebhookPayload = {
  transaction_id: 42,
  bank_reference: 'BNK-9F3K2Q7M',
  status: 'success',
  error_message: null,
  order_key: '6f1d2c3b-4a5e-4f60-9a7b-8c9d0e1f2a3b',
  amount: '100.50',
  currency: 'USD',
  timestamp: 1795774534,
  signature: 'd62e001d832e6f90b7aed0f802fd49654c6c23ec901a3faa5324e6ce80c94e51',
};
export const WEBHOOK_FULL_CANONICAL =
  '{"amount":"100.50","bank_reference":"BNK-9F3K2Q7M","currency":"USD","error_message":null,"order_key":"6f1d2c3b-4a5e-4f60-9a7b-8c9d0e1f2a3b","status":"success","timestamp":1795774534,"transaction_id":42}';

export const WEBHOOK_FAILED: BankWebhookPayload = {
  transaction_id: 43,
  bank_reference: 'BNK-2W8R5T1Y',
  status: 'failed',
  error_message: 'insufficient_funds',
  order_key: '0b5e1a7c-3d2f-4e8a-9b6c-1d0e2f3a4b5c',
  amount: '25.00',
  currency: 'USD',
  timestamp: 1795774610,
  signature: '6074bbdc169218b83636461b1156d26a4e8b831b276edba09a05511e9675ea9a',
};

export const WEBHOOK_SEED_FORM: BankWebhookPayload = {
  transaction_id: 42,
  bank_reference: 'BNK-9F3K2Q7M',
  status: 'success',
  error_message: null,
  signature: 'de6589d3b09b88cf7f2714c50fcdf2d6c0d1f336d0de2429f1c4fce0133e2f8c',
};
