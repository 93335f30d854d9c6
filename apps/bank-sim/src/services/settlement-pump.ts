import type { Logger } from 'pino';

import type { BankConfig } from '../config';
import type { SettlementRepository, WebhookPlan } from '../data-access/settlement-repository';
import type { Clock } from './clock';
import type { Controls } from './controls';
import type { Metrics } from './metrics';
import type { Order } from './order';
import type { WebhookDispatcher } from './webhook-dispatcher';

/**
 * The bank's durable timers. The due times live in the database (settle_at, next_attempt_at); this
 * process keeps one timer, armed for the earliest thing it knows is due, so a zero delay settles within
 * milliseconds of the 202. Each pass settles the due orders in one statement, hands due webhooks to the
 * dispatcher, and re-arms the timer from the database's next due time, never later than
 * BANK_SWEEP_INTERVAL_MS: that bound is the sweep that finds work left by a restart or another process.
 */

export interface SettlementPumpDeps {
  config: BankConfig;
  settlements: SettlementRepository;
  dispatcher: WebhookDispatcher;
  controls: Controls;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

/**
 * When a pass did nothing yet the database says work is due, another process holds those rows for a few
 * milliseconds; looking again at once would spin.
 */
const IDLE_REWAKE_MS = 10;

export class SettlementPump {
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAtMs = Number.POSITIVE_INFINITY;
  #isRunning = false;
  #isRerunRequested = false;
  #isStopped = false;
  #running: Promise<void> = Promise.resolve();
  /** With out_of_order on, webhooks settled before this time are held until it, then sent newest first. */
  #outOfOrderWindowEndsAtMs: number | undefined;

  constructor(private readonly deps: SettlementPumpDeps) {}

  /** Runs a first pass now: it settles and sends whatever was left due by a stop or a crash. */
  start(): void {
    this.#request();
  }

  /** Arms the timer for `delayMs` from now, unless it is already armed for earlier. */
  wakeAfter(delayMs: number): void {
    if (this.#isStopped) return;
    const boundedDelayMs = Math.min(Math.max(0, Math.ceil(delayMs)), this.deps.config.schedule.sweepIntervalMs);
    const atMs = Date.now() + boundedDelayMs;
    if (this.#wakeTimer !== undefined && this.#wakeAtMs <= atMs) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeAtMs = atMs;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#wakeAtMs = Number.POSITIVE_INFINITY;
      this.#request();
    }, boundedDelayMs);
    // The HTTP server keeps a bank alive; a bank without one (a finished test) must not be kept alive here.
    this.#wakeTimer.unref();
  }

  /** Clears the timer and waits for the pass in progress, if any. */
  async stop(): Promise<void> {
    this.#isStopped = true;
    clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    await this.#running;
  }

  /** Passes never overlap: a wake during a pass asks for one more pass after it. */
  #request(): void {
    if (this.#isStopped) return;
    this.#isRerunRequested = true;
    if (this.#isRunning) return;
    this.#isRunning = true;
    this.#running = this.#run();
  }

  async #run(): Promise<void> {
    while (this.#isRerunRequested && !this.#isStopped) {
      this.#isRerunRequested = false;
      try {
        await this.#pass();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'settlement pass failed; trying again at the next sweep');
        this.wakeAfter(this.deps.config.schedule.sweepIntervalMs);
      }
    }
    // Set in the same synchronous step as the loop's last check, so no wake can fall between the two.
    this.#isRunning = false;
  }

  async #pass(): Promise<void> {
    const settledCount = await this.#settleDueOrders();
    const claimedCount = await this.deps.dispatcher.dispatchDue();
    if (settledCount === this.deps.config.schedule.settleBatchSizeMax) {
      this.#isRerunRequested = true;
      return;
    }
    const dueInMs = await this.deps.settlements.nextDueInMs({ isWebhookDueCounted: this.deps.dispatcher.hasFreeSlot });
    const didWork = settledCount > 0 || claimedCount > 0;
    const floorMs = didWork ? 0 : IDLE_REWAKE_MS;
    this.wakeAfter(dueInMs === null ? this.deps.config.schedule.sweepIntervalMs : Math.max(floorMs, dueInMs));
  }

  async #settleDueOrders(): Promise<number> {
    const nowMs = this.deps.clock.nowMs();
    const controls = this.deps.controls.state;
    const heldUntilMs = controls.outOfOrder ? this.#outOfOrderWindowEnd(nowMs) : null;
    const plan: WebhookPlan = controls.dropWebhooks
      ? { kind: 'drop' }
      : { kind: 'send', copyCount: controls.duplicateWebhooks ? 2 : 1, heldUntilMs };
    const settled = await this.deps.settlements.settleDue(this.deps.config.schedule.settleBatchSizeMax, plan);
    // The window opens with the first webhook it holds, so all that settle within it are reversed together.
    if (settled.length > 0 && heldUntilMs !== null) this.#outOfOrderWindowEndsAtMs = heldUntilMs;
    this.#report(settled, plan);
    return settled.length;
  }

  #outOfOrderWindowEnd(nowMs: number): number {
    const windowEndsAtMs = this.#outOfOrderWindowEndsAtMs;
    if (windowEndsAtMs !== undefined && windowEndsAtMs > nowMs) return windowEndsAtMs;
    return nowMs + this.deps.config.webhook.outOfOrderFlushMs;
  }

  #report(settled: Order[], plan: WebhookPlan): void {
    const { metrics, logger } = this.deps;
    for (const order of settled) {
      metrics.settlementsTotal.inc({ status: order.status });
      logger.info(
        { bankReference: order.bankReference, status: order.status, errorMessage: order.errorMessage },
        'order settled',
      );
      if (plan.kind === 'drop') {
        metrics.webhookDeliveriesTotal.inc({ result: 'dropped' });
        logger.info({ bankReference: order.bankReference }, 'webhook dropped (drop_webhooks is on)');
      }
    }
  }
}
