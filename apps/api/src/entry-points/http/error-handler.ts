import type { ErrorRequestHandler, RequestHandler } from 'express';

import type { ErrorCode } from '@paygate/domain';
import { DomainError } from '@paygate/domain';

import type { Logger } from '../../infra/logger';
import { sendError } from './send-error';

/**
 * The one place where errors become HTTP. DomainErrors carry their code. Errors that Express, its router
 * or a library raise with a 4xx status (a path parameter that is not valid percent-encoding, say) are the
 * caller's mistake and get our error shape with a code that names it. Anything else is a 500
 * `internal_error` whose details stay in the log (with the request id), never in the response.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof DomainError) {
      sendError(res, error.code, error.message, error.details);
      return;
    }
    const clientError = clientErrorOf(error);
    if (clientError) {
      sendError(res, clientError.code, clientError.message);
      return;
    }
    logger.error(
      { err: error, request_id: res.locals.requestId, method: req.method, path: req.path },
      'unhandled error',
    );
    sendError(res, 'internal_error', 'Something went wrong on our side. Quote the request_id if you contact support.');
  };
}

export function notFound(): RequestHandler {
  return (req, res) => sendError(res, 'not_found', `No route ${req.method} ${req.path}`);
}

/** Codes for the 4xx statuses a library may raise; any other 4xx is a malformed_request (400). */
const CODE_BY_CLIENT_STATUS: Partial<Record<number, ErrorCode>> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

function clientErrorOf(error: unknown): { code: ErrorCode; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = 'status' in error ? error.status : 'statusCode' in error ? error.statusCode : undefined;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  // The router decodes path parameters with decodeURIComponent, which throws on "%E0%A4%A" or "%ZZ".
  if (error instanceof URIError) {
    return {
      code: 'invalid_url_encoding',
      message: 'The URL path is not valid percent-encoding: every % must start an escape of UTF-8 bytes.',
    };
  }
  const code = CODE_BY_CLIENT_STATUS[status] ?? 'malformed_request';
  return { code, message: `The request could not be handled as sent (HTTP ${status}).` };
}
