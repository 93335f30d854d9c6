import { assert, backoffDelayMs } from '@paygate/domain';

import type { BankConfig } from '../config';
import type { AttemptRecord, ClaimedWebhook, WebhookRepository } from '../data-access/webhook-repository';
import type { Random } from '../random';
import { BatchWriter } from './batch-writer';
import type { Clock } from './clock';
import type { Metrics } from '../infra/metrics';
import type { PostResult, WebhookPoster } from './webhook-poster';
import { signedWebhookPayload } from './webhook-payload';
import type { Logger } from '../infra/logger';

/**
 * Sends due webhooks: claims as many as it has free slots (BANK_WEBHOOK_CONCURRENCY_MAX), posts each
 * signed afresh, and records every result, many per statement. A failed attempt is due again after an
 * exponential backoff with full jitter; after BANK_WEBHOOK_ATTEMPT_COUNT_MAX attempts the bank gives up
 * and the merchant must reconcile with GET /v1/payments/{reference}.
 */

export interface WebhookDispatcherDeps {
  config: BankConfig['webhook'];
  webhooks: WebhookRepository;
  poster: WebhookPoster;
  clock: Clock;
  /** Retry jitter: its timing follows the network, so it has its own stream (random.ts). */
  jitter: Random;
  metrics: Metrics;
  logger: Logger;
  /** Asks for a claim after `delayMs`: a retry is due then, or slots came free while work waited. */
  webhookDueAfter: (delayMs: number) => void;
}

/** Results written per statement. */
const RECORD_BATCH_SIZE_MAX = 500;

