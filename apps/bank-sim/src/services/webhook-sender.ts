import type { Logger } from 'pino';

import type { BankWebhookPayload } from '@paygate/contracts';
import { assert, backoffDelayMs, signPayload } from '@paygate/domain';

import type { BankConfig } from '../config';
import type { Random } from '../random';
import type { Clock } from './clock';
import type { Controls } from './controls';
import type { Metrics } from './metrics';
import type { Order } from './order-book';

/**
 * Posts an order's outcome to its callback URL, signed with WEBHOOK_SECRET, and retries with exponential
 * backoff and full jitter until a 2xx or BANK_WEBHOOK_ATTEMPT_COUNT_MAX attempts. Each retry is signed
 * afresh with a new timestamp, so a receiver's freshness window never rejects a late retry. The control
 * switches decide whether a webhook is dropped, doubled or buffered and sent newest-first.
 */

interface Delivery {
  order: Order;
  payload: BankWebhookPayload;
  /** Counts from 0: the first attempt is attempt 0. */
  attemptIndex: number;
}

export class WebhookSender {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #outOfOrderBuffer: Delivery[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  readonly #stopController = new AbortController();

  constructor(
    private readonly deps: {
      config: BankConfig['webhook'];
      controls: Controls;
      clock: Clock;
      jitter: Random;
      metrics: Metrics;
      logger: Logger;
    },
  ) {}

  /** Called once per settled order. */
  dispatch(order: Order): void {
    assert(order.status !== 'pending', 'only a settled order has a webhook');
    const controls = this.deps.controls.state;
    if (controls.dropWebhooks) {
      this.deps.metrics.webhookDeliveriesTotal.inc({ result: 'dropped' });
      this.deps.logger.info({ bankReference: order.bankReference }, 'webhook dropped (drop_webhooks is on)');
      return;
    }
    // One signed payload for both copies, so a duplicate is byte-for-byte a replay of the first.
    const payload = this.#signedPayload(order);
    const copyCount = controls.duplicateWebhooks ? 2 : 1;
    for (let copyIndex = 0; copyIndex < copyCount; copyIndex += 1) {
      const delivery: Delivery = { order, payload, attemptIndex: 0 };
      if (controls.outOfOrder) this.#buffer(delivery);
      else this.#attempt(delivery);
    }
  }

  /** Sends whatever is buffered (newest first), e.g. when out_of_order is switched off. */
  flush(): void {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const deliveries = this.#outOfOrderBuffer.splice(0).reverse();
    for (const delivery of deliveries) this.#attempt(delivery);
  }

  /** Cancels every pending retry and aborts requests in flight; nothing is sent afterwards. */
  stop(): void {
    this.#stopController.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#outOfOrderBuffer.length = 0;
  }

  #buffer(delivery: Delivery): void {
    this.#outOfOrderBuffer.push(delivery);
    // The window opens with the first buffered webhook, so all that settle within it are reversed together.
    this.#flushTimer ??= setTimeout(() => this.flush(), this.deps.config.outOfOrderFlushMs);
  }

  #attempt(delivery: Delivery): void {
    if (this.#stopController.signal.aborted) return;
    void this.#post(delivery).then((isDelivered) => {
      if (isDelivered) this.#onDelivered(delivery);
      else this.#onFailedAttempt(delivery);
    });
  }

  /** Resolves true on a 2xx; false on any other status, a network error or the per-attempt timeout. */
  async #post(delivery: Delivery): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'paygate-bank-sim' };
    if (delivery.order.requestId !== undefined) headers['x-request-id'] = delivery.order.requestId;
    try {
      const response = await fetch(delivery.order.callbackUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify(delivery.payload),
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.deps.config.timeoutMs), this.#stopController.signal]),
      });
      // Drain nothing: the answer's body means nothing to the bank, and cancelling frees the socket.
      await response.body?.cancel();
      if (response.ok) return true;
      this.deps.logger.warn({ ...this.#logFields(delivery), status: response.status }, 'webhook refused');
      return false;
    } catch (error) {
      this.deps.logger.warn({ ...this.#logFields(delivery), reason: describe(error) }, 'webhook attempt failed');
      return false;
    }
  }

  #onDelivered(delivery: Delivery): void {
    this.deps.metrics.webhookDeliveriesTotal.inc({ result: 'delivered' });
    this.deps.logger.info(this.#logFields(delivery), 'webhook delivered');
  }

  #onFailedAttempt(delivery: Delivery): void {
    if (this.#stopController.signal.aborted) return;
    this.deps.metrics.webhookDeliveriesTotal.inc({ result: 'failed_attempt' });
    const attemptCount = delivery.attemptIndex + 1;
    if (attemptCount >= this.deps.config.attemptCountMax) {
      this.deps.metrics.webhookDeliveriesTotal.inc({ result: 'gave_up' });
      this.deps.logger.error(
        this.#logFields(delivery),
        'webhook given up after the last attempt; the caller must reconcile',
      );
      return;
    }
    const { retryBaseMs, retryCapMs } = this.deps.config;
    const delayMs = backoffDelayMs(delivery.attemptIndex, retryBaseMs, retryCapMs, () => this.deps.jitter.next());
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#attempt({
        order: delivery.order,
        payload: this.#signedPayload(delivery.order),
        attemptIndex: attemptCount,
      });
    }, delayMs);
    this.#timers.add(timer);
  }

  #signedPayload(order: Order): BankWebhookPayload {
    assert(order.status !== 'pending', 'a webhook carries a final status');
    const unsigned = {
      transaction_id: Number(order.reference),
      bank_reference: order.bankReference,
      status: order.status,
      error_message: order.errorMessage,
      timestamp: Math.floor(this.deps.clock.nowMs() / 1000),
    };
    return { ...unsigned, signature: signPayload(unsigned, this.deps.config.secret) };
  }

  #logFields(delivery: Delivery): Record<string, unknown> {
    return {
      bankReference: delivery.order.bankReference,
      requestId: delivery.order.requestId,
      attemptCount: delivery.attemptIndex + 1,
    };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}${cause}`;
  }
  return 'unknown error';
}
