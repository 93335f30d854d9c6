import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

import type { ErrorName } from './openapi';
import { BODY_ERRORS, json, KEY_ERRORS, READ, responses, samples, secured } from './openapi';
import {
  CreateWebhookEndpointBody,
  WEBHOOK_ENDPOINT_EXAMPLE,
  WEBHOOK_SECRET_EXAMPLE,
  WebhookDeliveryIdParams,
  WebhookDeliveryListQuery,
  WebhookDeliveryPageWire,
  WebhookDeliveryWire,
  WebhookEndpointIdParams,
  WebhookEndpointListWire,
  WebhookEndpointWire,
  WebhookEndpointWithSecretWire,
} from './webhook-endpoints';

/** POST/GET/DELETE /api/v1/webhook-endpoints[/{id}], rotate-secret, deliveries and retry. */

const TAG = 'Webhook endpoints';
const BASE = '/api/v1/webhook-endpoints';

const DELIVERY_PENDING = {
  id: 312,
  endpoint_id: 7,
  event_id: 'msg_1043',
  event_type: 'transaction.updated',
  status: 'pending',
  attempt_count: 1,
  next_attempt_at: '2026-11-30T09:10:05.000Z',
  last_status_code: 503,
  last_error: 'HTTP 503',
  created_at: '2026-11-30T09:10:00.000Z',
  delivered_at: null,
  attempts: [
    {
      attempt: 1,
      started_at: '2026-11-30T09:10:00.015Z',
      duration_ms: 22,
      outcome: 'failed',
      status_code: 503,
      error: 'HTTP 503',
    },
  ],
};

/** A function, not a constant: openapi.ts imports this module, so its constants are read at call time. */
function notFoundErrors(): ErrorName[] {
  return [...KEY_ERRORS, 'endpointNotFound', 'endpointIdNotInteger', 'rateLimited'];
}

export function registerWebhookEndpoints(registry: OpenAPIRegistry): void {
  registerCollection(registry);
  registerOne(registry);
  registerDeliveries(registry);
}

function registerCollection(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: BASE,
    summary: 'Add a webhook endpoint',
    description:
      'Paygate will POST each change of your transactions (`transaction.updated`, whose `data` is the transaction as the API answers it) to `url`, signed in the Standard Webhooks form: headers `webhook-id` (deduplicate on it), `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, keyed by the base64-decoded part of the secret after `whsec_`. Answer 2xx within 10 seconds; anything else is retried on a schedule of about a day (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h), after which an endpoint that kept failing is disabled. The `secret` is in this answer only. The URL must be http(s) and reach a public address.',
    tags: [TAG],
    security: secured,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: CreateWebhookEndpointBody,
            examples: {
              full: {
                summary: 'URL, events and a description',
                value: {
                  url: WEBHOOK_ENDPOINT_EXAMPLE.url,
                  events: ['transaction.updated'],
                  description: 'Order service',
                },
              },
              urlOnly: { summary: 'Every event type', value: { url: 'https://hooks.example.com/all' } },
            },
          },
        },
      },
    },
    responses: responses(
      READ,
      {
        201: json('The endpoint, with its secret: the only time it is shown.', WebhookEndpointWithSecretWire, {
          created: { summary: 'Created', value: { ...WEBHOOK_ENDPOINT_EXAMPLE, secret: WEBHOOK_SECRET_EXAMPLE } },
        }),
      },
      [
        ...KEY_ERRORS,
        ...BODY_ERRORS,
        'endpointUrlPrivate',
        'endpointUrlScheme',
        'endpointEventUnknown',
        'endpointLimit',
        'rateLimited',
      ],
    ),
    ...samples({
      method: 'POST',
      path: BASE,
      apiKey: true,
      body: { url: WEBHOOK_ENDPOINT_EXAMPLE.url, events: ['transaction.updated'], description: 'Order service' },
    }),
  });

  registry.registerPath({
    method: 'get',
    path: BASE,
    summary: 'List your webhook endpoints',
    description: 'All of them (a user has at most `WEBHOOK_ENDPOINTS_PER_USER_MAX`, 10 by default), oldest first.',
    tags: [TAG],
    security: secured,
    responses: responses(
      READ,
      {
        200: json('Your endpoints, without secrets.', WebhookEndpointListWire, {
          list: { summary: 'One enabled endpoint', value: { items: [WEBHOOK_ENDPOINT_EXAMPLE] } },
        }),
      },
      [...KEY_ERRORS, 'rateLimited'],
    ),
    ...samples({ method: 'GET', path: BASE, apiKey: true }),
  });
}

