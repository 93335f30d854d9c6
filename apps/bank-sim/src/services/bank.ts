import type { Logger } from 'pino';

import type { BankControl, BankOrderRequest } from '@paygate/contracts';
import { assert, requestFingerprint } from '@paygate/domain';

import type { BankConfig } from '../config';
import type { Random } from '../random';
import type { Clock } from './clock';
import type { ControlResult } from './controls';
import { Controls } from './controls';
import type { Metrics, OrderAnswer } from './metrics';
import type { Order, Outcome } from './order-book';
import { OrderBook } from './order-book';
import { ResponseHolds } from './response-holds';
import { SettlementScheduler } from './settlement-scheduler';
import { WebhookSender } from './webhook-sender';

/**
 * The simulated bank: takes orders, settles each after a random delay, and reports the outcome by webhook.
 * Every random draw for an order happens when the order is submitted, in request order, so a seeded run
 * repeats itself whatever the timers do.
 */

export type BankRefusalCode = 'unavailable' | 'invalid_request' | 'idempotency_key_reused' | 'order_book_full';

export type SubmitOrderResult =
  | { kind: 'accepted' | 'replayed'; order: Order; isHeld: boolean }
  | { kind: 'refused'; code: BankRefusalCode; message: string };

export interface SubmitOrderCommand {
  idempotencyKey: string;
  requestId: string | undefined;
  request: BankOrderRequest;
}

export interface BankDeps {
  config: BankConfig;
  clock: Clock;
  /** Draws that follow the request sequence (scenarios, references, delays, outcomes). */
  random: Random;
  /** Draws whose timing follows the network (webhook retry jitter). */
  jitter: Random;
  metrics: Metrics;
  logger: Logger;
}

type Scenario = 'normal' | 'timeout' | 'unavailable' | 'invalid_request';

