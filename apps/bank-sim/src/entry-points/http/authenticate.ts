import { createHash, timingSafeEqual } from 'node:crypto';

import type { Request, RequestHandler } from 'express';

import { assert } from '@paygate/domain';

import type { BankConfig } from '../../config';
import type { Metrics } from '../../infra/metrics';
import { BankHttpError } from './errors';

/**
 * The merchant's credential: `Authorization: Bearer <BANK_API_KEY>` on every call but /health and
 * /metrics. Both sides are hashed before the comparison, so it takes the same time whatever the length
 * or the first differing byte of what the caller sent.
 */

const BEARER = /^Bearer +(\S+) *$/i;
/** Longer than any key the configuration accepts; a longer header is refused before it is hashed. */
const AUTHORIZATION_LENGTH_MAX = 2048;
const REALM = 'Bearer realm="paygate-bank-sim"';

const merchantIdByRequest = new WeakMap<Request, string>();

export function authenticateMerchant(merchant: BankConfig['merchant'], metrics: Metrics): RequestHandler {
  const expectedDigest = sha256(merchant.apiKey);
  return (request, _response, next) => {
    const header = request.get('authorization');
    const token =
      header === undefined || header.length > AUTHORIZATION_LENGTH_MAX ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      metrics.requestsUnauthorizedTotal.inc();
      throw new BankHttpError(
        'unauthorized',
        'This endpoint needs the merchant credential: Authorization: Bearer <BANK_API_KEY>.',
        { 'www-authenticate': REALM },
      );
    }
    if (!timingSafeEqual(sha256(token), expectedDigest)) {
      metrics.requestsUnauthorizedTotal.inc();
      throw new BankHttpError('unauthorized', 'The merchant credential is not valid.', {
        'www-authenticate': `${REALM}, error="invalid_token"`,
      });
    }
    merchantIdByRequest.set(request, merchant.id);
    next();
  };
}

/** The merchant the request was authenticated as; only for routes mounted behind authenticateMerchant. */
export function merchantIdOf(request: Request): string {
  const merchantId = merchantIdByRequest.get(request);
  assert(merchantId !== undefined, 'the route is mounted behind authenticateMerchant');
  return merchantId;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
