import type { ErrorRequestHandler, RequestHandler } from 'express';

import type { BankErrorBody } from '@paygate/contracts';

import { BankHttpError } from './errors';
import type { Logger } from '../../infra/logger';

/** The one place where errors become HTTP answers. No stack trace ever leaves. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const known = toBankHttpError(error);
    if (known.code === 'internal_error')
      logger.error({ err: error, method: request.method, path: request.path }, 'request failed');
    const body: BankErrorBody = { error: known.code, message: known.message };
    response.status(known.httpStatus).set(known.headers).json(body);
  };
}

export const notFoundHandler: RequestHandler = (request) => {
  throw new BankHttpError('not_found', `No route for ${request.method} ${request.path}.`);
};

/** body-parser marks its errors with a `type`; those are the caller's fault, everything else is ours. */
function toBankHttpError(error: unknown): BankHttpError {
  if (error instanceof BankHttpError) return error;
  const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
  if (type === 'entity.too.large') return new BankHttpError('payload_too_large', 'The request body is too large.');
  if (type === 'entity.parse.failed')
    return new BankHttpError('invalid_request', 'The request body is not valid JSON.');
  if (typeof type === 'string') return new BankHttpError('invalid_request', 'The request body could not be read.');
  return new BankHttpError('internal_error', 'Something went wrong inside the bank.');
}
