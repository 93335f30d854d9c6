// `pnpm bench webhooks`: outgoing webhook deliveries per second to a local receiver. A fresh database gets
// one endpoint and N transaction events (the fan-out trigger writes N deliveries, as the money paths do),
// then the worker's own WebhookDispatcher drains them: claim under a lease, sign, POST over keep-alive, record
// the attempt. The receiver runs in this process and answers 204 at once, so the figure is the gateway's
// side (claim, sign, send, record), sharing the machine's two cores with PostgreSQL and the receiver.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import {
  createPool,
  TransactionsRepository,
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
} from '@paygate/db';
import { generateWebhookSecret, verifyWebhook, WebhookSecretBox } from '@paygate/domain';

import { createLogger } from '../../apps/worker/src/infra/logger';
import { createMetrics } from '../../apps/worker/src/infra/metrics';
import { createWebhookMetrics } from '../../apps/worker/src/infra/webhook-metrics';
import { WebhookDispatcher } from '../../apps/worker/src/services/webhook-dispatcher';
import { cpuModel, freshDatabase, writeReport } from './lib';

const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 16);
const SECRET_KEY = 'bench-webhook-endpoint-secret-key-0123456789';

export async function benchWebhooks(): Promise<void> {
  console.log(`bench webhooks: ${DELIVERIES} deliveries, concurrency ${CONCURRENCY}, on ${cpuModel()}`);
  const url = await freshDatabase('paygate_bench_webhooks');
  const pool = createPool({
    connectionString: url,
    applicationName: 'bench-webhooks',
    poolSizeMax: 8,
    statementTimeoutMs: 60_000,
    connectionTimeoutMs: 5_000,
    idleTimeoutMs: 10_000,
  });
  const secret = generateWebhookSecret();
  const receiver = await startReceiver(secret);
  try {
    await givenDeliveries(pool, receiver.url, secret);
    const dispatcher = new WebhookDispatcher({
      deliveries: new WebhookDeliveriesRepository(pool),
      metrics: createWebhookMetrics(createMetrics({ breakerState: () => 'closed' }).registry),
      logger: createLogger('warn'),
      options: {
        secretKey: SECRET_KEY,
        allowPrivateCidrs: ['127.0.0.0/8'],
        retryScheduleS: [5, 300],
        timeoutMs: 10_000,
        concurrency: CONCURRENCY,
        pollIntervalMs: 1_000,
        claimBatchSize: Math.max(CONCURRENCY * 2, 16),
        leaseMs: 40_000,
        responseBytesMax: 64 * 1024,
        socketsFreeMax: 4,
      },
    });
    const startedAt = performance.now();
    while ((await pendingCount(pool)) > 0) await dispatcher.drain();
    const elapsedS = (performance.now() - startedAt) / 1000;
    await dispatcher.stop();

    const latency = await attemptLatency(pool);
    const report = {
      bench: 'webhooks',
      cpu: cpuModel(),
      deliveries: DELIVERIES,
      concurrency: CONCURRENCY,
      elapsedS: round(elapsedS),
      deliveriesPerS: Math.round(DELIVERIES / elapsedS),
      received: receiver.count(),
      verifiedSample: receiver.verifiedSample(),
      attemptMs: latency,
    };
    console.log(
      `delivered ${DELIVERIES} in ${report.elapsedS} s: ${report.deliveriesPerS}/s; attempt p50 ${latency.p50} ms, p99 ${latency.p99} ms; receiver got ${report.received}, signature of a sample verified: ${report.verifiedSample}`,
    );
    console.log(`report: ${writeReport('webhooks', report)}`);
  } finally {
    await receiver.close();
    await pool.end();
  }
}

/** One user, one endpoint at the receiver, one transaction and N events of it: N deliveries by the trigger. */
async function givenDeliveries(
  pool: ReturnType<typeof createPool>,
  receiverUrl: string,
  secret: string,
): Promise<void> {
  const user = await pool.query<{ id: string }>(
    "INSERT INTO users (email) VALUES ('bench@webhooks.test') RETURNING id",
  );
  const userId = Number(user.rows[0]?.id);
  await pool.query("SELECT paygate_open_wallet($1, 'USD', 0)", [userId]);
  const created = await new WebhookEndpointsRepository(pool).create({
    userId,
    url: receiverUrl,
    events: ['transaction.updated'],
    description: 'bench',
    secretCiphertext: new WebhookSecretBox(SECRET_KEY).seal(secret),
    endpointCountMax: 1,
  });
  if (created.outcome !== 'created') throw new Error('bench endpoint not created');
  const transaction = await new TransactionsRepository(pool).create({
    userId,
    type: 'deposit',
    amountMinor: 1_000n,
    currency: 'USD',
    idempotencyKey: 'bench-webhooks',
    method: 'POST',
    path: '/api/v1/deposits',
    fingerprint: 'bench',
    requestId: null,
    idempotencyTtlHours: 24,
  });
  if (transaction.outcome !== 'created') throw new Error('bench transaction not created');
  await pool.query(
    "INSERT INTO transaction_events (transaction_id, to_status, cause) SELECT $1, 'pending', 'bench' FROM generate_series(2, $2)",
    [transaction.transaction.id, DELIVERIES],
  );
}

async function pendingCount(pool: ReturnType<typeof createPool>): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM webhook_deliveries WHERE status = 'pending'",
  );
  return rows[0]?.count ?? 0;
}

async function attemptLatency(pool: ReturnType<typeof createPool>): Promise<{ p50: number; p99: number }> {
  const { rows } = await pool.query<{ p50: number; p99: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)::float AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)::float AS p99
       FROM webhook_delivery_attempts`,
  );
  return { p50: round(rows[0]?.p50 ?? 0), p99: round(rows[0]?.p99 ?? 0) };
}

/** Answers 204 at once; checks the signature of the first request, so the bench cannot pass unsigned. */
async function startReceiver(secret: string) {
  let count = 0;
  let isSampleVerified = false;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (count === 0) {
        isSampleVerified = verifyWebhook(
          secret,
          String(request.headers['webhook-id']),
          Number(request.headers['webhook-timestamp']),
          Buffer.concat(chunks).toString('utf8'),
          String(request.headers['webhook-signature']),
        );
      }
      count += 1;
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/bench`,
    count: () => count,
    verifiedSample: () => isSampleVerified,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
