import type { BankControl } from '@paygate/contracts';
import { assert, formatAmount, requestFingerprint } from '@paygate/domain';

import type { BankConfig } from '../config';
import type { Pool } from '../data-access/database';
import { OrderRepository } from '../data-access/order-repository';
import { SettlementRepository } from '../data-access/settlement-repository';
import { WebhookRepository } from '../data-access/webhook-repository';
import type { WebhookState } from '../data-access/webhook-repository';
import type { Random } from '../random';
import type { Clock } from './clock';
import type { ControlResult } from './controls';
import { Controls } from './controls';
import type { Metrics, OrderAnswer } from '../infra/metrics';
import type { Order, OrderRequest } from './order';
import { drawBankReference, drawOrder, drawScenario } from './order-draws';
import type { OrderDraws } from './order-draws';
import { ResponseHolds } from './response-holds';
import { SettlementPump } from './settlement-pump';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookPoster } from './webhook-poster';
import type { Logger } from '../infra/logger';

/**
 * The simulated bank: takes a merchant's orders, keeps them in its own database, settles each after its
 * drawn delay, and reports the outcome by a signed webhook to the merchant's callback URL until it gets a
 * 2xx. A restart forgets nothing: due times and unsent webhooks are rows, and the pump finds them again.
 */

export type BankRefusalCode = 'unavailable' | 'invalid_request' | 'idempotency_key_reused' | 'order_book_full';

export type SubmitOrderResult =
  | { kind: 'accepted' | 'replayed'; order: Order; isHeld: boolean }
  | { kind: 'refused'; code: BankRefusalCode; message: string };

export interface SubmitOrderCommand {
  merchantId: string;
  idempotencyKey: string;
  requestId: string | undefined;
  request: OrderRequest;
}

export interface BankDeps {
  config: BankConfig;
  pool: Pool;
  clock: Clock;
  /** Draws that follow the request sequence (scenarios, references, delays, outcomes). */
  random: Random;
  /** Draws whose timing follows the network (webhook retry jitter). */
  jitter: Random;
  metrics: Metrics;
  logger: Logger;
}

/** A drawn bank reference that is taken is drawn again, this many times at most. */
const REFERENCE_ATTEMPT_COUNT_MAX = 8;

