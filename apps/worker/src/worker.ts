import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type { ChannelModel } from 'amqplib';

import type { OutboxMessage, Pool, QueueReading } from '@paygate/db';
import {
  LedgerChecks,
  OUTBOX_CHANNEL,
  OutboxRepository,
  PgListener,
  pingDatabase,
  RetentionRepository,
  SettlementRepository,
  WebhookDeliveriesRepository,
  WorkerRecords,
} from '@paygate/db';
import { CircuitBreaker, settlesWithin } from '@paygate/domain';
import { BankClient } from '@paygate/payments';

import type { WorkerConfig } from './config';
import type { MessageHandler } from './entry-points/amqp/consumers';
import { InFlight } from './entry-points/amqp/consumers';
import { createProcessTransactionHandler } from './entry-points/amqp/process-transaction-handler';
import { AmqpConnection } from './infra/amqp-connection';
import { AmqpSession } from './infra/amqp-session';
import type { HttpFetch } from './infra/http-fetch';
import { createHttpFetch } from './infra/http-fetch';
import type { Logger } from './infra/logger';
import { redactUrl } from './infra/logger';
import { Periodic } from './infra/periodic';
import type { Topology, TopologyOptions } from './infra/topology';
import { topologyOf } from './infra/topology';
import type { HealthReport, WorkerMetrics } from './infra/metrics';
import { createMetrics } from './infra/metrics';
import { publishOutboxBatch } from './services/outbox-publishing';
import { OutboxRelay } from './services/outbox-relay';
import { TransactionProcessor } from './services/process-transaction';
import { Reconciler } from './services/reconciler';
import { Retention } from './services/retention';
import { RetryPolicy } from './services/retry-policy';
import { createWebhookMetrics } from './infra/webhook-metrics';
import { WebhookDispatcher } from './services/webhook-dispatcher';

/**
 * The whole worker as one object that starts and stops in-process, so tests run it like main.ts does.
 * It wires: the outbox relay (LISTEN + sweep) -> RabbitMQ -> the process queue consumer -> the bank, with
 * the reconciler, retention and gauge refresh on timers. The caller owns the pool and the metrics server.
 */

export interface WorkerDeps {
  config: WorkerConfig;
  pool: Pool;
  logger: Logger;
  /** Injected in tests; defaults to the global fetch, Math.random and Date.now. */
  fetch?: typeof fetch;
  random?: () => number;
  nowMs?: () => number;
}

/** Shown on the console beside each running worker. */
export const WORKER_VERSION = '0.1.0';

export interface Worker {
  /** Unique per process start: the heartbeat's key and the name on the bank attempts it records. */
  readonly workerId: string;
  readonly metrics: WorkerMetrics;
  readonly breaker: CircuitBreaker;
  readonly topology: Topology;
  readonly topologyOptions: TopologyOptions;
  readonly relay: OutboxRelay;
  readonly reconciler: Reconciler;
  readonly retention: Retention;
  readonly webhooks: WebhookDispatcher;
  readonly isAmqpConnected: boolean;
  /** Writes the heartbeat now (tests; the timer does it every WORKER_HEARTBEAT_INTERVAL_MS). */
  beat(): Promise<void>;
  /** Runs the ledger check now (the timer does it every LEDGER_CHECK_INTERVAL_MS); returns the drift count. */
  checkLedger(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): Promise<HealthReport>;
}

/** A graceful stop closes each channel within this bound, then the connection. */
const CHANNEL_CLOSE_TIMEOUT_MS = 1_000;

export function createWorker(deps: WorkerDeps): Worker {
  return new PaygateWorker(deps);
}

