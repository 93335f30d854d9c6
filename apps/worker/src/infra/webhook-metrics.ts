import type { Registry } from 'prom-client';
import { Counter, Histogram } from 'prom-client';

/** Outgoing webhook metrics, on the worker's registry. */
export function createWebhookMetrics(registry: Registry) {
  return {
    deliveries: new Counter({
      name: 'paygate_worker_webhook_attempts_total',
      help: 'Outgoing webhook attempts by what came of the delivery: delivered, retrying, failed (no attempt left), endpoint_disabled, gone (the endpoint was deleted meanwhile); lost: an attempt whose worker stopped or stalled before recording an answer, found when the delivery was claimed again.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'paygate_worker_webhook_attempt_duration_seconds',
      help: 'How long one outgoing webhook attempt took, from the request to the end of the answer, by result: delivered, failed.',
      labelNames: ['result'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
