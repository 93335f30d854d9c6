import { Router } from 'express';

import type { Bank } from '../../services/bank';
import { merchantIdOf } from './authenticate';
import { createOrderHandler } from './create-order-handler';
import { BankHttpError } from './errors';
import { encodeOrder } from './order-wire';

/** Mounted behind authenticateMerchant: every route here acts for the authenticated merchant only. */
export function paymentsRoutes(bank: Bank, hangMs: number): Router {
  const router = Router();
  router.post('/v1/payments', createOrderHandler(bank, hangMs));
  // Looked up by bank reference, or by the idempotency key: a caller whose POST timed out has only that.
  router.get('/v1/payments/:reference', async (request, response) => {
    const order = await bank.findOrder(merchantIdOf(request), request.params.reference);
    if (order === undefined) {
      throw new BankHttpError('not_found', 'No order of yours has this bank reference or idempotency key.');
    }
    response.json(encodeOrder(order));
  });
  return router;
}
