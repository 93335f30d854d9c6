import pg from 'pg';

import { backoffDelayMs } from '@paygate/domain';

/**
 * A dedicated PostgreSQL connection that LISTENs on one channel (a pooled connection cannot: LISTEN belongs
 * to the session). When the server drops it, it reconnects with backoff and LISTENs again, then calls
 * `onListening`, because notifications sent while it was away are lost and the caller must catch up.
 * The api listens for its event streams, the worker for its outbox relay.
 */

/** The part of the apps' loggers (pino) a listener uses. */
export interface ListenerLogger {
  warn(details: object, message: string): void;
  warn(message: string): void;
  debug(details: object, message: string): void;
}

export interface PgListenerOptions {
  connectionString: string;
  channel: string;
  applicationName: string;
  connectionTimeoutMs: number;
  reconnectBaseMs: number;
  reconnectCapMs: number;
  logger: ListenerLogger;
  /** Names the listener in its log lines, e.g. "outbox listener". */
  label: string;
  onNotification: (payload: string | undefined) => void;
  onListening: () => void;
  random?: () => number;
}

export class PgListener {
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failureCount = 0;
  #isStopped = false;

  constructor(private readonly options: PgListenerOptions) {
    // The channel name is spliced into LISTEN (it cannot be a bind parameter).
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.channel))
      throw new Error(`unsafe LISTEN channel name: ${options.channel}`);
  }

  get isListening(): boolean {
    return this.#client !== undefined;
  }

  /** Tries once now; on failure keeps retrying in the background (the caller's own sweep covers the gap). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#isStopped) return;
    const { options } = this;
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName,
      connectionTimeoutMillis: options.connectionTimeoutMs,
      keepAlive: true,
    });
    client.on('notification', (message) => options.onNotification(message.payload));
    client.on('error', (error) => options.logger.warn({ err: error }, `${options.label}: connection error`));
    client.on('end', () => this.#onEnd(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${options.channel}`);
    } catch (error) {
      options.logger.warn({ err: error }, `${options.label}: could not LISTEN; retrying`);
      await client.end().catch(() => undefined);
      this.#scheduleReconnect();
      return;
    }
    if (this.#hasStopped()) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#failureCount = 0;
    options.logger.debug({ channel: options.channel }, `${options.label}: listening`);
    options.onListening();
  }

  /** A method, not the field: a stop can happen during any await above, which flow analysis does not see. */
  #hasStopped(): boolean {
    return this.#isStopped;
  }

  #onEnd(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    if (this.#isStopped) return;
    this.options.logger.warn(`${this.options.label}: connection ended; reconnecting`);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#isStopped || this.#timer) return;
    const { options } = this;
    const delayMs = Math.max(
      options.reconnectBaseMs / 2,
      backoffDelayMs(
        Math.min(this.#failureCount, 20),
        options.reconnectBaseMs,
        options.reconnectCapMs,
        options.random ?? Math.random,
      ),
    );
    this.#failureCount += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, delayMs);
  }
}
