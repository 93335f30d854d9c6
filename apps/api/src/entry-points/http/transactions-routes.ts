import { Router } from 'express';

import type { Response } from 'express';

import {
  CreateTransactionBody,
  encodeInsufficientBalance,
  encodeTransaction,
  encodeTransactionEvent,
  IdempotencyKey,
  toCreateTransactionCommand,
  TransactionIdParams,
  TransactionListQuery,
} from '@paygate/contracts';
import type { TransactionType } from '@paygate/domain';
import { DomainError, HTTP_STATUS_BY_CODE, validationError } from '@paygate/domain';
import type { CreateTransactionOutcome } from '@paygate/payments';
import { createTransaction } from '@paygate/payments';

import type { ApiDeps, Services } from '../../deps';
import { getTransaction, listTransactions } from '../../services/transaction-reads';
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
      const outcome = await createTransaction(
        { transactions: services.transactions, idempotencyTtlHours: deps.config.idempotency.ttlHours },
        {
          userId: auth.user.id,
          walletCurrency: auth.currency,
          type,
          amountMinor: command.amountMinor,
          currency: command.currency,
          idempotencyKey,
          path: `/api/v1${base}`,
          requestId: res.locals.requestId,
        },
      );
      deps.metrics.transactionsCreated.inc({ type, outcome: outcome.isReplay ? 'replayed' : outcome.kind });
      sendCreated(res, outcome, base);
    })
    .get(limits.history, async (req, res) => {
      const auth = authOf(res);
      const query = decode(TransactionListQuery, req.query, 'query');
      res.json(await listTransactions(services.transactions, { userId: auth.user.id, type }, query));
    })
    .all(limits.client, methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(limits.client, async (req, res) => {
      const auth = authOf(res);
      const { id } = decode(TransactionIdParams, req.params, 'path');
      const found = await getTransaction(services.transactions, { userId: auth.user.id, id, type });
      res.json({ ...encodeTransaction(found.transaction), events: found.events.map(encodeTransactionEvent) });
    })
    .all(limits.client, methodNotAllowed(['GET']));

  return router;
}

/** The answer is encoded from the outcome alone, so a replay (the stored outcome) is the first answer again. */
function sendCreated(res: Response, outcome: CreateTransactionOutcome, base: string): void {
  if (outcome.isReplay) res.setHeader('Idempotent-Replayed', 'true');
  if (outcome.kind === 'insufficient_balance') {
    res.status(HTTP_STATUS_BY_CODE.insufficient_balance).json(encodeInsufficientBalance(outcome.refusal));
    return;
  }
  res.setHeader('Location', `/api/v1${base}/${outcome.transaction.id}`);
  res.status(202).json(encodeTransaction(outcome.transaction));
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
