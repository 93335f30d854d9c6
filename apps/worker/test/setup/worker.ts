import { inject } from 'vitest';

import type { Pool } from '@paygate/db';
import { createPool, SettlementRepository } from '@paygate/db';

import type { WorkerConfig } from '../../src/config';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/infra/logger';
import { startMetricsServer } from '../../src/infra/metrics';
import type { Worker } from '../../src/worker';
import { createWorker } from '../../src/worker';
import type { Order } from '@paygate/bank-sim';
import { MERCHANT_ID } from '@paygate/bank-sim/config';

import type { BankRequest, TestBank } from './bank';
import { startTestBank } from './bank';
import type { BrokerProbe } from './amqp';
import { openBrokerProbe } from './amqp';
import type { ReceiverMode, WebhookReceiver } from './receiver';
import { startWebhookReceiver } from './receiver';
import type { Suite } from './suites';
import { TEST_BANK_API_KEY, TEST_QUEUE_EXPIRES_MS, TEST_RETRY_BASE_MS, TEST_RETRY_CAP_MS } from './suites';

/**
 * One suite's world: its database pool, the bank simulator, the webhook receiver, the worker (started the
 * way main.ts starts it, from an environment through loadConfig) with its metrics server, and a broker probe.
 */
export interface TestWorld {
  pool: Pool;
  bank: TestBank;
  receiver: WebhookReceiver;
  worker: Worker;
  config: WorkerConfig;
  probe: BrokerProbe;
  metricsUrl: string;
  /** POST /v1/payments calls the bank got for one transaction (under its order key). */
  postsFor(transactionId: number): Promise<BankRequest[]>;
  /** The bank's own record of a transaction's order, if it holds one. */
  orderAtBank(transactionId: number): Promise<Order | undefined>;
  /** The value of one sample line in /metrics, e.g. metric('paygate_worker_breaker_state'). */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  /** Starts another worker on the same database and prefix (a second instance). */
  startAnotherWorker(env?: Record<string, string>): Promise<{ worker: Worker; stop: () => Promise<void> }>;
  stop(): Promise<void>;
}

export async function startWorld(
  suite: Suite,
  env: Record<string, string> = {},
  options: { receiverMode?: ReceiverMode; bankEnv?: Record<string, string>; amqpUrl?: string } = {},
): Promise<TestWorld> {
  const run = inject('runs')[suite];
  const pool = createPool({
    connectionString: run.databaseUrl,
    applicationName: `worker-test-${suite}`,
    poolSizeMax: 10,
    statementTimeoutMs: 10_000,
    connectionTimeoutMs: 5_000,
    idleTimeoutMs: 1_000,
  });
  const receiver = await startWebhookReceiver(new SettlementRepository(pool), options.receiverMode ?? 'apply');
  const bank = await startTestBank({
    databaseUrl: run.bankDatabaseUrl,
    callbackUrl: receiver.url,
    env: options.bankEnv,
  });
  const configFor = (extra: Record<string, string>) =>
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.WORKER_TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: run.databaseUrl,
      DATABASE_POOL_SIZE_MAX: '10',
      AMQP_URL: options.amqpUrl ?? run.amqpUrl,
      AMQP_PREFIX: run.amqpPrefix,
      AMQP_QUEUE_EXPIRES_MS: String(TEST_QUEUE_EXPIRES_MS),
      AMQP_RECONNECT_BASE_MS: '50',
      AMQP_RECONNECT_CAP_MS: '500',
      BANK_URL: bank.url,
      BANK_API_KEY: TEST_BANK_API_KEY,
      BANK_TIMEOUT_MS: '1000',
      WORKER_METRICS_HOST: '127.0.0.1',
      WORKER_METRICS_PORT: '0',
      METRICS_REFRESH_INTERVAL_MS: '200',
      RETRY_BASE_MS: String(TEST_RETRY_BASE_MS),
      RETRY_CAP_MS: String(TEST_RETRY_CAP_MS),
      BREAKER_FAILURE_THRESHOLD: '1000',
      BREAKER_COOLDOWN_MS: '300',
      OUTBOX_SWEEP_INTERVAL_MS: '500',
      SHUTDOWN_GRACE_MS: '3000',
      ...extra,
    });
  const config = configFor(env);
  const logger = createLogger(config.logLevel);
  const worker = createWorker({ config, pool, logger });
  const metricsServer = await startMetricsServer({
    host: '127.0.0.1',
    port: 0,
    registry: worker.metrics.registry,
    health: () => worker.health(),
  });
  await worker.start();
  const probe = await openBrokerProbe(run.amqpUrl, worker.topology);
  const metricsUrl = `http://127.0.0.1:${metricsServer.port}`;
  const others: { stop: () => Promise<void> }[] = [];

  const orderKeyOf = async (transactionId: number): Promise<string | null> => {
    const { rows } = await pool.query<{ key: string | null }>(
      'SELECT bank_order_key::text AS key FROM transactions WHERE id = $1',
      [transactionId],
    );
    return rows[0]?.key ?? null;
  };
  return {
    pool,
    bank,
    receiver,
    worker,
    config,
    probe,
    metricsUrl,
    postsFor: async (transactionId) => {
      const key = await orderKeyOf(transactionId);
      return key === null ? [] : bank.postsFor(key);
    },
    orderAtBank: async (transactionId) => {
      const key = await orderKeyOf(transactionId);
      return key === null ? undefined : bank.bank.findOrder(MERCHANT_ID, key);
    },
    metric: async (name, labels = {}) => {
      const text = await (await fetch(`${metricsUrl}/metrics`)).text();
      return sampleValue(text, name, labels);
    },
    startAnotherWorker: async (extra = {}) => {
      const another = createWorker({ config: configFor({ ...env, ...extra }), pool, logger });
      await another.start();
      const handle = { worker: another, stop: () => another.stop() };
      others.push(handle);
      return handle;
    },
    stop: async () => {
      for (const other of others) await other.stop();
      await worker.stop();
      await metricsServer.close();
      await probe.close();
      await receiver.stop();
      await bank.stop();
      await pool.end();
    },
  };
}

/** Reads one sample from Prometheus text: `name{a="b"} 3` (labels in any order; extra labels allowed). */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`)))
      return Number(match[3]);
  }
  return undefined;
}
