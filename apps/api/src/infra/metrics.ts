import { Counter, Gauge, Histogram } from 'prom-client';

import { createMetricsRegistry } from '@paygate/config';

/** The API's Prometheus metrics, in a registry of its own so several apps can run in one test process. */
export function createMetrics() {
  const registry = createMetricsRegistry('paygate_api_');
  return {
    registry,
    httpDuration: new Histogram({
      name: 'paygate_api_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template (from the OpenAPI paths; unmatched otherwise) and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    transactionsCreated: new Counter({
      name: 'paygate_api_transactions_created_total',
      help: 'Create requests by type and outcome: created, insufficient_balance, replayed.',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    webhooks: new Counter({
      name: 'paygate_api_bank_webhooks_total',
      help: 'Accepted bank callbacks by outcome (applied, duplicate, ignored, conflict) and the status they reported.',
      labelNames: ['outcome', 'status'] as const,
      registers: [registry],
    }),
    webhooksRejected: new Counter({
      name: 'paygate_webhook_rejected_total',
      help: 'Refused bank callbacks by reason: invalid_signature, stale_timestamp, invalid_body, not_ready, and the security events unknown_transaction and *_mismatch (signed, but not our order).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'paygate_api_rate_limited_total',
      help: 'Requests refused with 429, by scope.',
      labelNames: ['scope'] as const,
      registers: [registry],
    }),
    rateLimiterErrors: new Counter({
      name: 'paygate_api_rate_limiter_errors_total',
      help: 'Rate limit checks that could not reach Redis, by the decision taken (allowed when failing open).',
      labelNames: ['decision'] as const,
      registers: [registry],
    }),
    ledgerViolations: new Gauge({
      name: 'paygate_api_ledger_violations',
      help: 'Drift found by the last ledger check this API ran (GET /api/v1/admin/ledger): unbalanced currencies, balances that differ from their postings, holds that differ from open withdrawals, negative available amounts. 0 is healthy.',
      registers: [registry],
    }),
    dependencyUp: new Gauge({
      name: 'paygate_api_dependency_up',
      help: 'Last health check result per dependency (1 up, 0 down).',
      labelNames: ['dependency'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