class PaygateWorker implements Worker {
  readonly workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly metrics: WorkerMetrics;
  readonly breaker: CircuitBreaker;
  readonly topology: Topology;
  readonly topologyOptions: TopologyOptions;
  readonly relay: OutboxRelay;
  readonly reconciler: Reconciler;
  readonly retention: Retention;
  readonly webhooks: WebhookDispatcher;
  readonly #deps: WorkerDeps;
  readonly #outbox: OutboxRepository;
  readonly #records: WorkerRecords;
  readonly #startedAt = new Date();
  readonly #handler: MessageHandler;
  readonly #inFlight = new InFlight();
  readonly #amqp: AmqpConnection;
  readonly #listener: PgListener;
  readonly #timers: Periodic[];
  /** Kept-alive connections to the bank (unless a test injects its own fetch). */
  readonly #bankHttp: HttpFetch | undefined;
  #session: AmqpSession | undefined;
  #isStopping = false;
  #stopping: Promise<void> | undefined;

  constructor(deps: WorkerDeps) {
    const { config, pool, logger } = deps;
    const nowMs = deps.nowMs ?? Date.now;
    this.#deps = deps;
    this.breaker = new CircuitBreaker(config.breaker, nowMs);
    const breaker = this.breaker;
    this.metrics = createMetrics({ breakerState: () => breaker.state });
    const retryPolicy = new RetryPolicy(config.retry.horizonMs, config.retry.baseMs, config.retry.capMs, deps.random);
    this.topologyOptions = {
      prefix: config.amqp.prefix,
      retryDelayBucketsMs: retryPolicy.bucketsMs,
      queueExpiresMs: config.amqp.queueExpiresMs,
    };
    this.topology = topologyOf(this.topologyOptions);

    const settlement = new SettlementRepository(pool);
    this.#outbox = new OutboxRepository(pool);
    this.#records = new WorkerRecords(pool);
    const records = this.#records;
    const workerId = this.workerId;
    this.#bankHttp =
      deps.fetch === undefined
        ? createHttpFetch({ socketsMax: config.bank.socketsMax, responseBytesMax: config.bank.responseBytesMax })
        : undefined;
    const bank = new BankClient({
      baseUrl: config.bank.url,
      apiKey: config.bank.apiKey,
      timeoutMs: config.bank.timeoutMs,
      responseBytesMax: config.bank.responseBytesMax,
      onCall: (call) =>
        this.metrics.bankRequestDuration.observe(
          { operation: call.operation, outcome: call.outcome },
          call.latencyMs / 1000,
        ),
      fetch: deps.fetch ?? this.#bankHttp?.fetch,
    });
    const processor = new TransactionProcessor({
      settlement,
      records,
      workerId,
      bank,
      breaker,
      retryPolicy,
      logger,
      nowMs,
    });
    this.#handler = createProcessTransactionHandler({ processor, retryPolicy, metrics: this.metrics, logger });
    this.reconciler = new Reconciler({
      settlement,
      outbox: this.#outbox,
      bank,
      records,
      workerId,
      breaker,
      metrics: this.metrics,
      logger,
      nowMs,
      options: config.reconcile,
    });
    this.retention = new Retention({
      retention: new RetentionRepository(pool),
      metrics: this.metrics,
      logger,
      options: config.retention,
    });
    this.webhooks = new WebhookDispatcher({
      deliveries: new WebhookDeliveriesRepository(pool),
      metrics: createWebhookMetrics(this.metrics.registry),
      logger,
      options: config.webhooks,
      nowMs,
    });
    this.relay = this.#createRelay();
    this.#amqp = this.#createAmqpConnection();
    this.#listener = this.#createListener();
    this.#timers = [
      new Periodic('outbox-sweep', config.outbox.sweepIntervalMs, () => this.#sweepOutbox(), logger),
      new Periodic('reconcile', config.reconcile.intervalMs, () => this.reconciler.runOnce(), logger),
      new Periodic('retention', config.retention.intervalMs, () => this.retention.runOnce(), logger),
      new Periodic('metrics-refresh', config.metrics.refreshIntervalMs, () => this.#refreshGauges(), logger),
      new Periodic('heartbeat', config.heartbeat.intervalMs, () => this.beat(), logger),
      new Periodic('ledger-check', config.ledgerCheck.intervalMs, () => this.checkLedger(), logger),
    ];
  }

  get isAmqpConnected(): boolean {
    return this.#session !== undefined;
  }

  async start(): Promise<void> {
    const { config, logger } = this.#deps;
    logger.info(
      {
        prefix: config.amqp.prefix,
        bank: redactUrl(config.bank.url),
        retry: config.retry,
        breaker: config.breaker,
      },
      'worker starting',
    );
    await this.#listener.start();
    for (const timer of this.#timers) timer.start();
    this.webhooks.start();
    await this.#amqp.open();
    await this.#refreshGauges().catch((error: unknown) => logger.warn({ err: error }, 'first gauge refresh failed'));
    await this.beat().catch((error: unknown) => logger.warn({ err: error }, 'first heartbeat failed'));
  }

  /** Runs the ledger check, stores it for the console, and moves the drift gauge; drift is logged loudly. */
  async checkLedger(): Promise<number> {
    const check = await new LedgerChecks(this.#deps.pool).run();
    this.metrics.ledgerViolations.set(check.violationCount);
    if (!check.isBalanced) {
      this.#deps.logger.error(
        { violationCount: check.violationCount, checkId: check.id },
        'ledger check found drift: see the console ledger page',
      );
    }
    return check.violationCount;
  }

  /** Says this worker is alive, with what it is doing and the depth of each queue it knows. */
  async beat(): Promise<void> {
    await this.#records.beat({
      workerId: this.workerId,
      version: WORKER_VERSION,
      hostname: hostname(),
      startedAt: this.#startedAt,
      inFlight: this.#inFlight.size,
      breakerState: this.breaker.state,
      queues: await this.#readQueues(),
    });
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async health(): Promise<HealthReport> {
    const { pool, config } = this.#deps;
    const isDatabaseUp = await settlesWithin(pingDatabase(pool), config.database.connectionTimeoutMs).catch(
      () => false,
    );
    const checks = {
      database: isDatabaseUp ? 'up' : 'down',
      amqp: this.#session === undefined ? 'down' : 'up',
    } as const;
    return { isHealthy: checks.database === 'up' && checks.amqp === 'up', checks };
  }

  /**
   * Stop taking work, let what is in flight finish (bounded by SHUTDOWN_GRACE_MS), then close. A handler
   * still running at the deadline loses its channel; its message is redelivered to another worker, which
   * is safe because every step is idempotent.
   */
  async #stop(): Promise<void> {
    const { config, logger } = this.#deps;
    this.#isStopping = true;
    const deadlineMs = Date.now() + config.shutdown.graceMs;
    const remainingMs = () => Math.max(0, deadlineMs - Date.now());
    await this.#session?.consumer
      ?.cancel()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not cancel the consumer'));
    await this.#listener.stop();
    const isDrained = await this.#inFlight.drain(remainingMs());
    if (!isDrained)
      logger.warn(
        { inFlightCount: this.#inFlight.size },
        'shutdown grace ran out with handlers in flight; their messages will be redelivered',
      );
    await settlesWithin(
      Promise.all([this.relay.stop(), this.webhooks.stop(), ...this.#timers.map((timer) => timer.stop())]),
      remainingMs(),
    );
    await this.#session?.closeChannels(CHANNEL_CLOSE_TIMEOUT_MS);
    await this.#amqp
      .close()
      .catch((error: unknown) => logger.warn({ err: error }, 'closing the AMQP connection failed'));
    this.#session = undefined;
    this.#bankHttp?.close();
    this.metrics.amqpConnected.set(0);
    await this.#records
      .retire(this.workerId, config.heartbeat.forgetAfterMs)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not remove the heartbeat'));
    logger.info('worker stopped');
  }

  /** Runs on every (re)connection: topology first, then channels, then the consumer. */
  async #openSession(model: ChannelModel): Promise<void> {
    const { config, logger } = this.#deps;
    this.#session = await AmqpSession.open({
      model,
      topology: this.topology,
      topologyOptions: this.topologyOptions,
      consumer: {
        prefetch: config.amqp.prefetch,
        handler: this.#handler,
        recordDeadLetter: (letter) => this.#records.recordDeadLetter(letter),
        inFlight: this.#inFlight,
        metrics: this.metrics,
      },
      isStopping: () => this.#isStopping,
      onBroken: (reason) => this.#amqp.restart(model, reason),
      logger,
    });
    this.metrics.amqpConnected.set(1);
    logger.info({ prefix: config.amqp.prefix, prefetch: config.amqp.prefetch }, 'amqp: topology declared, consuming');
    this.relay.trigger();
  }

