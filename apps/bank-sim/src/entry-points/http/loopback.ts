import type { RequestHandler } from 'express';

import { BankHttpError } from './errors';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The control endpoint changes how the bank treats everyone, so only a process on the same machine may call
 * it. The socket's address is used, never X-Forwarded-For, which any caller can write.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK_ADDRESSES.has(address);
}

export const requireLoopback: RequestHandler = (request, _response, next) => {
  if (!isLoopbackAddress(request.socket.remoteAddress))
    throw new BankHttpError('forbidden', 'The control endpoint answers loopback callers only.');
  next();
};