/** Crockford's base32: no I, L, O or U, so a reference read aloud or retyped survives. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_LENGTH = 12;
const FAILURE_REASONS = { deposit: ['declined'], withdrawal: ['insufficient_funds', 'declined'] } as const;

export class Bank {
  readonly orders: OrderBook;
  readonly controls: Controls;
  readonly holds = new ResponseHolds();
  readonly #scheduler: SettlementScheduler;
  readonly #webhooks: WebhookSender;

  constructor(private readonly deps: BankDeps) {
    this.orders = new OrderBook(deps.config.orders.countMax);
    this.controls = new Controls(deps.config.settlement);
    this.#scheduler = new SettlementScheduler((order) => this.#settle(order));
    this.#webhooks = new WebhookSender({
      config: deps.config.webhook,
      controls: this.controls,
      clock: deps.clock,
      jitter: deps.jitter,
      metrics: deps.metrics,
      logger: deps.logger,
    });
  }

  submitOrder(command: SubmitOrderCommand): SubmitOrderResult {
    const result = this.#submitOrder_(command);
    this.deps.metrics.ordersTotal.inc({ answer: answerLabel(result) });
    if (result.kind === 'accepted') {
      const { bankReference, reference, settleDelayMs } = result.order;
      this.deps.logger.info(
        { bankReference, reference, requestId: command.requestId, settleDelayMs, isHeld: result.isHeld },
        'order accepted',
      );
    }
    return result;
  }

  applyControl(command: BankControl): ControlResult {
    const result = this.controls.apply(command);
    // Switching out_of_order off must not strand the webhooks it was holding back.
    if (result.ok && !result.state.outOfOrder) this.#webhooks.flush();
    if (result.ok) this.deps.logger.info({ controls: result.state }, 'controls changed');
    return result;
  }

  /** Clears every timer and releases held answers; orders stay readable. */
  stop(): void {
    this.#scheduler.stop();
    this.#webhooks.stop();
    this.holds.releaseAll();
  }

  #submitOrder_(command: SubmitOrderCommand): SubmitOrderResult {
    const scenario = this.#drawScenario();
    if (scenario === 'unavailable')
      return refuse('unavailable', 'The bank is temporarily unavailable; try again later.');
    if (scenario === 'invalid_request') return refuse('invalid_request', 'The bank refused the order as invalid.');
    const isHeld = scenario === 'timeout';

    const fingerprint = requestFingerprint({ method: 'POST', path: '/v1/payments', body: command.request });
    const existing = this.orders.findByIdempotencyKey(command.idempotencyKey);
    if (existing !== undefined) {
      if (existing.fingerprint !== fingerprint) {
        return refuse('idempotency_key_reused', 'This Idempotency-Key was used with a different order.');
      }
      return { kind: 'replayed', order: existing, isHeld };
    }
    if (this.orders.isFull)
      return refuse('order_book_full', `The bank holds ${this.orders.countMax} orders, its limit.`);

    const order = this.#newOrder(command, fingerprint);
    this.orders.add(order);
    this.deps.metrics.ordersInBook.set(this.orders.count);
    this.#scheduler.schedule(order);
    return { kind: 'accepted', order, isHeld };
  }

  #drawScenario(): Scenario {
    // Drawn even when a control forces the answer, so switching modes does not shift the later draws.
    const draw = this.deps.random.next();
    if (this.controls.takeForced503()) return 'unavailable';
    const { mode } = this.controls.state;
    if (mode === 'always_503') return 'unavailable';
    if (mode === 'invalid_request') return 'invalid_request';
    if (mode === 'hang') return 'timeout';
    const { unavailableRate, invalidRate, timeoutRate } = this.deps.config.scenarios;
    if (draw < unavailableRate) return 'unavailable';
    if (draw < unavailableRate + invalidRate) return 'invalid_request';
    if (draw < unavailableRate + invalidRate + timeoutRate) return 'timeout';
    return 'normal';
  }

  #newOrder(command: SubmitOrderCommand, fingerprint: string): Order {
    const { request } = command;
    const bankReference = this.#newBankReference();
    const settleDelayMs = this.deps.random.integerBetween(
      this.controls.state.delayMsMin,
      this.controls.state.delayMsMax,
    );
    return {
      bankReference,
      reference: request.reference,
      type: request.type,
      amount: request.amount,
      currency: request.currency,
      callbackUrl: request.callback_url,
      idempotencyKey: command.idempotencyKey,
      fingerprint,
      requestId: command.requestId,
      status: 'pending',
      errorMessage: null,
      createdAtMs: this.deps.clock.nowMs(),
      settledAtMs: null,
      plannedOutcome: this.#drawOutcome(request.type),
      settleDelayMs,
    };
  }

  #newBankReference(): string {
    // 60 random bits make a collision unlikely, not impossible; a bounded redraw settles it.
    for (let attemptIndex = 0; attemptIndex < 8; attemptIndex += 1) {
      let code = '';
      for (let index = 0; index < REFERENCE_LENGTH; index += 1) {
        code += REFERENCE_ALPHABET.charAt(this.deps.random.integerBetween(0, REFERENCE_ALPHABET.length - 1));
      }
      const bankReference = `BNK-${code}`;
      if (!this.orders.hasBankReference(bankReference)) return bankReference;
    }
    assert(false, 'eight bank reference collisions in a row: the random source is broken');
  }

  #drawOutcome(type: Order['type']): Outcome {
    // Both draws always happen, whatever the type or mode, so every order consumes the same number of draws.
    const successDraw = this.deps.random.next();
    const reason = this.deps.random.pick(FAILURE_REASONS[type]);
    if (this.controls.state.mode === 'always_fail') return { status: 'failed', errorMessage: 'declined' };
    if (successDraw < this.controls.state.successRate) return { status: 'success', errorMessage: null };
    return { status: 'failed', errorMessage: reason };
  }

  #settle(order: Order): void {
    this.orders.settle(order, this.deps.clock.nowMs());
    this.deps.metrics.settlementsTotal.inc({ status: order.status });
    this.deps.logger.info(
      { bankReference: order.bankReference, status: order.status, errorMessage: order.errorMessage },
      'order settled',
    );
    this.#webhooks.dispatch(order);
  }
}

function refuse(code: BankRefusalCode, message: string): SubmitOrderResult {
  return { kind: 'refused', code, message };
}

function answerLabel(result: SubmitOrderResult): OrderAnswer {
  return result.kind === 'refused' ? result.code : result.kind;
}
