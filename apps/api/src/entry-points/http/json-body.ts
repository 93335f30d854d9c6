import express from 'express';
import type { RequestHandler } from 'express';

import { sendError } from './send-error';

/**
 * JSON bodies only, up to the configured size. A body sent with another content type is a 415; a body
 * that is not JSON a 400; an oversized one a 413 (read no further than the limit).
 */
export function jsonBody(bodyBytesMax: number): RequestHandler[] {
  const parse = express.json({ limit: bodyBytesMax, strict: true, type: ['application/json', 'application/*+json'] });
  const requireJson: RequestHandler = (req, res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is(['application/json', 'application/*+json'])) {
      sendError(res, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
      return;
    }
    next();
  };
  return [requireJson, parse];
}
