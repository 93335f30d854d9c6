/**
 * The error catalogue. Codes name the condition, not the status; one exhaustive map gives each its HTTP
 * status, so adding a code fails typecheck until someone decides how it reaches a client.
 */

export const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'origin_not_allowed',
  'not_found',
  'method_not_allowed',
  'validation_error',
  'invalid_json',
  'json_nesting_too_deep',
  'unsupported_media_type',
  'unsupported_content_encoding',
  'payload_too_large',
  'invalid_url_encoding',
  'duplicate_header',
  'malformed_request',
  'idempotency_key_missing',
  'idempotency_key_reused',
  'idempotency_request_in_progress',
  'insufficient_balance',
  'transaction_not_ready',
  'webhook_mismatch',
  'repair_refused',
  'webhook_url_not_allowed',
  'webhook_endpoint_limit_reached',
  'rate_limit_exceeded',
  'invalid_signature',
  'stale_webhook',
  'service_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  validation_error: 422,
  invalid_json: 400,
  json_nesting_too_deep: 400,
  unsupported_media_type: 415,
  unsupported_content_encoding: 415,
  payload_too_large: 413,
  invalid_url_encoding: 400,
  duplicate_header: 400,
  malformed_request: 400,
  idempotency_key_missing: 400,
  idempotency_key_reused: 422,
  idempotency_request_in_progress: 409,
  insufficient_balance: 400,
  transaction_not_ready: 409,
  webhook_mismatch: 409,
  repair_refused: 409,
  webhook_url_not_allowed: 422,
  webhook_endpoint_limit_reached: 409,
  rate_limit_exceeded: 429,
  invalid_signature: 401,
  stale_webhook: 401,
  service_unavailable: 503,
  internal_error: 500,
};

/** What a client may be told about the fields it sent wrong. */
export interface FieldIssue {
  field: string;
  message: string;
  reason?: string;
}

/** An expected, operational failure: it becomes an HTTP answer, never a crash. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export function validationError(issues: FieldIssue[]): DomainError {
  const first = issues[0];
  const message = first ? `${first.field}: ${first.message}` : 'the request is invalid';
  return new DomainError('validation_error', message, issues);
}
