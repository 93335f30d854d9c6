import type { Redis } from 'ioredis';

import type { Pool } from '@paygate/db';
import {
  AdminReads,
  EVENTS_CHANNEL,
  LedgerChecks,
  OperatorKeyAdmin,
  OperatorsRepository,
  OutboxWakeUp,
  PgListener,
  RepairsRepository,
  SettlementRepository,
  TransactionEventsRepository,
  TransactionsRepository,
  UserSessionsRepository,
  UsersRepository,
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
  WorkerRecords,
} from '@paygate/db';
import { BankClient } from '@paygate/payments';

import type { ApiConfig } from './config';
import type { AmqpProbe } from './infra/amqp-probe';
import type { Logger } from './infra/logger';
import type { Metrics } from './infra/metrics';
import { LocalRateLimiter } from './infra/local-rate-limiter';
import { RateLimiter } from './infra/rate-limiter';
import { KeyAuthenticator } from './services/authenticate-key';
import { EventHub } from './services/event-hub';
import { OperatorReads } from './services/operator-reads';
import { OperatorRepairs } from './services/operator-repairs';
import { OperatorSessions } from './services/operator-sessions';
import { UserSessions } from './services/user-sessions';
import { WebhookEndpoints } from './services/webhook-endpoints';

/** Everything the HTTP layer needs, built once in main.ts (or by a test) and passed to createApp. */
export interface ApiDeps {
  config: ApiConfig;
  logger: Logger;
  metrics: Metrics;
  pool: Pool;
  redis: Redis;
  amqp: AmqpProbe;
  clock: () => Date;
}

export interface Services {
  transactions: TransactionsRepository;
  settlement: SettlementRepository;
  authenticator: KeyAuthenticator;
  limiter: RateLimiter;
  /** Login's windows while Redis is unreachable: one per process, so its memory bound holds. */
  localLimiter: LocalRateLimiter;
  operators: OperatorsRepository;
  operatorSessions: OperatorSessions;
  operatorReads: OperatorReads;
  keyAdmin: OperatorKeyAdmin;
  /** The web app's cookie sessions of end users. */
  userSessions: UserSessions;
  /** GET /api/v1/events: this process's streams and its one LISTEN connection. Close it on shutdown. */
  events: EventHub;
  webhookEndpoints: WebhookEndpoints;
  repairs: OperatorRepairs;
}

export function buildServices(deps: ApiDeps): Services {
  const operators = new OperatorsRepository(deps.pool);
  const { operators: operatorConfig } = deps.config;
  const onWakeUpError = (error: unknown) =>
    deps.logger.warn({ err: error }, 'a wake-up NOTIFY failed; the relay sweep and the streams catch up');
  const transactions = new TransactionsRepository(deps.pool, {
    onWakeUpError,
    wakeUpIntervalMs: deps.config.outbox.wakeUpIntervalMs,
    exactTotalMax: deps.config.history.exactTotalMax,
  });
  const adminReads = new AdminReads(deps.pool);
  return {
    events: buildEventHub(deps, transactions),
    repairs: buildRepairs(deps, adminReads),
    operators,
    operatorSessions: new OperatorSessions(
      operators,
      {
        idleMs: operatorConfig.sessionIdleMs,
        absoluteMs: operatorConfig.sessionAbsoluteMs,
        touchEveryMs: operatorConfig.sessionTouchEveryMs,
      },
      deps.clock,
    ),
    operatorReads: new OperatorReads(adminReads, operators, {
      stuckAfterS: operatorConfig.stuckAfterS,
      workerAliveWithinMs: operatorConfig.workerAliveWithinMs,
      userRecentPayments: operatorConfig.userRecentPayments,
    }),
    keyAdmin: new OperatorKeyAdmin(deps.pool),
    userSessions: new UserSessions(
      new UserSessionsRepository(deps.pool),
      {
        idleMs: deps.config.sessions.idleMs,
        absoluteMs: deps.config.sessions.absoluteMs,
        touchEveryMs: deps.config.sessions.touchEveryMs,
      },
      deps.clock,
    ),
    settlement: new SettlementRepository(deps.pool, onWakeUpError),
    webhookEndpoints: new WebhookEndpoints(
      new WebhookEndpointsRepository(deps.pool),
      new WebhookDeliveriesRepository(deps.pool),
      deps.config.webhookEndpoints,
    ),
    transactions,
    authenticator: new KeyAuthenticator(new UsersRepository(deps.pool), {
      cacheTtlMs: deps.config.auth.cacheTtlMs,
      cacheEntriesMax: deps.config.auth.cacheEntriesMax,
      demoKeysAllowed: deps.config.auth.demoKeysAllowed,
    }),
    limiter: new RateLimiter(deps.redis, {
      prefix: deps.config.redis.prefix,
      windowMs: deps.config.rateLimit.windowMs,
    }),
    localLimiter: new LocalRateLimiter({ windowMs: deps.config.rateLimit.windowMs }),
  };
}

function buildEventHub(deps: ApiDeps, transactions: TransactionsRepository): EventHub {
  const { events } = deps.config;
  return new EventHub(
    new TransactionEventsRepository(deps.pool),
    (userId) => transactions.balance(userId),
    (hub) =>
      new PgListener({
        connectionString: deps.config.database.url,
        channel: EVENTS_CHANNEL,
        label: 'event listener',
        applicationName: 'paygate-api-events',
        connectionTimeoutMs: deps.config.database.connectionTimeoutMs,
        reconnectBaseMs: 500,
        reconnectCapMs: 10_000,
        logger: deps.logger,
        onNotification: (payload) => void hub.wake(payload),
        onListening: () => hub.sweep(),
      }),
    {
      streamsPerUserMax: events.streamsPerUserMax,
      streamsMax: events.streamsMax,
      heartbeatMs: events.heartbeatMs,
      pageMax: events.replayMax,
      lookbackMs: events.lookbackMs,
      writeBufferBytesMax: events.writeBufferBytesMax,
    },
    deps.logger,
  );
}

/** Repairs ask the bank themselves ("reconcile now"), as the merchant, like the worker does. */
function buildRepairs(deps: ApiDeps, reads: AdminReads): OperatorRepairs {
  const { bank, operators } = deps.config;
  const wakeUp = new OutboxWakeUp(deps.pool, (error) =>
    deps.logger.warn({ err: error }, 'outbox wake-up failed; the relay sweep will publish'),
  );
  return new OperatorRepairs({
    repairs: new RepairsRepository(deps.pool, (error) =>
      deps.logger.warn({ err: error }, 'events wake-up failed; streams catch up at their next heartbeat'),
    ),
    reads,
    bank: new BankClient({
      baseUrl: bank.url,
      apiKey: bank.apiKey,
      timeoutMs: bank.timeoutMs,
      responseBytesMax: bank.responseBytesMax,
    }),
    attempts: new WorkerRecords(deps.pool),
    ledger: new LedgerChecks(deps.pool),
    metrics: deps.metrics,
    wakeOutbox: () => wakeUp.poke(),
    failQuietMs: operators.failQuietMs,
  });
}
