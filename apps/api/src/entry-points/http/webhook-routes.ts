import { Router } from 'express';

import type { ApiDeps, Services } from '../../deps';
import { applyBankWebhook } from '../../services/apply-bank-webhook';
import { DomainError } from '@paygate/domain';
import { jsonBody } from './json-body';
import { methodNotAllowed } from './method-not-allowed';

/** POST /webhooks/bank-callback: not rate limited by user traffic, authenticated by its signature. */
export function webhookRouter(deps: ApiDeps, services: Services): Router {
  const router = Router();
  router
    .route('/webhooks/bank-callback')
    .post(...jsonBody(deps.config.http.bodyBytesMax), async (req, res) => {
      try {
        const { outcome, payload } = await applyBankWebhook(services.settlement, req.body, {
          secret: deps.config.webhook.secret,
          toleranceS: deps.config.webhook.toleranceS,
          nowS: Math.floor(deps.clock().getTime() / 1000),
          requestId: res.locals.requestId,
        });
        deps.metrics.webhooks.inc({ outcome, status: payload.status });
        if (outcome !== 'applied') deps.logger.info({ request_id: res.locals.requestId, transaction_id: payload.transaction_id, outcome }, 'bank webhook not applied');
        res.json({ received: true, outcome, request_id: res.locals.requestId });
      } catch (error) {
        if (error instanceof DomainError) deps.metrics.webhooks.inc({ outcome: error.code, status: 'unknown' });
        throw error;
      }
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