export class WebhookDispatcher {
  #busySlotCount = 0;
  #isBacklogged = false;
  #isStopped = false;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #records: BatchWriter<AttemptRecord>;

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.#records = new BatchWriter((records) => deps.webhooks.recordAttempts(records), RECORD_BATCH_SIZE_MAX);
  }

  /**
   * Sets aside up to `countMax` free slots for webhooks about to be claimed (by the settle statement, or
   * by dispatchDue); `send` gives back what the claim did not use.
   */
  reserveSlots(countMax: number): number {
    const reservedCount = this.#isStopped ? 0 : Math.max(0, Math.min(countMax, this.#freeSlotCount()));
    this.#busySlotCount += reservedCount;
    return reservedCount;
  }

  /** Starts posting what was claimed into `reservedCount` slots. */
  send(claimed: ClaimedWebhook[], reservedCount: number, isMoreDue: boolean): void {
    assert(claimed.length <= reservedCount, 'no more claimed than reserved');
    this.#busySlotCount -= reservedCount - claimed.length;
    if (isMoreDue) this.#isBacklogged = true;
    this.#post(claimed);
  }

  /** Claims what is due, up to the free slots, and starts posting; returns how many it claimed. */
  async dispatchDue(): Promise<number> {
    const reservedCount = this.reserveSlots(this.deps.config.concurrencyMax);
    if (reservedCount === 0) {
      if (!this.#isStopped) this.#isBacklogged = true;
      return 0;
    }
    const { timeoutMs, leaseMarginMs } = this.deps.config;
    let claimed: ClaimedWebhook[] = [];
    try {
      // Out-of-order webhooks are posted one after another, so their lease covers the whole group.
      claimed = await this.deps.webhooks.claimDue({
        countMax: reservedCount,
        leaseMs: timeoutMs + leaseMarginMs,
        outOfOrderLeaseMs: timeoutMs * reservedCount + leaseMarginMs,
      });
    } finally {
      this.send(claimed, reservedCount, claimed.length === reservedCount);
    }
    return claimed.length;
  }

  /** Takes no more work and waits for the attempts in flight (each bounded by its timeout) to be recorded. */
  async stop(): Promise<void> {
    this.#isStopped = true;
    await Promise.allSettled([...this.#inFlight]);
  }

  #post(claimed: ClaimedWebhook[]): void {
    const inOrder = claimed.filter((webhook) => !webhook.isOutOfOrder);
    const reversed = claimed.filter((webhook) => webhook.isOutOfOrder).sort(newestFirst);
    for (const webhook of inOrder) this.#track(this.#attempt(webhook));
    if (reversed.length > 0) this.#track(this.#attemptOneByOne(reversed));
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /** Newest first, each after the previous one's answer, so the receiver sees them in exactly that order. */
  async #attemptOneByOne(webhooks: ClaimedWebhook[]): Promise<void> {
    for (const webhook of webhooks) await this.#attempt(webhook);
  }

  /** Never rejects: whatever goes wrong, the webhook's lease brings it back. */
  async #attempt(webhook: ClaimedWebhook): Promise<void> {
    try {
      const { order } = webhook;
      const body = JSON.stringify(signedWebhookPayload(order, this.deps.clock.nowMs(), this.deps.config.secret));
      // Duplicates share one signed body, so the second copy is byte for byte a replay of the first.
      const copies = Array.from({ length: webhook.copyCount }, () => this.deps.poster.post(body, order.requestId));
      const record = this.#recordOf(webhook, await Promise.all(copies));
      this.#report(webhook, record);
      await this.#records.add(record);
      if (record.outcome === 'retry') this.deps.webhookDueAfter(record.retryDelayMs);
    } catch (error) {
      this.deps.logger.error(
        { err: error, ...logFields(webhook) },
        'webhook attempt not recorded; it is sent again when its lease ends',
      );
    } finally {
      this.#releaseSlot();
    }
  }

  #recordOf(webhook: ClaimedWebhook, results: PostResult[]): AttemptRecord {
    const { webhookId, attemptCount } = webhook;
    // With duplicates on, one 2xx among the copies is a delivery.
    const failure = results.find(isFailure);
    if (failure === undefined || results.some((result) => result.isDelivered)) {
      return { webhookId, attemptCount, outcome: 'delivered', error: null };
    }
    const { attemptCountMax, retryBaseMs, retryCapMs } = this.deps.config;
    if (attemptCount >= attemptCountMax) return { webhookId, attemptCount, outcome: 'given_up', error: failure.reason };
    const retryDelayMs = backoffDelayMs(attemptCount - 1, retryBaseMs, retryCapMs, () => this.deps.jitter.next());
    return { webhookId, attemptCount, outcome: 'retry', retryDelayMs, error: failure.reason };
  }

  #report(webhook: ClaimedWebhook, record: AttemptRecord): void {
    const { metrics, logger } = this.deps;
    if (record.outcome === 'delivered') {
      metrics.webhookDeliveriesTotal.inc({ result: 'delivered' });
      logger.info(logFields(webhook), 'webhook delivered');
      return;
    }
    metrics.webhookDeliveriesTotal.inc({ result: 'failed_attempt' });
    if (record.outcome === 'retry') {
      logger.warn(
        { ...logFields(webhook), reason: record.error, retryDelayMs: record.retryDelayMs },
        'webhook refused',
      );
      return;
    }
    metrics.webhookDeliveriesTotal.inc({ result: 'gave_up' });
    logger.error(
      { ...logFields(webhook), reason: record.error },
      'webhook given up after the last attempt; the merchant must reconcile',
    );
  }

  /**
   * With work waiting, a claim is worth its round trip once half the slots are free: asking for every
   * freed slot would claim one webhook per statement under load.
   */
  #releaseSlot(): void {
    this.#busySlotCount -= 1;
    if (!this.#isBacklogged || this.#isStopped) return;
    if (this.#freeSlotCount() < Math.ceil(this.deps.config.concurrencyMax / 2)) return;
    this.#isBacklogged = false;
    this.deps.webhookDueAfter(0);
  }

  #freeSlotCount(): number {
    return this.deps.config.concurrencyMax - this.#busySlotCount;
  }
}

function isFailure(result: PostResult): result is Extract<PostResult, { isDelivered: false }> {
  return !result.isDelivered;
}

function newestFirst(left: ClaimedWebhook, right: ClaimedWebhook): number {
  const bySettledAt = (right.order.settledAtMs ?? 0) - (left.order.settledAtMs ?? 0);
  if (bySettledAt !== 0) return bySettledAt;
  // One statement settles a batch at one instant, in settle_at order: the later settle_at is the newer.
  const bySettleAt = right.order.settleAtMs - left.order.settleAtMs;
  if (bySettleAt !== 0) return bySettleAt;
  return BigInt(right.webhookId) > BigInt(left.webhookId) ? 1 : -1;
}

function logFields(webhook: ClaimedWebhook): Record<string, unknown> {
  return {
    bankReference: webhook.order.bankReference,
    requestId: webhook.order.requestId,
    attemptCount: webhook.attemptCount,
  };
}
