import type { ErrorCode } from '@paygate/domain/errors';

/**
 * What each error code means to a client and what to do about it: the errors table of the API reference
 * (/docs). A Record over every code, so a new code fails typecheck until someone explains it here.
 */
export interface ErrorGuideEntry {
  meaning: string;
  action: string;
}

export const ERROR_GUIDE: Record<ErrorCode, ErrorGuideEntry> = {
  unauthorized: {
    meaning:
      'No API key, a key that is unknown or revoked, or (login) an email and key that do not belong together. The answer never says which.',
    action:
      'Send a valid key in `X-API-Key` (or `Authorization: Bearer`). A lost key cannot be shown again: an operator issues a new one (`pnpm paygate key rotate`).',
  },
  forbidden: {
    meaning: 'The key is valid, but `/users/{user_id}/...` names another user.',
    action: 'Use your own user id: login answers it as `id` and `user_id`.',
  },
  origin_not_allowed: {
    meaning:
      'Operator API: a request that changes something came from a browser page outside the operator console (its `Origin` is not in `CONSOLE_ORIGINS`). Nothing changed.',
    action: 'Use the console; operators of another deployment add its origin to `CONSOLE_ORIGINS`.',
  },
  not_found: {
    meaning:
      "No such route, or no such transaction of yours (another user's transaction is a 404 too, so ids reveal nothing), or (webhook) an unknown transaction.",
    action: 'Check the id and the path: deposits are under `/deposits`, withdrawals under `/withdrawals`.',
  },
  method_not_allowed: {
    meaning: 'The path exists, but not with this HTTP method. The `Allow` header lists the methods it takes.',
    action: 'Use a method from `Allow`.',
  },
  validation_error: {
    meaning:
      'A body field, query or path parameter, or header is invalid. `details` lists each problem as `{field, message, reason}`. Nothing was created, and the Idempotency-Key was not used up.',
    action: 'Fix the fields named in `details` and send again (the same Idempotency-Key is fine).',
  },
  invalid_json: {
    meaning:
      'The body is not well-formed JSON: a syntax error, a duplicate key, bytes that are not UTF-8, or a top level that is not an object.',
    action: 'Send one JSON object, UTF-8 encoded, each key once.',
  },
  json_nesting_too_deep: {
    meaning: 'The body nests arrays and objects deeper than 32 levels.',
    action: 'No Paygate body nests more than two levels: check what your client serializes.',
  },
  unsupported_media_type: {
    meaning: 'The body is not sent as JSON (`Content-Type` is not `application/json`), or its charset is not UTF-8.',
    action: 'Send `Content-Type: application/json` with a UTF-8 body.',
  },
  unsupported_content_encoding: {
    meaning: 'The body is compressed (`Content-Encoding` other than `identity`). Paygate never inflates bodies.',
    action: 'Send the JSON uncompressed.',
  },
  payload_too_large: {
    meaning: 'The body is larger than `REQUEST_BODY_BYTES_MAX` (64 KiB by default).',
    action: 'Every Paygate body is well under 1 KiB: check what your client sends.',
  },
  invalid_url_encoding: {
    meaning: 'A `%` in the URL path does not start a valid percent-escape of UTF-8 bytes.',
    action: 'Percent-encode the path properly (ids are plain digits and need no encoding).',
  },
  duplicate_header: {
    meaning:
      'A header that must appear once (`X-API-Key`, `Authorization`, `Idempotency-Key`) was sent more than once.',
    action: 'Send it once: Paygate never guesses which of two values was meant.',
  },
  malformed_request: {
    meaning: 'The HTTP request could not be handled as sent (a protocol-level problem below the API).',
    action: 'Check the HTTP client; quote the `request_id` to the operator if it persists.',
  },
  idempotency_key_missing: {
    meaning: 'A `POST /deposits` or `POST /withdrawals` without an `Idempotency-Key` header.',
    action: 'Send a fresh key (a UUID) for each new operation, and the same key again only to retry it.',
  },
  idempotency_key_reused: {
    meaning: 'This key was already used, within 24 hours, for a request with another body or path.',
    action: 'Use a new key for a new operation. Nothing was created by this request.',
  },
  idempotency_request_in_progress: {
    meaning: 'The first request with this key is still running.',
    action: "Retry the same request, with the same key, in a moment: you will get the first request's answer.",
  },
  insufficient_balance: {
    meaning:
      'The withdrawal is larger than the available balance (balance minus the holds of pending withdrawals). `details` has both amounts. It is stored under the key: a retry with the same key replays this 400.',
    action: 'Withdraw at most `details.available_balance`, with a new Idempotency-Key.',
  },
  transaction_not_ready: {
    meaning:
      "Bank webhook: the transaction has no bank order to bind the webhook to yet (in the seed's form, the bank reference is not stored yet). Nothing was recorded.",
    action: 'The bank redelivers the webhook later, as it does for any non-2xx answer.',
  },
  webhook_mismatch: {
    meaning:
      'Bank webhook: correctly signed, but it names another order (order key, bank reference, amount or currency; `details.reason` says which). Nothing changed; it is kept and counted for operators as a security event.',
    action: 'Do not retry. Operators: see `rejected_webhooks` and `paygate_webhook_rejected_total`.',
  },
  repair_refused: {
    meaning:
      'Operator API: the repair does not apply to the payment as it is now (it is final, the bank holds its order or did not answer, it changed meanwhile, or the dead letter was handled already). `details.outcome` says which and `details.audit_id` names the audit entry; no money moved (a refused dead-letter replay still marks the letter handled).',
    action:
      "Read the payment's story: a final payment needs no repair; when the bank holds the order, reconcile instead.",
  },
  webhook_url_not_allowed: {
    meaning:
      'Webhook endpoint: the URL is not one Paygate will call. Only `http` and `https` URLs without credentials, whose host is (and resolves to) a public address: loopback, link-local, private, shared and unique-local addresses are refused. `details.reason` says which rule. Nothing was created.',
    action:
      'Use a publicly reachable URL (for local development, a tunnel). Operators of a development setup may allow private ranges with `WEBHOOK_ALLOW_PRIVATE_URLS`; production refuses to start with it.',
  },
  webhook_endpoint_limit_reached: {
    meaning:
      'Webhook endpoint: you already have as many endpoints as a user may (`WEBHOOK_ENDPOINTS_PER_USER_MAX`, 10 by default). `details.endpoint_count_max` says how many. Nothing was created.',
    action: 'Delete an endpoint you no longer use; one endpoint receives every event type it subscribes to.',
  },
  rate_limit_exceeded: {
    meaning:
      "Too many requests in the window. The body's `retry_after` and the `Retry-After` header say when to try again.",
    action: 'Wait `Retry-After` seconds; spread requests out; read `X-RateLimit-Remaining` before you hit the limit.',
  },
  invalid_signature: {
    meaning: 'Bank webhook: the signature does not match the payload under `WEBHOOK_SECRET`. Nothing was read further.',
    action: 'Sign the canonical JSON of the payload (see Bank webhooks) with the shared secret.',
  },
  stale_webhook: {
    meaning: "Bank webhook: its `timestamp` is more than 300 seconds away from the gateway's clock.",
    action: 'Sign with the current time, and keep both clocks on NTP.',
  },
  service_unavailable: {
    meaning: 'Rate limiting is configured to fail closed (`RATE_LIMIT_FAIL_OPEN=false`) and Redis cannot be reached.',
    action: 'Retry with exponential backoff; operators: restore Redis.',
  },
  internal_error: {
    meaning: "A failure on Paygate's side. Nothing about it leaves the server; the log has it under the `request_id`.",
    action:
      'Retry with the same Idempotency-Key (safe: it can never create a second transaction), and quote the `request_id` to the operator.',
  },
};
