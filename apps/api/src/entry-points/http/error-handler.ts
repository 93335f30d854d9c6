import type { ErrorRequestHandler, RequestHandler } from 'express';

import { DomainError } from '@paygate/domain';

import type { Logger } from '../../infra/logger';
import { sendError } from './send-error';

/**
 * The one place where errors become HTTP. DomainErrors carry their code; body-parser's errors are mapped
 * to 400/413/415; anything else is a 500 `internal_error` whose details stay in the log (with the request
 * id), never in the response.
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
    const bodyError = bodyParserError(error);
    if (bodyError) {
      sendError(res, bodyError.code, bodyError.message);
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

function bodyParserError(
  error: unknown,
): { code: 'payload_too_large' | 'invalid_json' | 'unsupported_media_type'; message: string } | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return { code: 'payload_too_large', message: 'The request body is larger than the limit of 64 KiB.' };
    case 'entity.parse.failed':
      return { code: 'invalid_json', message: 'The request body is not valid JSON.' };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { code: 'unsupported_media_type', message: 'The request body must be UTF-8 JSON.' };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { code: 'invalid_json', message: 'The request body could not be read.' };
    default:
      return undefined;
  }
}
