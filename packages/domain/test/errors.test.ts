import { describe, expect, test } from 'vitest';

import { DomainError, ERROR_CODES, HTTP_STATUS_BY_CODE, validationError } from '../src';

describe('error catalogue', () => {
  test('when a code is in DESIGN.md, then it maps to the status DESIGN.md gives', () => {
    expect(HTTP_STATUS_BY_CODE).toMatchObject({
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      validation_error: 422,
      idempotency_key_missing: 400,
      idempotency_key_reused: 422,
      idempotency_request_in_progress: 409,
      insufficient_balance: 400,
      rate_limit_exceeded: 429,
      payload_too_large: 413,
      invalid_signature: 401,
      internal_error: 500,
    });
  });

  test('when any code is used, then its status is a 4xx or 5xx', () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
  });

  test('when a validation error is built, then its message names the first field', () => {
    const error = validationError([{ field: 'amount', message: 'amount must be positive' }]);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.httpStatus).toBe(422);
    expect(error.message).toBe('amount: amount must be positive');
  });
});
