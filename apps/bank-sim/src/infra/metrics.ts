import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';

import { createMetricsRegistry } from '@paygate/config';

/** Order answers, settlements and webhook deliveries, on a registry per bank so tests can run several. */
export type OrderAnswer =
  'accepted' | 'replayed' | 'unavailable' | 'invalid_request' | 'idempotency_key_reused' | 'order_book_full';

export interface Metrics {
  registry: Registry;
  ordersTotal: Counter<'answer'>;
  settlementsTotal: Counter<'status'>;
  webhookDeliveriesTotal: Counter<'result'>;
  ordersInBook: Gauge;
  heldAnswers: Gauge;
  requestsUnauthorizedTotal: Counter;
}

/** Live values the registry reads when it is scraped. */
export interface MetricSources {
  /** Order answers held back right now (the "timeout" scenario or hang mode). */
  heldAnswerCount: () => number;
}

export function createMetrics(sources: MetricSources): Metrics {
  const registry = createMetricsRegistry('bank_sim_');
  return {
    registry,
    ordersTotal: new Counter({
      name: 'bank_sim_orders_total',
      help: 'POST /v1/payments answers by kind (accepted, replayed, unavailable, ...).',
      labelNames: ['answer'],
      registers: [registry],
    }),
    settlementsTotal: new Counter({
      name: 'bank_sim_settlements_total',
      help: 'Orders settled, by final status.',
      labelNames: ['status'],
      registers: [registry],
    }),
    webhookDeliveriesTotal: new Counter({
      name: 'bank_sim_webhook_deliveries_total',
      help: 'Webhook attempts by result (delivered, failed_attempt, gave_up, dropped).',
      labelNames: ['result'],
      registers: [registry],
    }),
    ordersInBook: new Gauge({
      name: 'bank_sim_orders_in_book',
      help: 'Orders in the bank database, as this process last counted them (bounded by BANK_ORDER_COUNT_MAX).',
      registers: [registry],
    }),
    heldAnswers: new Gauge({
      name: 'bank_sim_answers_held',
      help: 'Order answers the bank holds back right now: calls the merchant has made and is still waiting on.',
      registers: [registry],
      collect() {
        this.set(sources.heldAnswerCount());
      },
    }),
    requestsUnauthorizedTotal: new Counter({
      name: 'bank_sim_requests_unauthorized_total',
      help: 'Requests refused 401 for a missing or wrong merchant credential.',
      registers: [registry],
    }),
  };
}
