import type { Request, RequestHandler } from 'express';

import { REQUEST_ID_LENGTH_MAX } from '@paygate/domain/limits';

const SANE_REQUEST_ID = /^[\x21-\x7e]+$/;

/** The caller's X-Request-ID when it is sane (printable, bounded), else none: the bank mints no ids. */
export function requestIdOf(request: Request): string | undefined {
  const value = request.get('x-request-id');
  if (value === undefined || value.length > REQUEST_ID_LENGTH_MAX || !SANE_REQUEST_ID.test(value)) return undefined;
  return value;
}

/** Echoes the caller's request id, so both sides' logs line up. */
export const echoRequestId: RequestHandler = (request, response, next) => {
  const requestId = requestIdOf(request);
  if (requestId !== undefined) response.set('x-request-id', requestId);
  next();
};