  async #publishOutbox(messages: OutboxMessage[]): Promise<void> {
    const session = this.#session;
    if (session === undefined) throw new Error('no AMQP session to publish on');
    await publishOutboxBatch(session.relayPublisher, this.topology, messages);
  }

  async #sweepOutbox(): Promise<void> {
    this.relay.trigger();
    await this.relay.idle();
  }

  async #refreshGauges(): Promise<void> {
    this.metrics.outboxLag.set((await this.#outbox.oldestUnpublishedAgeMs()) / 1000);
    const session = this.#session;
    if (session !== undefined)
      this.metrics.dlqMessages.set((await session.adminChannel.checkQueue(this.topology.deadLetterQueue)).messageCount);
  }

  /** Depth and consumers of the process, dead-letter and delay queues; none while AMQP is down. */
  async #readQueues(): Promise<QueueReading[]> {
    const session = this.#session;
    if (session === undefined) return [];
    const names = [
      this.topology.processQueue,
      this.topology.deadLetterQueue,
      ...this.topology.retryQueues.map((retry) => retry.queue),
    ];
    const readings: QueueReading[] = [];
    for (const name of names) {
      const queue = await session.adminChannel.checkQueue(name);
      readings.push({ name, messages: queue.messageCount, consumers: queue.consumerCount });
    }
    return readings;
  }

  #createRelay(): OutboxRelay {
    const { config, logger } = this.#deps;
    return new OutboxRelay({
      outbox: this.#outbox,
      publish: (messages) => this.#publishOutbox(messages),
      canPublish: () => this.#session !== undefined,
      batchSize: config.outbox.batchSize,
      batchCountMax: config.outbox.batchCountMaxPerDrain,
      drainCountMax: config.outbox.drainCountMax,
      metrics: this.metrics,
      logger,
    });
  }

  #createAmqpConnection(): AmqpConnection {
    const { config, logger } = this.#deps;
    return new AmqpConnection({
      url: config.amqp.url,
      connectionName: `paygate-worker ${config.amqp.prefix}`,
      heartbeatS: config.amqp.heartbeatS,
      connectTimeoutMs: config.amqp.connectTimeoutMs,
      reconnectBaseMs: config.amqp.reconnectBaseMs,
      reconnectCapMs: config.amqp.reconnectCapMs,
      logger,
      onConnect: (model) => this.#openSession(model),
      onDisconnect: () => {
        this.#session = undefined;
        this.metrics.amqpConnected.set(0);
      },
    });
  }

  #createListener(): PgListener {
    const { config, logger } = this.#deps;
    return new PgListener({
      connectionString: config.database.url,
      channel: OUTBOX_CHANNEL,
      label: 'outbox listener',
      applicationName: 'paygate-worker-outbox-listener',
      connectionTimeoutMs: config.database.connectionTimeoutMs,
      reconnectBaseMs: config.database.listenReconnectBaseMs,
      reconnectCapMs: config.database.listenReconnectCapMs,
      logger,
      // A commit that wrote outbox rows wrote transaction events too: their webhook deliveries are due.
      onNotification: () => {
        this.relay.trigger();
        this.webhooks.trigger();
      },
      // Notifications sent while we were not listening are gone: drain whatever is there.
      onListening: () => this.relay.trigger(),
      random: this.#deps.random,
    });
  }
}