export class Bank {
  readonly controls: Controls;
  readonly holds = new ResponseHolds();
  readonly #orders: OrderRepository;
  readonly #webhooks: WebhookRepository;
  readonly #poster: WebhookPoster;
  readonly #dispatcher: WebhookDispatcher;
  readonly #pump: SettlementPump;
  /** Orders in the table, as last counted plus those accepted since (see BANK_ORDER_COUNT_MAX). */
  #orderCount = 0;
  #orderCountedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: BankDeps) {
    const { config } = deps;
    this.controls = new Controls(config.settlement);
    this.#orders = new OrderRepository(deps.pool);
    this.#webhooks = new WebhookRepository(deps.pool);
    this.#poster = new WebhookPoster({
      callbackUrl: config.merchant.callbackUrl,
      timeoutMs: config.webhook.timeoutMs,
      socketCountMax: config.webhook.concurrencyMax,
    });
    this.#dispatcher = new WebhookDispatcher({
      config: config.webhook,
      webhooks: this.#webhooks,
      poster: this.#poster,
      clock: deps.clock,
      jitter: deps.jitter,
      metrics: deps.metrics,
      logger: deps.logger,
      webhookDueAfter: (delayMs) => this.#pump.webhookDueAfter(delayMs),
    });
    this.#pump = new SettlementPump({
      config,
      settlements: new SettlementRepository(deps.pool),
      dispatcher: this.#dispatcher,
      controls: this.controls,
      clock: deps.clock,
      metrics: deps.metrics,
      logger: deps.logger,
    });
  }

  /** Counts the book and starts the timers; the first pass catches up on what a restart left due. */
  async start(): Promise<void> {
    await this.#recountOrders();
    this.#pump.start();
  }

  async submitOrder(command: SubmitOrderCommand): Promise<SubmitOrderResult> {
    // Every draw happens before the first await, so the draws follow the order in which requests arrive.
    const scenario = drawScenario(
      this.deps.random,
      this.controls.state,
      this.controls.takeForced503(),
      this.deps.config.scenarios,
    );
    if (scenario === 'unavailable') {
      return this.#answered(command, refuse('unavailable', 'The bank is temporarily unavailable; try again later.'));
    }
    if (scenario === 'invalid_request') {
      return this.#answered(command, refuse('invalid_request', 'The bank refused the order as invalid.'));
    }
    const draws = drawOrder(this.deps.random, this.controls.state, command.request.type);
    // A "timeout" accepts the order but holds the answer: the ambiguous case a real bank produces.
    const result = await this.#placeOrder(command, draws, scenario === 'timeout');
    return this.#answered(command, result);
  }

  /** By bank reference or by the idempotency key it was placed with, within the merchant's own orders. */
  findOrder(merchantId: string, referenceOrKey: string): Promise<Order | undefined> {
    return this.#orders.findByBankReferenceOrKey(merchantId, referenceOrKey);
  }

  /** The webhooks queued for an order and where each stands (attempts, delivered, given up). */
  webhooksOf(bankReference: string): Promise<WebhookState[]> {
    return this.#webhooks.listForOrder(bankReference);
  }

  async applyControl(command: BankControl): Promise<ControlResult> {
    const result = this.controls.apply(command);
    if (!result.ok) return result;
    this.deps.logger.info({ controls: result.state }, 'controls changed');
    // With out_of_order off, nothing stays held back, whoever held it (this process, or one before a restart).
    if (!result.state.outOfOrder && (await this.#webhooks.releaseOutOfOrder()) > 0) {
      this.#pump.webhookDueAfter(0);
    }
    return result;
  }

  /** Releases held answers, stops the timers and waits for the webhook attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.holds.releaseAll();
    await this.#pump.stop();
    await this.#dispatcher.stop();
    this.#poster.close();
  }

  async #placeOrder(command: SubmitOrderCommand, draws: OrderDraws, isHeld: boolean): Promise<SubmitOrderResult> {
    const fingerprint = fingerprintOf(command.request);
    if (this.#isBookFull()) {
      const existing = await this.#orders.findByKey(command.merchantId, command.idempotencyKey);
      if (existing === undefined) {
        return refuse('order_book_full', `The bank holds ${this.deps.config.orders.countMax} orders, its limit.`);
      }
      return replayOf(existing, fingerprint, isHeld);
    }
    let { bankReference } = draws;
    for (let attemptIndex = 0; attemptIndex < REFERENCE_ATTEMPT_COUNT_MAX; attemptIndex += 1) {
      const inserted = await this.#orders.insert({
        ...command.request,
        merchantId: command.merchantId,
        idempotencyKey: command.idempotencyKey,
        fingerprint,
        requestId: command.requestId,
        bankReference,
        settleDelayMs: draws.settleDelayMs,
        plannedOutcome: draws.plannedOutcome,
      });
      if (inserted.kind === 'key_taken') return replayOf(inserted.existing, fingerprint, isHeld);
      if (inserted.kind === 'inserted') {
        this.#orderCount += 1;
        this.deps.metrics.ordersInBook.set(this.#orderCount);
        return { kind: 'accepted', order: inserted.order, isHeld };
      }
      bankReference = drawBankReference(this.deps.random);
    }
    assert(false, `${REFERENCE_ATTEMPT_COUNT_MAX} bank reference collisions in a row: the random source is broken`);
  }

  #answered(command: SubmitOrderCommand, result: SubmitOrderResult): SubmitOrderResult {
    this.deps.metrics.ordersTotal.inc({ answer: answerLabel(result) });
    if (result.kind !== 'accepted') return result;
    const { order } = result;
    const settleDelayMs = order.settleAtMs - order.createdAtMs;
    this.#pump.orderDueAfter(settleDelayMs);
    this.deps.logger.info(
      {
        bankReference: order.bankReference,
        reference: order.reference,
        requestId: command.requestId,
        settleDelayMs,
        isHeld: result.isHeld,
      },
      'order accepted',
    );
    return result;
  }

  /**
   * Counting a big table on every order would cost more than the bound is worth, so the count is kept in
   * memory and read again from the table now and then. Several processes on one database may together go
   * past the bound by the orders they accept between two counts.
   */
  #isBookFull(): boolean {
    const { orderRecountIntervalMs } = this.deps.config.schedule;
    if (Date.now() - this.#orderCountedAtMs >= orderRecountIntervalMs) {
      this.#orderCountedAtMs = Date.now();
      this.#recountOrders().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'order recount failed'));
    }
    return this.#orderCount >= this.deps.config.orders.countMax;
  }

  async #recountOrders(): Promise<void> {
    this.#orderCountedAtMs = Date.now();
    this.#orderCount = await this.#orders.count();
    this.deps.metrics.ordersInBook.set(this.#orderCount);
  }
}

/** The same fields as the wire body, so the hash equals the one of the request as sent. */
function fingerprintOf(request: OrderRequest): string {
  const body = {
    reference: request.reference,
    type: request.type,
    amount: formatAmount(request.amountMinor),
    currency: request.currency,
  };
  return requestFingerprint({ method: 'POST', path: '/v1/payments', body });
}

function replayOf(existing: Order, fingerprint: string, isHeld: boolean): SubmitOrderResult {
  if (existing.fingerprint !== fingerprint) {
    return refuse('idempotency_key_reused', 'This Idempotency-Key was used with a different order.');
  }
  return { kind: 'replayed', order: existing, isHeld };
}

function refuse(code: BankRefusalCode, message: string): SubmitOrderResult {
  return { kind: 'refused', code, message };
}

function answerLabel(result: SubmitOrderResult): OrderAnswer {
  return result.kind === 'refused' ? result.code : result.kind;
}
