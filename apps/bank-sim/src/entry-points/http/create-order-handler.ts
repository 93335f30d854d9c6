import type { Request, RequestHandler, Response } from 'express';

import type { Bank } from '../../services/bank';
import { merchantIdOf } from './authenticate';
import { BankHttpError } from './errors';
import { decodeIdempotencyKey, decodeOrderRequest, encodeOrder } from './order-wire';
import { requestIdOf } from './request-id';

/** POST /v1/payments: 202 with a new order, 200 with the same order for a repeated key and body. */
export function createOrderHandler(bank: Bank, hangMs: number): RequestHandler {
  return async (request, response) => {
    const idempotencyKey = decodeIdempotencyKey(request.get('idempotency-key'));
    const orderRequest = decodeOrderRequest(request.body);
    const result = await bank.submitOrder({
      merchantId: merchantIdOf(request),
      idempotencyKey,
      requestId: requestIdOf(request),
      request: orderRequest,
    });
    if (result.kind === 'refused') throw new BankHttpError(result.code, result.message);
    // The ambiguous case a real bank produces: the order exists, but the caller gives up before the answer.
    if (result.isHeld) await bank.holds.wait(hangMs, clientGone(request, response));
    if (request.socket.destroyed) return;
    response.status(result.kind === 'accepted' ? 202 : 200).json(encodeOrder(result.order));
  };
}

function clientGone(request: Request, response: Response): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  if (request.socket.destroyed) controller.abort();
  return controller.signal;
}
