import type { RequestHandler } from 'express';

import { sendError } from './send-error';

export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, res) => {
    res.setHeader('Allow', allowed.join(', '));
    sendError(res, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}.`);
  };
}
