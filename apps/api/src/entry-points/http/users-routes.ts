import { Router } from 'express';
import type { RequestHandler } from 'express';

import { encodeBalance, UserIdParams, UserTransactionListQuery } from '@paygate/contracts';
import { DomainError } from '@paygate/domain';

import type { Services } from '../../deps';
import { getBalance, listTransactions } from '../../services/transaction-reads';
import { authOf } from './context';
import type { Limits } from './limits';
import { methodNotAllowed } from './method-not-allowed';
import { decode } from './validate';

/**
 * /users/{user_id}/... (mounted at /users): only your own user id; another user's is a 403. The window is
 * checked first, so asking for other users' ids spends the caller's budget too.
 */
export function usersRouter(services: Services, limits: Limits): Router {
  const router = Router();

  router
    .route('/:user_id/balance')
    .get(limits.balance, ownUserOnly, async (_req, res) => {
      const auth = authOf(res);
      res.json(encodeBalance(await getBalance(services.transactions, auth.user.id)));
    })
    .all(limits.client, methodNotAllowed(['GET']));

  router
    .route('/:user_id/transactions')
    .get(limits.history, ownUserOnly, async (req, res) => {
      const auth = authOf(res);
      const query = decode(UserTransactionListQuery, req.query, 'query');
      res.json(await listTransactions(services.transactions, { userId: auth.user.id, type: query.type }, query));
    })
    .all(limits.client, methodNotAllowed(['GET']));

  return router;
}

const ownUserOnly: RequestHandler = (req, res, next) => {
  const { user_id: userId } = decode(UserIdParams, req.params, 'path');
  if (userId !== authOf(res).user.id) throw new DomainError('forbidden', 'You can only see your own user.');
  next();
};
