import amqp from 'amqplib';
import type { ChannelModel, RecoveringChannelModel } from 'amqplib';

import type { Logger } from './logger';
import { redactUrl } from './logger';

/**
 * One AMQP connection that comes back by itself. amqplib's recovery reconnects with exponential backoff
 * and jitter and runs `onConnect` on every new connection before it counts as up, which is where the
 * topology is declared again and the channels and consumers are re-created (channels do not survive their
 * connection). A throw from `onConnect` closes that connection and schedules the next attempt, so a
 * half-built session never serves traffic.
 */

export interface AmqpConnectionOptions {
  url: string;
  /** Shown in RabbitMQ's management UI and `rabbitmqctl list_connections`. */
  connectionName: string;
  heartbeatS: number;
  connectTimeoutMs: number;
  reconnectBaseMs: number;
  reconnectCapMs: number;
  logger: Logger;
  onConnect: (model: ChannelModel) => Promise<void>;
  onDisconnect: (error: Error) => void;
}

export class AmqpConnection {
  #model: RecoveringChannelModel | undefined;
  #current: ChannelModel | undefined;
  #isClosing = false;

  constructor(private readonly options: AmqpConnectionOptions) {}

  get isConnected(): boolean {
    return this.#current !== undefined;
  }

  /** Starts connecting and resolves once the first connection is set up (retrying until then). */
  async open(): Promise<void> {
    const { options } = this;
    const model = await amqp.connect(withHeartbeat(options.url, options.heartbeatS), {
      clientProperties: { connection_name: options.connectionName },
      timeout: options.connectTimeoutMs,
      // Nagle's algorithm would hold a small publish (or ack) back until the previous segment is
      // acknowledged, up to ~40 ms with delayed ACKs: most of the outbox's latency budget.
      noDelay: true,
      recovery: {
        initialDelay: options.reconnectBaseMs,
        maxDelay: options.reconnectCapMs,
        factor: 2,
        jitter: 0.5,
        waitForConnect: false,
        setup: async (connected: ChannelModel) => {
          await options.onConnect(connected);
          this.#current = connected;
        },
      },
    });
    this.#model = model;
    this.#listen(model);
    await model.waitForConnect();
  }

  /**
   * Drops the current connection so recovery builds a fresh one. Used when one of its channels fails: a
   * channel closed by the broker takes its consumer or its confirms with it, and rebuilding everything is
   * simpler to reason about than repairing one channel.
   */
  restart(model: ChannelModel, reason: string): void {
    // Only the connection that failed: a late report from an old session must not tear down its successor.
    if (model !== this.#current || this.#isClosing) return;
    this.options.logger.warn({ reason }, 'amqp: closing the connection to rebuild the session');
    model.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#isClosing = true;
    this.#current = undefined;
    await this.#model?.close();
  }

  #listen(model: RecoveringChannelModel): void {
    const { logger } = this.options;
    const where = redactUrl(this.options.url);
    model.on('connect', () => logger.info({ broker: where }, 'amqp: connected'));
    model.on('disconnect', (error: Error) => {
      this.#current = undefined;
      if (!this.#isClosing) logger.warn({ err: error }, 'amqp: connection lost; reconnecting');
      this.options.onDisconnect(error);
    });
    model.on('connect-failed', (error: Error) =>
      logger.warn({ err: error, broker: where }, 'amqp: connection attempt failed'),
    );
    model.on('reconnect-scheduled', (info: { attempt: number; delay: number }) =>
      logger.info({ attempt: info.attempt, delayMs: info.delay }, 'amqp: reconnect scheduled'),
    );
    model.on('reconnect-failed', (error: Error) => logger.error({ err: error }, 'amqp: recovery gave up'));
    model.on('error', (error: Error) => logger.warn({ err: error }, 'amqp: connection error'));
    model.on('blocked', (reason: string) =>
      logger.warn({ reason }, 'amqp: broker blocked publishing (resource alarm)'),
    );
    model.on('unblocked', () => logger.info('amqp: broker unblocked publishing'));
  }
}

/** A URL without a heartbeat gets ours, so a dead peer is noticed within about two heartbeats. */
function withHeartbeat(value: string, heartbeatS: number): string {
  const url = new URL(value);
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(heartbeatS));
  return url.toString();
}
