import { encodeTransaction, encodeWebhookEvent } from '@paygate/contracts';
import type { ClaimedDelivery, RecordAttemptOutcome, WebhookDeliveriesRepository } from '@paygate/db';
import type { AttemptResult } from '@paygate/db';
import { AddressAllowlist, signWebhook, webhookMessageId, webhookRetryDelayS, WebhookSecretBox } from '@paygate/domain';

import type { Logger } from '../infra/logger';
import { Periodic } from '../infra/periodic';
import type { WebhookMetrics } from '../infra/webhook-metrics';
import type { SendResult } from './webhook-sender';
import { WebhookSender } from './webhook-sender';

/**
 * Delivers outgoing webhooks, at least once: claims due deliveries under a lease, POSTs each signed in the
 * Standard Webhooks form, and records every attempt with what comes next (delivered, retried after the next
 * delay of the schedule, or failed, which may disable the endpoint). It runs when woken (trigger) and on a
 * short poll; a full claim is followed by another at once, so a backlog drains at full speed.
 */

export interface WebhookDispatcherOptions {
  secretKey: string;
  allowPrivateCidrs: readonly string[];
  retryScheduleS: readonly number[];
  timeoutMs: number;
  concurrency: number;
  pollIntervalMs: number;
  claimBatchSize: number;
  leaseMs: number;
  responseBytesMax: number;
  socketsFreeMax: number;
}

export interface WebhookDispatcherDeps {
  deliveries: WebhookDeliveriesRepository;
  metrics: WebhookMetrics;
  logger: Logger;
  options: WebhookDispatcherOptions;
  nowMs?: () => number;
}

/** Claims one drain makes before it yields to the next poll, so a flood never starves the timers. */
const CLAIMS_PER_DRAIN_MAX = 100;

export class WebhookDispatcher {
  readonly #box: WebhookSecretBox;
  readonly #sender: WebhookSender;
  readonly #poll: Periodic;
  readonly #scheduleTotalS: number;
  readonly #attemptCountMax: number;
  readonly #nowMs: () => number;

  constructor(private readonly deps: WebhookDispatcherDeps) {
    const { options } = deps;
    this.#box = new WebhookSecretBox(options.secretKey);
    this.#sender = new WebhookSender({
      allowlist: new AddressAllowlist(options.allowPrivateCidrs),
      timeoutMs: options.timeoutMs,
      responseBytesMax: options.responseBytesMax,
      socketsFreeMax: options.socketsFreeMax,
    });
    this.#poll = new Periodic('webhook-deliveries', options.pollIntervalMs, () => this.drain(), deps.logger);
    this.#scheduleTotalS = options.retryScheduleS.reduce((total, delayS) => total + delayS, 0);
    this.#attemptCountMax = 1 + options.retryScheduleS.length;
    this.#nowMs = deps.nowMs ?? Date.now;
  }

  start(): void {
    this.#poll.start();
  }

  /** Wakes the dispatcher now (a commit that may have written deliveries); coalesced with a run in progress. */
  trigger(): void {
    void this.#poll.runNow();
  }

  async stop(): Promise<void> {
    await this.#poll.stop();
    this.#sender.close();
  }

  /** Claims and delivers until a claim comes back short of a full batch. */
  async drain(): Promise<void> {
    const { deliveries, options } = this.deps;
    for (let claimIndex = 0; claimIndex < CLAIMS_PER_DRAIN_MAX; claimIndex += 1) {
      const claimed = await deliveries.claimDue(options.claimBatchSize, options.leaseMs);
      await this.#deliverAll(claimed);
      if (claimed.length < options.claimBatchSize) return;
    }
  }

  async #deliverAll(claimed: ClaimedDelivery[]): Promise<void> {
    let nextIndex = 0;
    const lane = async (): Promise<void> => {
      for (let item = claimed[nextIndex++]; item !== undefined; item = claimed[nextIndex++]) {
        await this.#deliver(item).catch((error: unknown) =>
          // Its lease runs out and it comes due again: at least once, even when recording failed.
          this.deps.logger.warn({ err: error, deliveryId: item.id }, 'webhook delivery could not be recorded'),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.options.concurrency, claimed.length) }, lane));
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    if (delivery.lostAttempt) {
      this.deps.metrics.deliveries.inc({ outcome: 'lost' });
      this.deps.logger.warn(
        { deliveryId: delivery.id, endpointId: delivery.endpointId, attemptCount: delivery.attemptCount },
        'webhook attempt lost (its lease ran out without an answer recorded); sending again',
      );
    }
    const attemptCount = delivery.attemptCount + 1;
    const startedAtMs = this.#nowMs();
    const sent = await this.#attempt(delivery, startedAtMs);
    const durationMs = Math.max(0, this.#nowMs() - startedAtMs);
    const result = this.#resultOf(sent, delivery, attemptCount);
    this.deps.metrics.latency.observe({ result: result.outcome }, durationMs / 1000);
    const outcome = await this.deps.deliveries.recordAttempt({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      startedAt: new Date(startedAtMs),
      durationMs: Math.round(durationMs),
      result,
      scheduleTotalS: this.#scheduleTotalS,
    });
    this.deps.metrics.deliveries.inc({ outcome });
    this.#log(delivery, attemptCount, result, outcome);
  }

  async #attempt(delivery: ClaimedDelivery, startedAtMs: number): Promise<SendResult> {
    if (delivery.transaction === null) return { kind: 'refused', error: 'the stored event does not decode' };
    let secret: string;
    try {
      secret = this.#box.open(delivery.secretCiphertext);
    } catch {
      return { kind: 'failed', error: 'the endpoint secret cannot be read (was WEBHOOK_ENDPOINT_SECRET_KEY changed?)' };
    }
    const body = encodeWebhookEvent(delivery.eventCreatedAt, encodeTransaction(delivery.transaction));
    const messageId = webhookMessageId(delivery.eventId);
    const timestampS = Math.floor(startedAtMs / 1000);
    return this.#sender.send(delivery.url, body, {
      'content-type': 'application/json',
      'user-agent': 'Paygate-Webhooks/1',
      'webhook-id': messageId,
      'webhook-timestamp': String(timestampS),
      'webhook-signature': signWebhook(secret, messageId, timestampS, body),
    });
  }

  #resultOf(sent: SendResult, delivery: ClaimedDelivery, attemptCount: number): AttemptResult {
    if (sent.kind === 'answered' && sent.statusCode >= 200 && sent.statusCode < 300) {
      return { outcome: 'delivered', statusCode: sent.statusCode };
    }
    const isLast = attemptCount >= (delivery.attemptCountMax ?? this.#attemptCountMax);
    const retryDelayS = isLast ? null : webhookRetryDelayS(this.deps.options.retryScheduleS, attemptCount);
    if (sent.kind === 'answered') {
      return { outcome: 'failed', statusCode: sent.statusCode, error: `HTTP ${sent.statusCode}`, retryDelayS };
    }
    return { outcome: 'failed', statusCode: null, error: sent.error, retryDelayS };
  }

  #log(delivery: ClaimedDelivery, attemptCount: number, result: AttemptResult, outcome: RecordAttemptOutcome): void {
    const fields = {
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      attemptCount,
      statusCode: result.statusCode,
      outcome,
    };
    if (result.outcome === 'delivered') this.deps.logger.debug(fields, 'webhook delivered');
    else if (outcome === 'endpoint_disabled')
      this.deps.logger.warn({ ...fields, error: result.error }, 'webhook endpoint disabled');
    else this.deps.logger.info({ ...fields, error: result.error }, 'webhook attempt failed');
  }
}
