import { Router } from 'express';

import {
  CreateWebhookEndpointBody,
  encodeWebhookDelivery,
  encodeWebhookEndpoint,
  WebhookDeliveryIdParams,
  WebhookDeliveryListQuery,
  WebhookEndpointIdParams,
} from '@paygate/contracts';

import type { ApiDeps, Services } from '../../deps';
import { authOf } from './context';
import { jsonBody } from './json-body';
import type { Limits } from './limits';
import { methodNotAllowed } from './method-not-allowed';
import { decode } from './validate';

/**
 * /webhook-endpoints (mounted at that prefix): a user's outgoing webhook endpoints. Writes and reads of one
 * count against the client window, the deliveries list against the history window like every list.
 */
export function webhookEndpointsRouter(deps: ApiDeps, services: Services, limits: Limits): Router {
  const router = Router();
  const endpoints = services.webhookEndpoints;

  router
    .route('/')
    .post(limits.client, ...jsonBody(deps.config.http.bodyBytesMax), async (req, res) => {
      const body = decode(CreateWebhookEndpointBody, req.body, 'body');
      const { endpoint, secret } = await endpoints.create(authOf(res).user.id, body);
      res.setHeader('Location', `/api/v1/webhook-endpoints/${endpoint.id}`);
      res.status(201).json({ ...encodeWebhookEndpoint(endpoint), secret });
    })
    .get(limits.client, async (_req, res) => {
      const items = await endpoints.list(authOf(res).user.id);
      res.json({ items: items.map(encodeWebhookEndpoint) });
    })
    .all(limits.client, methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(limits.client, async (req, res) => {
      const { id } = decode(WebhookEndpointIdParams, req.params, 'path');
      res.json(encodeWebhookEndpoint(await endpoints.get(authOf(res).user.id, id)));
    })
    .delete(limits.client, async (req, res) => {
      const { id } = decode(WebhookEndpointIdParams, req.params, 'path');
      res.json(encodeWebhookEndpoint(await endpoints.delete(authOf(res).user.id, id)));
    })
    .all(limits.client, methodNotAllowed(['GET', 'DELETE']));

  router
    .route('/:id/rotate-secret')
    .post(limits.client, async (req, res) => {
      const { id } = decode(WebhookEndpointIdParams, req.params, 'path');
      const { endpoint, secret } = await endpoints.rotateSecret(authOf(res).user.id, id);
      res.json({ ...encodeWebhookEndpoint(endpoint), secret });
    })
    .all(limits.client, methodNotAllowed(['POST']));

  router
    .route('/:id/deliveries')
    .get(limits.history, async (req, res) => {
      const { id } = decode(WebhookEndpointIdParams, req.params, 'path');
      const query = decode(WebhookDeliveryListQuery, req.query, 'query');
      res.json(await endpoints.deliveryPage(authOf(res).user.id, id, query));
    })
    .all(limits.client, methodNotAllowed(['GET']));

  router
    .route('/:id/deliveries/:delivery_id/retry')
    .post(limits.client, async (req, res) => {
      const { id, delivery_id: deliveryId } = decode(WebhookDeliveryIdParams, req.params, 'path');
      const retried = await endpoints.retry(authOf(res).user.id, id, deliveryId);
      res.status(202).json(encodeWebhookDelivery(retried.delivery, retried.attempts));
    })
    .all(limits.client, methodNotAllowed(['POST']));

  return router;
}
