import type { ErrorCode, FieldIssue } from '@paygate/domain/errors';
import { isErrorCode } from '@paygate/domain/errors';

/**
 * Every way a call to Paygate's API can fail, as something the UI can act on. The API's error body
 * (`{error, message, details?, request_id}`) is turned into one of these by a single switch over the
 * domain's error codes, so a new code fails typecheck here until someone decides how a person sees it.
 */
export type ApiProblem =
  | { kind: 'network' }
  | { kind: 'timeout' }
  | { kind: 'unauthorized'; requestId: string | null }
  | { kind: 'forbidden'; message: string | null; requestId: string | null }
  | { kind: 'not_found'; message: string | null; requestId: string | null }
  | { kind: 'insufficient_balance'; availableBalance: string | null; currency: string | null; requestId: string | null }
  | { kind: 'rate_limited'; retryAfterS: number | null; retryAtMs: number | null; requestId: string | null }
  | { kind: 'validation'; fields: FieldIssue[]; message: string; requestId: string | null }
  | { kind: 'in_progress'; requestId: string | null }
  | { kind: 'unavailable'; requestId: string | null }
  | { kind: 'unexpected'; status: number; code: string | null; message: string | null; requestId: string | null };

export class ApiError extends Error {
  readonly problem: ApiProblem;

  constructor(problem: ApiProblem, options?: { cause?: unknown }) {
    super(`API call failed: ${problem.kind}`, options);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

/** The problem behind any thrown value; anything that is not an ApiError is a bug shown generically. */
export function problemOf(error: unknown): ApiProblem {
  if (error instanceof ApiError) return error.problem;
  return { kind: 'unexpected', status: 0, code: null, message: null, requestId: null };
}

/**
 * Whether the server may have executed the request, or refused it before executing it: then a retry must
 * send the same Idempotency-Key, so that a request that did go through is replayed, not repeated.
 * After any definitive refusal (400, 401, 403, 404, 422) nothing was created and the key is retired.
 */
export function keepsIdempotencyKey(problem: ApiProblem): boolean {
  switch (problem.kind) {
    case 'network':
    case 'timeout':
    case 'in_progress':
    case 'rate_limited':
    case 'unavailable':
      return true;
    case 'unexpected':
      return problem.status === 0 || problem.status >= 500;
    default:
      return false;
  }
}

/** Whether pressing "Retry" at once can help (as opposed to changing the input or waiting). */
export function isRetryable(problem: ApiProblem): boolean {
  return problem.kind !== 'rate_limited' && keepsIdempotencyKey(problem);
}

/** Reads a failed response into a problem. Never throws: a body that is not our JSON still gives one. */
export async function readProblem(response: Response): Promise<ApiProblem> {
  const body = await readErrorBody(response);
  const requestId = body.request_id ?? response.headers.get('X-Request-ID');
  if (isErrorCode(body.error)) return fromCode(body.error, body, response, requestId);
  return fromStatus(response, body, requestId);
}

interface LooseErrorBody {
  error: string | null;
  message: string | null;
  details: unknown;
  request_id: string | null;
  retry_after: unknown;
}

function fromCode(code: ErrorCode, body: LooseErrorBody, response: Response, requestId: string | null): ApiProblem {
  switch (code) {
    case 'unauthorized':
    case 'invalid_signature':
    case 'stale_webhook':
      return { kind: 'unauthorized', requestId };
    // repair_refused: a repair that does not apply to the payment now; the API's sentence says why.
    case 'forbidden':
    case 'origin_not_allowed':
    case 'repair_refused':
    case 'webhook_endpoint_limit_reached':
      return { kind: 'forbidden', message: body.message, requestId };
    case 'not_found':
      return { kind: 'not_found', message: body.message, requestId };
    case 'insufficient_balance':
      return insufficientBalance(body.details, requestId);
    case 'rate_limit_exceeded':
      return rateLimited(response, body, requestId);
    // A webhook URL Paygate will not call: `details` names the url field, like a validation error.
    case 'validation_error':
    case 'webhook_url_not_allowed':
      return {
        kind: 'validation',
        fields: fieldIssues(body.details),
        message: body.message ?? 'The request is invalid.',
        requestId,
      };
    case 'idempotency_request_in_progress':
      return { kind: 'in_progress', requestId };
    case 'service_unavailable':
      return { kind: 'unavailable', requestId };
    case 'method_not_allowed':
    case 'invalid_json':
    case 'json_nesting_too_deep':
    case 'unsupported_media_type':
    case 'unsupported_content_encoding':
    case 'payload_too_large':
    case 'invalid_url_encoding':
    case 'duplicate_header':
    case 'malformed_request':
    case 'idempotency_key_missing':
    case 'idempotency_key_reused':
    case 'internal_error':
    case 'transaction_not_ready':
    case 'webhook_mismatch':
      // These mean the app itself sent something wrong, the server broke, or the code belongs to another
      // client (a bank callback that came too early): nothing the person can fix.
      return { kind: 'unexpected', status: response.status, code, message: body.message, requestId };
  }
}

function fromStatus(response: Response, body: LooseErrorBody, requestId: string | null): ApiProblem {
  const status = response.status;
  if (status === 401) return { kind: 'unauthorized', requestId };
  if (status === 429) return rateLimited(response, body, requestId);
  // The API always answers errors in its JSON shape; a 5xx without it comes from the proxy in front
  // (dev server, vite preview, nginx) while the API is down or restarting.
  if (status === 502 || status === 503 || status === 504 || (status >= 500 && body.error === null))
    return { kind: 'unavailable', requestId };
  return { kind: 'unexpected', status, code: body.error, message: body.message, requestId };
}

function rateLimited(response: Response, body: LooseErrorBody, requestId: string | null): ApiProblem {
  const retryAfterS = retryAfterSeconds(response, body.retry_after);
  return {
    kind: 'rate_limited',
    retryAfterS,
    retryAtMs: retryAfterS === null ? null : Date.now() + retryAfterS * 1000,
    requestId,
  };
}

function insufficientBalance(details: unknown, requestId: string | null): ApiProblem {
  const record = isRecord(details) ? details : {};
  return {
    kind: 'insufficient_balance',
    availableBalance: typeof record.available_balance === 'string' ? record.available_balance : null,
    currency: typeof record.currency === 'string' ? record.currency : null,
    requestId,
  };
}

function fieldIssues(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((item: unknown) => {
    if (!isRecord(item) || typeof item.field !== 'string' || typeof item.message !== 'string') return [];
    return [{ field: item.field, message: item.message }];
  });
}

/** Retry-After in seconds: the header (seconds or an HTTP date) first, then the body's `retry_after`. */
export function retryAfterSeconds(response: Response, bodyValue: unknown, nowMs = Date.now()): number | null {
  const header = response.headers.get('Retry-After');
  if (header !== null) {
    if (/^\d+$/.test(header.trim())) return Number(header.trim());
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - nowMs) / 1000));
  }
  if (typeof bodyValue === 'number' && Number.isInteger(bodyValue) && bodyValue >= 0) return bodyValue;
  return null;
}

async function readErrorBody(response: Response): Promise<LooseErrorBody> {
  const empty: LooseErrorBody = {
    error: null,
    message: null,
    details: undefined,
    request_id: null,
    retry_after: undefined,
  };
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    return empty;
  }
  if (!isRecord(parsed)) return empty;
  return {
    error: typeof parsed.error === 'string' ? parsed.error : null,
    message: typeof parsed.message === 'string' ? parsed.message : null,
    details: parsed.details,
    request_id: typeof parsed.request_id === 'string' ? parsed.request_id : null,
    retry_after: parsed.retry_after,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
