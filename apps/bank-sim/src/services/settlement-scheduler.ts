import { assert } from '@paygate/domain';

import type { Order } from './order-book';

/**
 * Runs each order's settlement once its delay has passed. Timers are tracked so shutdown (and a test's
 * afterAll) can clear every one of them; a stopped scheduler settles nothing more.
 */
export class SettlementScheduler {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #isStopped = false;

  constructor(private readonly settle: (order: Order) => void) {}

  get pendingCount(): number {
    return this.#timers.size;
  }

  schedule(order: Order): void {
    assert(!this.#isStopped, 'scheduling on a stopped scheduler');
    assert(!this.#timers.has(order.bankReference), 'an order is scheduled once');
    const timer = setTimeout(() => {
      this.#timers.delete(order.bankReference);
      this.settle(order);
    }, order.settleDelayMs);
    this.#timers.set(order.bankReference, timer);
  }

  stop(): void {
    this.#isStopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
