import type { BankRefusalCode } from '../../services/bank';

/** Every error the bank answers with, and its status; a new code fails typecheck until it is mapped here. */
export type BankErrorCode =
  | BankRefusalCode
  | 'idempotency_key_missing'
  | 'unauthorized'
  | 'not_found'
  | 'forbidden'
  | 'payload_too_large'
  | 'internal_error';

export const HTTP_STATUS_BY_BANK_ERROR: Record<BankErrorCode, number> = {
  unavailable: 503,
  invalid_request: 400,
  idempotency_key_reused: 422,
  // A full book is the bank being unable to take more work, not the caller's fault: retry later.
  order_book_full: 503,
  idempotency_key_missing: 400,
  unauthorized: 401,
  not_found: 404,
  forbidden: 403,
  payload_too_large: 413,
  internal_error: 500,
};

/** An expected refusal; the error handler turns it into `{ error, message }` with its status and headers. */
export class BankHttpError extends Error {
  constructor(
    readonly code: BankErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'BankHttpError';
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_BANK_ERROR[this.code];
  }
}
