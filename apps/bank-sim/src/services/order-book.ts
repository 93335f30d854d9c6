import type { BankOrderRequest } from '@paygate/contracts';
import { assert } from '@paygate/domain';

/**
 * The simulated bank's own ledger of orders, in memory. It is the bank's state, not a stand-in for
 * Paygate's PostgreSQL or Redis: restarting the simulator is a bank that lost its books, which is fine for
 * dev and tests. Bounded by BANK_ORDER_COUNT_MAX.
 */

export type OrderStatus = 'pending' | 'success' | 'failed';
export type SettledStatus = Exclude<OrderStatus, 'pending'>;

export interface Outcome {
  status: SettledStatus;
  errorMessage: string | null;
}

export interface Order {
  bankReference: string;
  reference: string;
  type: BankOrderRequest['type'];
  amount: string;
  currency: string;
  callbackUrl: string;
  idempotencyKey: string;
  /** Canonical hash of the request body: the same key with another body is a reused key. */
  fingerprint: string;
  /** The caller's X-Request-ID, carried back on the webhook. */
  requestId: string | undefined;
  status: OrderStatus;
  errorMessage: string | null;
  createdAtMs: number;
  settledAtMs: number | null;
  /** Drawn when the order is accepted, so the draw order follows the request order, not timer timing. */
  plannedOutcome: Outcome;
  settleDelayMs: number;
}

export class OrderBook {
  readonly #byBankReference = new Map<string, Order>();
  readonly #bankReferenceByKey = new Map<string, string>();

  constructor(readonly countMax: number) {
    assert(Number.isInteger(countMax) && countMax > 0, 'order count max must be a positive integer');
  }

  get count(): number {
    return this.#byBankReference.size;
  }

  get isFull(): boolean {
    return this.#byBankReference.size >= this.countMax;
  }

  hasBankReference(bankReference: string): boolean {
    return this.#byBankReference.has(bankReference);
  }

  add(order: Order): void {
    assert(!this.isFull, 'order book is full');
    assert(!this.#byBankReference.has(order.bankReference), 'bank reference already taken');
    assert(!this.#bankReferenceByKey.has(order.idempotencyKey), 'idempotency key already taken');
    this.#byBankReference.set(order.bankReference, order);
    this.#bankReferenceByKey.set(order.idempotencyKey, order.bankReference);
  }

  findByIdempotencyKey(idempotencyKey: string): Order | undefined {
    const bankReference = this.#bankReferenceByKey.get(idempotencyKey);
    return bankReference === undefined ? undefined : this.#byBankReference.get(bankReference);
  }

  /** The worker asks by bank reference, or by its idempotency key when its POST timed out unanswered. */
  findByBankReferenceOrKey(referenceOrKey: string): Order | undefined {
    return this.#byBankReference.get(referenceOrKey) ?? this.findByIdempotencyKey(referenceOrKey);
  }

  settle(order: Order, settledAtMs: number): void {
    assert(order.status === 'pending', 'only a pending order settles');
    assert(this.#byBankReference.get(order.bankReference) === order, 'settling an order that is not in the book');
    order.status = order.plannedOutcome.status;
    order.errorMessage = order.plannedOutcome.errorMessage;
    order.settledAtMs = settledAtMs;
  }
}
