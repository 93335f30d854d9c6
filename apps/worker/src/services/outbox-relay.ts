import type { OutboxMessage, OutboxRepository } from '@paygate/db';

import type { Logger } from '../infra/logger';
import type { WorkerMetrics } from '../infra/metrics';

/**
 * Moves committed outbox rows to RabbitMQ. It runs when PostgreSQL notifies a commit (paygate_outbox), on
 * a sweep timer, and after every reconnect. Requests coalesce: a trigger while drains are running asks for
 * exactly one more pass, so a burst of commits costs a few drains, not one each, and nothing committed
 * during a drain waits for the sweep.
 *
 * Up to `drainCountMax` drains run at once (2 by default). A drain spends most of its time waiting for the
 * broker's confirms, which for a persistent message arrive only once it is on disk or consumed (tens of
 * milliseconds under load). A second drain claims (SKIP LOCKED) and publishes a row committed meanwhile
 * without waiting behind those confirms, which is what keeps commit-to-consume latency in single-digit
 * milliseconds when commits come back to back.
 *
 * Each batch is claimed with FOR UPDATE SKIP LOCKED (several relays may run at once), published, confirmed
 * by the broker and only then marked published in the same database transaction. A crash in between
 * publishes the batch again: delivery is at least once, and the consumer is idempotent.
 */

export type OutboxPublish = (messages: OutboxMessage[]) => Promise<void>;

export interface OutboxRelayOptions {
  outbox: OutboxRepository;
  publish: OutboxPublish;
  /** False while there is no AMQP session: a drain would only claim rows to roll them back. */
  canPublish: () => boolean;
  batchSize: number;
  /** Bounds one drain, so a huge backlog still yields to the sweep and to shutdown between drains. */
  batchCountMax: number;
  drainCountMax: number;
  metrics: WorkerMetrics;
  logger: Logger;
}

export class OutboxRelay {
  readonly #draining = new Set<Promise<void>>();
  #isRequested = false;
  #isStopped = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Asks for a drain: starts one if fewer than drainCountMax run, else marks one more pass. */
  trigger(): void {
    if (this.#isStopped) return;
    this.#isRequested = true;
    if (this.#draining.size >= this.options.drainCountMax) return;
    const drain: Promise<void> = this.#drain().finally(() => this.#draining.delete(drain));
    this.#draining.add(drain);
  }

  /** Resolves when no drain is running (used by the sweep, tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#draining.size > 0) await Promise.all([...this.#draining]);
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    await this.idle();
  }

  async #drain(): Promise<void> {
    const { options } = this;
    while (this.#isRequested && !this.#isStopped && options.canPublish()) {
      this.#isRequested = false;
      try {
        await this.#drainOnce();
      } catch (error) {
        // The rows stay unpublished (their transaction rolled back); the sweep or the next notification
        // tries again. No tight loop: a failure ends this drain.
        options.logger.warn({ err: error }, 'outbox relay: publishing failed; will retry on the next sweep');
        return;
      }
    }
  }

  async #drainOnce(): Promise<void> {
    const { options } = this;
    for (let batchIndex = 0; batchIndex < options.batchCountMax; batchIndex += 1) {
      const startedAtMs = performance.now();
      const publishedCount = await options.outbox.publishBatch(options.batchSize, options.publish);
      options.metrics.outboxPublished.inc(publishedCount);
      if (publishedCount > 0)
        options.logger.debug(
          { publishedCount, durationMs: Math.round(performance.now() - startedAtMs) },
          'outbox relay: batch published',
        );
      if (publishedCount < options.batchSize) return;
    }
    // More is waiting than one drain may take; come back at once rather than at the next sweep.
    this.#isRequested = true;
  }
}
