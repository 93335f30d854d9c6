import type {
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEventType,
} from '@paygate/domain';
import { assert, isAttemptOutcome, isWebhookEventType, WEBHOOK_DELIVERY_STATUSES } from '@paygate/domain';

import { toId } from './rows';

export const ENDPOINT_COLUMNS =
  'id, user_id, url, events, description, created_at, secret_rotated_at, disabled_at, failing_since';

export interface EndpointRow {
  id: string;
  user_id: string;
  url: string;
  events: unknown;
  description: string | null;
  created_at: Date;
  secret_rotated_at: Date | null;
  disabled_at: Date | null;
  failing_since: Date | null;
}

export const DELIVERY_COLUMNS =
  'id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, last_status_code, last_error, created_at, delivered_at';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface AttemptRow {
  attempt_count: number;
  started_at: Date;
  duration_ms: number;
  outcome: string;
  status_code: number | null;
  error: string | null;
}

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: toId(row.id),
    userId: toId(row.user_id),
    url: row.url,
    events: toEventTypes(row.events),
    description: row.description,
    createdAt: row.created_at,
    secretRotatedAt: row.secret_rotated_at,
    disabledAt: row.disabled_at,
    failingSince: row.failing_since,
  };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  assert(isDeliveryStatus(row.status), `unknown delivery status: ${row.status}`);
  assert(isWebhookEventType(row.event_type), `unknown event type: ${row.event_type}`);
  return {
    id: toId(row.id),
    endpointId: toId(row.endpoint_id),
    eventId: toId(row.event_id),
    eventType: row.event_type,
    status: row.status,
    attemptCount: row.attempt_count,
    // A finished delivery has no next attempt, whatever the column last held.
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

export function toAttempt(row: AttemptRow): WebhookDeliveryAttempt {
  assert(isAttemptOutcome(row.outcome), `unknown attempt outcome: ${row.outcome}`);
  return {
    attemptCount: row.attempt_count,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    outcome: row.outcome,
    statusCode: row.status_code,
    error: row.error,
  };
}

function toEventTypes(value: unknown): WebhookEventType[] {
  assert(Array.isArray(value) && value.length > 0, 'endpoint events are a non-empty array');
  return value.map((item: unknown) => {
    assert(typeof item === 'string' && isWebhookEventType(item), `unknown event type: ${String(item)}`);
    return item;
  });
}

function isDeliveryStatus(value: string): value is WebhookDeliveryStatus {
  return (WEBHOOK_DELIVERY_STATUSES as readonly string[]).includes(value);
}
