import type { RequestHandler } from 'express';
import { Router } from 'express';
import { z } from 'zod';

import type { RepairResultWire } from '@paygate/contracts';
import { TransactionIdParams } from '@paygate/contracts';

import type { Services } from '../../../deps';
import type { RepairContext } from '../../../services/repair-context';
import { methodNotAllowed } from '../method-not-allowed';
import { decode } from '../validate';
import { contextOf } from './repair-context';

const DeadLetterIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'id must be a positive integer')
    .transform(Number),
});

/**
 * Repairs from the console: reconcile now, retry submission, fail with a reason, replay a dead letter. Each
 * takes {reason}, needs the `operator` role and an allowed Origin (the guards), and is audited in the same
 * transaction as its change, refusals included. GET /ledger runs the ledger check (any operator).
 */
export function repairRoutes(services: Services, guards: RequestHandler[]): Router {
  const router = Router();
  const { repairs } = services;

  const paymentRepair = (path: string, run: (id: number, context: RepairContext) => Promise<RepairResultWire>) =>
    router
      .route(`/payments/:id/${path}`)
      .post(...guards, async (req, res) => {
        const { id } = decode(TransactionIdParams, req.params, 'path');
        res.json(await run(id, contextOf(req.body, res)));
      })
      .all(methodNotAllowed(['POST']));
  paymentRepair('reconcile', (id, context) => repairs.reconcile(id, context));
  paymentRepair('retry', (id, context) => repairs.retry(id, context));
  paymentRepair('fail', (id, context) => repairs.fail(id, context));

  router
    .route('/dead-letters/:id/replay')
    .post(...guards, async (req, res) => {
      const { id } = decode(DeadLetterIdParams, req.params, 'path');
      res.json(await repairs.replayDeadLetter(id, contextOf(req.body, res)));
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/ledger')
    .get(async (_req, res) => {
      res.json(await repairs.checkLedger());
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
