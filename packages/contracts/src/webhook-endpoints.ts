import { z } from 'zod';

import {
  PAGE_LIMIT_MAX,
  PAGE_LIMIT_MIN,
  WEBHOOK_DESCRIPTION_LENGTH_MAX,
  WEBHOOK_URL_LENGTH_MAX,
} from '@paygate/domain/limits';
import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from '@paygate/domain/webhook-types';
import {
  WEBHOOK_ATTEMPT_OUTCOMES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
} from '@paygate/domain/webhook-types';

import { EntityId, ISO_TIME } from './common';
import type { TransactionWire } from './transactions';
import { TransactionWire as TransactionWireSchema } from './transactions';

/**
 * Outgoing webhooks (DESIGN.md, in the Standard Webhooks form): the endpoints a user registers, the
 * deliveries made to them, and the body each delivery sends.
 */

export const WEBHOOK_ENDPOINT_EXAMPLE = {
  id: 7,
  url: 'https://hooks.example.com/paygate',
  events: ['transaction.updated'],
  description: 'Order service',
  status: 'enabled',
  created_at: '2026-11-30T09:00:00.000Z',
  secret_rotated_at: null,
  disabled_at: null,
  failing_since: null,
};

export const WEBHOOK_SECRET_EXAMPLE = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// --- requests ---

export const CreateWebhookEndpointBody = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .max(WEBHOOK_URL_LENGTH_MAX)
      .meta({
        description: `Where to POST events: an http(s) URL of at most ${WEBHOOK_URL_LENGTH_MAX} characters whose host is a public address.`,
      }),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .optional()
      .meta({ description: 'Event types to receive; defaults to every type (today: `transaction.updated`).' }),
    description: z.string().max(WEBHOOK_DESCRIPTION_LENGTH_MAX).optional(),
  })
  .meta({
    id: 'CreateWebhookEndpointRequest',
    example: {
      url: 'https://hooks.example.com/paygate',
      events: ['transaction.updated'],
      description: 'Order service',
    },
  });
export type CreateWebhookEndpointBody = z.infer<typeof CreateWebhookEndpointBody>;

const Id = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
  .transform(Number);
export const WebhookEndpointIdParams = z.strictObject({ id: Id });
export const WebhookDeliveryIdParams = z.strictObject({ id: Id, delivery_id: Id });

export const WebhookDeliveryListQuery = z.strictObject({
  limit: z.coerce.number().int().min(PAGE_LIMIT_MIN).max(PAGE_LIMIT_MAX).default(20).meta({ example: 20 }),
  cursor: z
    .string()
    .max(64)
    .optional()
    .meta({ description: 'Opaque keyset cursor from `next_cursor` of the previous page.' }),
});

// --- responses ---

export const WebhookEndpointWire = z
  .object({
    id: EntityId,
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    description: z.string().nullable(),
    status: z.enum(['enabled', 'disabled']).meta({
      description: '`disabled` after a delivery failed for the whole retry schedule; retrying a delivery enables it.',
    }),
    created_at: ISO_TIME,
    secret_rotated_at: ISO_TIME.nullable(),
    disabled_at: ISO_TIME.nullable(),
    failing_since: ISO_TIME.nullable().meta({ description: 'The first failed attempt since the last success.' }),
  })
  .meta({ id: 'WebhookEndpoint', example: WEBHOOK_ENDPOINT_EXAMPLE });
export type WebhookEndpointWire = z.infer<typeof WebhookEndpointWire>;

export const WebhookEndpointWithSecretWire = WebhookEndpointWire.extend({
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/)
    .meta({
      description: 'The signing secret. Shown only in this answer: store it now.',
    }),
}).meta({ id: 'WebhookEndpointWithSecret', example: { ...WEBHOOK_ENDPOINT_EXAMPLE, secret: WEBHOOK_SECRET_EXAMPLE } });
export type WebhookEndpointWithSecretWire = z.infer<typeof WebhookEndpointWithSecretWire>;

export const WebhookEndpointListWire = z
  .object({ items: z.array(WebhookEndpointWire) })
  .meta({ id: 'WebhookEndpointList', example: { items: [WEBHOOK_ENDPOINT_EXAMPLE] } });

