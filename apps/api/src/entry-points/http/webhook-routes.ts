import { Router } from 'express';

import { applyBankWebhook } from '@paygate/payments';

import type { ApiDeps, Services } from '../../deps';
import { jsonBody } from './json-body';
import { methodNotAllowed } from './method-not-allowed';

/** POST /webhooks/bank-callback: not rate limited by user traffic, authenticated by its signature. */
export function webhookRouter(deps: ApiDeps, services: Services): Router {
  const router = Router();
  router
    .route('/webhooks/bank-callback')
    .post(...jsonBody(deps.config.http.bodyBytesMax), async (req, res) => {
      const requestId = res.locals.requestId;
      const answer = await applyBankWebhook(services.settlement, req.body, {
        secret: deps.config.webhook.secret,
        toleranceS: deps.config.webhook.toleranceS,
        nowS: Math.floor(deps.clock().getTime() / 1000),
        requestId,
        sourceAddress: req.ip ?? null,
      });
      if (answer.kind === 'rejected') {
        deps.metrics.webhooksRejected.inc({ reason: answer.reason });
        // A correctly signed webhook for another order is a security event: the bank misbehaves or our
        // secret leaked. Unsigned noise is only counted.
        const isSecurityEvent = answer.error.code === 'webhook_mismatch' || answer.reason === 'unknown_transaction';
        const log = { request_id: requestId, reason: answer.reason, source_address: req.ip };
        if (isSecurityEvent) deps.logger.warn(log, 'signed bank webhook rejected: it does not match our order');
        else deps.logger.info(log, 'bank webhook refused');
        throw answer.error;
      }
      const { outcome, payload } = answer;
      deps.metrics.webhooks.inc({ outcome, status: payload.status });
      if (outcome === 'conflict') {
        deps.logger.error(
          { request_id: requestId, transaction_id: payload.transaction_id, bank_status: payload.status },
          'the bank reports another outcome for a transaction that is already final: reconcile by hand',
        );
      } else if (outcome !== 'applied') {
        deps.logger.info(
          { request_id: requestId, transaction_id: payload.transaction_id, outcome },
          'bank webhook not applied',
        );
      }
      res.json({ received: true, outcome, request_id: requestId });
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
