import { Router } from 'express';

import {
  CreateTransactionBody,
  encodeTransaction,
  encodeTransactionEvent,
  IdempotencyKey,
  toCreateTransactionCommand,
  TransactionIdParams,
  TransactionListQuery,
} from '@paygate/contracts';
import type { TransactionType } from '@paygate/domain';
import { DomainError, validationError } from '@paygate/domain';

import type { ApiDeps, Services } from '../../deps';
import { createTransaction } from '../../services/create-transaction';
import { listPage } from './list-page';
import { authOf } from './context';
import { jsonBody } from './json-body';
import type { Limits } from './limits';
import { methodNotAllowed } from './method-not-allowed';
import { singleHeader } from './single-header';
import { decode } from './validate';

/** POST, GET one and GET list, for /deposits and for /withdrawals (mounted at `base`). */
export function transactionsRouter(
  deps: ApiDeps,
  services: Services,
  limits: Limits,
  type: TransactionType,
  base: string,
): Router {
  const router = Router();

  router
    .route('/')
    .post(limits.client, ...jsonBody(deps.config.http.bodyBytesMax), async (req, res) => {
      const auth = authOf(res);
      const idempotencyKey = readIdempotencyKey(singleHeader(req, 'idempotency-key', 'Idempotency-Key'));
      const body = decode(CreateTransactionBody, req.body, 'body');
      const command = toCreateTransactionCommand(body);
      const answer = await createTransaction(
        services.transactions,
        {
          userId: auth.user.id,
          walletCurrency: auth.currency,
          type,
          amountMinor: command.amountMinor,
          currency: command.currency,
          idempotencyKey,
          method: 'POST',
          path: `/api/v1${base}`,
          requestId: res.locals.requestId,
        },
        deps.config.idempotency.ttlHours,
      );
      deps.metrics.transactionsCreated.inc({ type, outcome: answer.outcome });
      if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
      if (answer.transactionId !== null && answer.status === 202)
        res.setHeader('Location', `/api/v1${base}/${answer.transactionId}`);
      res.status(answer.status).json(answer.body);
    })
    .get(limits.history, async (req, res) => {
      const auth = authOf(res);
      const query = decode(TransactionListQuery, req.query, 'query');
      res.json(await listPage(services.transactions, { userId: auth.user.id, type }, query));
    })
    .all(limits.client, methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(limits.client, async (req, res) => {
      const auth = authOf(res);
      const { id } = decode(TransactionIdParams, req.params, 'path');
      const found = await services.transactions.findWithEvents(auth.user.id, id, type);
      if (!found) throw new DomainError('not_found', `No ${type} ${id}.`);
      res.json({ ...encodeTransaction(found.transaction), events: found.events.map(encodeTransactionEvent) });
    })
    .all(limits.client, methodNotAllowed(['GET']));

  return router;
}

function readIdempotencyKey(header: string | undefined): string {
  if (header === undefined) {
    throw new DomainError(
      'idempotency_key_missing',
      'Send an Idempotency-Key header (1-255 printable ASCII characters, e.g. a UUID) so a retry can never create a second transaction.',
    );
  }
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw validationError([
      { field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters', reason: 'invalid_format' },
    ]);
  }
  return parsed.data;
}