export const WebhookDeliveryAttemptWire = z
  .object({
    attempt: z.number().int().min(1),
    started_at: ISO_TIME,
    duration_ms: z.number().int().nonnegative(),
    outcome: z.enum(WEBHOOK_ATTEMPT_OUTCOMES).meta({
      description:
        '`lost`: a worker stopped or stalled during the attempt before recording an answer (the receiver may have got it); the delivery was sent again.',
    }),
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookDeliveryAttempt' });

const DELIVERY_EXAMPLE = {
  id: 311,
  endpoint_id: 7,
  event_id: 'msg_1042',
  event_type: 'transaction.updated',
  status: 'delivered',
  attempt_count: 2,
  next_attempt_at: null,
  last_status_code: 200,
  last_error: null,
  created_at: '2026-11-30T09:05:00.000Z',
  delivered_at: '2026-11-30T09:05:05.210Z',
  attempts: [
    {
      attempt: 2,
      started_at: '2026-11-30T09:05:05.180Z',
      duration_ms: 30,
      outcome: 'delivered',
      status_code: 200,
      error: null,
    },
    {
      attempt: 1,
      started_at: '2026-11-30T09:05:00.020Z',
      duration_ms: 41,
      outcome: 'failed',
      status_code: 500,
      error: 'HTTP 500',
    },
  ],
};

export const WebhookDeliveryWire = z
  .object({
    id: EntityId,
    endpoint_id: EntityId,
    event_id: z.string().meta({ description: 'The `webhook-id` header of every attempt: deduplicate on it.' }),
    event_type: z.enum(WEBHOOK_EVENT_TYPES),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempt_count: z.number().int().nonnegative(),
    next_attempt_at: ISO_TIME.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: ISO_TIME,
    delivered_at: ISO_TIME.nullable(),
    attempts: z
      .array(WebhookDeliveryAttemptWire)
      .meta({ description: 'The latest attempts, newest first (20 at most).' }),
  })
  .meta({ id: 'WebhookDelivery', example: DELIVERY_EXAMPLE });
export type WebhookDeliveryWire = z.infer<typeof WebhookDeliveryWire>;

export const WebhookDeliveryPageWire = z
  .object({
    items: z.array(WebhookDeliveryWire),
    limit: z.number().int().min(PAGE_LIMIT_MIN).max(PAGE_LIMIT_MAX),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({
    id: 'WebhookDeliveryPage',
    example: { items: [DELIVERY_EXAMPLE], limit: 1, has_more: true, next_cursor: 'MTc2NDQ5MzUwMDAwMDozMTE' },
  });
export type WebhookDeliveryPageWire = z.infer<typeof WebhookDeliveryPageWire>;

/** The body of every delivery: the event type, when it happened, and the transaction right after it. */
export const WebhookEventBody = z
  .object({
    type: z.enum(WEBHOOK_EVENT_TYPES),
    timestamp: ISO_TIME,
    data: TransactionWireSchema,
  })
  .meta({ id: 'WebhookEvent' });
export type WebhookEventBody = z.infer<typeof WebhookEventBody>;

// --- encoders ---

export function encodeWebhookEndpoint(endpoint: WebhookEndpoint): WebhookEndpointWire {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    status: endpoint.disabledAt === null ? 'enabled' : 'disabled',
    created_at: endpoint.createdAt.toISOString(),
    secret_rotated_at: endpoint.secretRotatedAt?.toISOString() ?? null,
    disabled_at: endpoint.disabledAt?.toISOString() ?? null,
    failing_since: endpoint.failingSince?.toISOString() ?? null,
  };
}

export function encodeWebhookDelivery(
  delivery: WebhookDelivery,
  attempts: WebhookDeliveryAttempt[],
): WebhookDeliveryWire {
  return {
    id: delivery.id,
    endpoint_id: delivery.endpointId,
    event_id: `msg_${delivery.eventId}`,
    event_type: delivery.eventType,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attemptCount,
      started_at: attempt.startedAt.toISOString(),
      duration_ms: attempt.durationMs,
      outcome: attempt.outcome,
      status_code: attempt.statusCode,
      error: attempt.error,
    })),
  };
}

/** The exact body the worker signs and sends; `data` comes from the same encoder as the API's answers. */
export function encodeWebhookEvent(timestamp: Date, transaction: TransactionWire): string {
  const body: WebhookEventBody = { type: 'transaction.updated', timestamp: timestamp.toISOString(), data: transaction };
  return JSON.stringify(body);
}
