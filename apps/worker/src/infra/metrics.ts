import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';

import { createMetricsRegistry } from '@paygate/config';

import type { BreakerState } from '@paygate/domain';

/**
 * The worker's Prometheus metrics, in a registry of its own so several workers can run in one test
 * process, and the small HTTP server that exposes them with /health.
 */

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** `breakerState` is read at scrape time: an open breaker turns half-open by the clock, not by an event. */
export function createMetrics(sources: { breakerState: () => BreakerState }) {
  const registry = createMetricsRegistry('paygate_worker_');
  return {
    registry,
    processed: new Counter({
      name: 'paygate_worker_processed_total',
      help: 'Messages handled from the process queue, by outcome: submitted, settled_success, settled_failed, retry, wait_for_breaker, failed, left_for_reconciler, already_submitted, already_final, unknown_transaction, poison, error.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    retries: new Counter({
      name: 'paygate_worker_retries_total',
      help: 'Messages sent to a delay queue for another attempt, by the kind of failure: timeout, network, http, bad_response, internal_error.',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    breakerWaits: new Counter({
      name: 'paygate_worker_breaker_waits_total',
      help: 'Messages that met an open circuit breaker and were put back to wait for its probe (no bank call).',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'paygate_worker_dead_lettered_total',
      help: 'Messages sent to the dead-letter queue, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    dlqMessages: new Gauge({
      name: 'paygate_worker_dlq_messages',
      help: 'Messages waiting in the dead-letter queue (refreshed periodically).',
      registers: [registry],
    }),
    bankRequestDuration: new Histogram({
      name: 'paygate_worker_bank_request_duration_seconds',
      help: 'Bank call latency by operation (submit, status) and outcome.',
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'paygate_worker_breaker_state',
      help: 'Bank circuit breaker: 0 closed, 1 half_open, 2 open.',
      registers: [registry],
      collect() {
        this.set(BREAKER_STATE_VALUE[sources.breakerState()]);
      },
    }),
    outboxLag: new Gauge({
      name: 'paygate_worker_outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox message (0 when none; refreshed periodically).',
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'paygate_worker_outbox_published_total',
      help: 'Outbox messages published to RabbitMQ and confirmed.',
      registers: [registry],
    }),
    reconciled: new Counter({
      name: 'paygate_worker_reconciled_total',
      help: 'Stuck transactions looked at by the reconciler, by result.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    retentionDeleted: new Counter({
      name: 'paygate_worker_retention_deleted_total',
      help: 'Rows deleted by retention, by kind (idempotency_key, outbox).',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    ledgerViolations: new Gauge({
      name: 'paygate_worker_ledger_violations',
      help: 'Drift found by the last periodic ledger check (LEDGER_CHECK_INTERVAL_MS): unbalanced currencies, balances that differ from their postings, holds that differ from open withdrawals, negative available amounts. 0 is healthy.',
      registers: [registry],
    }),
    amqpConnected: new Gauge({
      name: 'paygate_worker_amqp_connected',
      help: '1 while the worker holds an AMQP connection with its channels open, else 0.',
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createMetrics>;

export interface HealthReport {
  isHealthy: boolean;
  checks: Record<string, 'up' | 'down'>;
}

/** GET /metrics and GET /health on their own port; nothing else is served. */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  health: () => Promise<HealthReport>;
}): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' })
        .end('{"error":"method_not_allowed"}');
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
      );
      return;
    }
    if (path === '/health') {
      options.health().then(
        (report) =>
          response.writeHead(report.isHealthy ? 200 : 503, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              status: report.isHealthy ? 'healthy' : 'unhealthy',
              service: 'paygate-worker',
              checks: report.checks,
            }),
          ),
        () =>
          response
            .writeHead(503, { 'content-type': 'application/json' })
            .end('{"status":"unhealthy","service":"paygate-worker"}'),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  // Scrapes are tiny and frequent; nothing here should hold a socket for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