function registerOne(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: `${BASE}/{id}`,
    summary: 'Get a webhook endpoint',
    description: "Its state, without the secret. Another user's endpoint is a 404.",
    tags: [TAG],
    security: secured,
    request: { params: WebhookEndpointIdParams },
    responses: responses(
      READ,
      {
        200: json('The endpoint.', WebhookEndpointWire, {
          failing: {
            summary: 'Failing since a while',
            value: { ...WEBHOOK_ENDPOINT_EXAMPLE, failing_since: '2026-11-30T09:10:00.037Z' },
          },
        }),
      },
      notFoundErrors(),
    ),
    ...samples({ method: 'GET', path: `${BASE}/7`, apiKey: true }),
  });

  registry.registerPath({
    method: 'delete',
    path: `${BASE}/{id}`,
    summary: 'Delete a webhook endpoint',
    description: 'Nothing more is sent to it; its deliveries and their attempts are deleted with it.',
    tags: [TAG],
    security: secured,
    request: { params: WebhookEndpointIdParams },
    responses: responses(
      READ,
      {
        200: json('The endpoint as it was.', WebhookEndpointWire, {
          deleted: { summary: 'Deleted', value: { ...WEBHOOK_ENDPOINT_EXAMPLE, description: 'Old order service' } },
        }),
      },
      notFoundErrors(),
    ),
    ...samples({ method: 'DELETE', path: `${BASE}/7`, apiKey: true }),
  });

  registry.registerPath({
    method: 'post',
    path: `${BASE}/{id}/rotate-secret`,
    summary: 'Rotate the signing secret',
    description:
      'A new secret, shown in this answer only. Every attempt from now on is signed with it, including retries of earlier events; an attempt already in flight may still carry the old signature.',
    tags: [TAG],
    security: secured,
    request: { params: WebhookEndpointIdParams },
    responses: responses(
      READ,
      {
        200: json('The endpoint with its new secret.', WebhookEndpointWithSecretWire, {
          rotated: {
            summary: 'Rotated',
            value: {
              ...WEBHOOK_ENDPOINT_EXAMPLE,
              secret_rotated_at: '2026-11-30T10:00:00.000Z',
              secret: 'whsec_c2VjcmV0LXJvdGF0ZWQtZm9yLWRvY3MtMDE',
            },
          },
        }),
      },
      notFoundErrors(),
    ),
    ...samples({ method: 'POST', path: `${BASE}/7/rotate-secret`, apiKey: true }),
  });
}

function registerDeliveries(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: `${BASE}/{id}/deliveries`,
    summary: "An endpoint's deliveries, newest first",
    description:
      'One delivery per event, with its status (`pending` while attempts remain, `delivered`, `failed`) and its latest attempts. Keyset pages: pass `next_cursor` as `cursor`.',
    tags: [TAG],
    security: secured,
    request: { params: WebhookEndpointIdParams, query: WebhookDeliveryListQuery },
    responses: responses(
      READ,
      {
        200: json('A page of deliveries.', WebhookDeliveryPageWire, {
          page: {
            summary: 'A retrying delivery, more after it',
            value: { items: [DELIVERY_PENDING], limit: 1, has_more: true, next_cursor: 'MTc2NDQ5MzgwMDAwMDozMTI' },
          },
        }),
      },
      [...notFoundErrors(), 'limitTooBig', 'cursorForeign'],
    ),
    ...samples({ method: 'GET', path: `${BASE}/7/deliveries`, apiKey: true, query: { limit: 20 } }),
  });

  registry.registerPath({
    method: 'post',
    path: `${BASE}/{id}/deliveries/{delivery_id}/retry`,
    summary: 'Retry a delivery now',
    description:
      'A delivered or failed delivery gets one more attempt, right away; a pending one is brought forward. Retrying a delivery of a disabled endpoint enables the endpoint again.',
    tags: [TAG],
    security: secured,
    request: { params: WebhookDeliveryIdParams },
    responses: responses(
      READ,
      {
        202: json('The delivery, due now.', WebhookDeliveryWire, {
          queued: {
            summary: 'Queued for one more attempt',
            value: {
              ...DELIVERY_PENDING,
              status: 'pending',
              next_attempt_at: '2026-11-30T10:00:00.000Z',
              attempts: [],
            },
          },
        }),
      },
      [...notFoundErrors(), 'deliveryNotFound'],
    ),
    ...samples({ method: 'POST', path: `${BASE}/7/deliveries/312/retry`, apiKey: true }),
  });
}
