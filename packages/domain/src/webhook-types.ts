/** The shapes of outgoing webhooks, apart from the signing code so the web app can import them. */

export const WEBHOOK_EVENT_TYPES = ['transaction.updated'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** What one attempt came to; `lost`: the worker stopped or stalled before recording an answer. */
export const WEBHOOK_ATTEMPT_OUTCOMES = ['delivered', 'failed', 'lost'] as const;
export type WebhookAttemptOutcome = (typeof WEBHOOK_ATTEMPT_OUTCOMES)[number];

export function isAttemptOutcome(value: string): value is WebhookAttemptOutcome {
  return (WEBHOOK_ATTEMPT_OUTCOMES as readonly string[]).includes(value);
}
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** An endpoint as its owner sees it; the secret is never part of it (shown once, at create and rotate). */
export interface WebhookEndpoint {
  id: number;
  userId: number;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdAt: Date;
  secretRotatedAt: Date | null;
  disabledAt: Date | null;
  failingSince: Date | null;
}

export interface WebhookDelivery {
  id: number;
  endpointId: number;
  eventId: number;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookDeliveryAttempt {
  attemptCount: number;
  startedAt: Date;
  durationMs: number;
  outcome: WebhookAttemptOutcome;
  statusCode: number | null;
  error: string | null;
}

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
