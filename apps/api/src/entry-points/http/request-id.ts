import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

import { REQUEST_ID_LENGTH_MAX } from '@paygate/domain';

const SANE = new RegExp(`^[A-Za-z0-9._:-]{1,${REQUEST_ID_LENGTH_MAX}}$`);

/** The caller's X-Request-ID when it is sane (it ends up in logs and in AMQP headers), else a new UUID. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming !== undefined && SANE.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-ID', id);
    next();
  };
}
