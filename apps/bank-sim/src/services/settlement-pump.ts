import type { BankConfig } from '../config';
import type { SettlementRepository, WebhookPlan } from '../data-access/settlement-repository';
import type { Clock } from './clock';
import type { Controls } from './controls';
import type { Metrics } from '../infra/metrics';
import type { Order } from './order';
import type { WebhookDispatcher } from './webhook-dispatcher';
import type { Logger } from '../infra/logger';

/**
 * The bank's durable timers. The due times live in the database (settle_at, next_attempt_at), so a
 * restart loses none; this process adds an in-memory timer for each thing it knows the time of (an order
 * it accepted, a retry it scheduled), so a zero delay settles within milliseconds of the 202 and a
 * three-second delay settles at three seconds. Every BANK_SWEEP_INTERVAL_MS a sweep settles and claims
 * whatever is due anyway and asks the database what comes next: that finds the work a crash, a restart
 * or another process left behind.
 *
 * Work runs in passes that never overlap; a timer firing during a pass asks for one more pass after it.
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

type WorkKind = 'order' | 'webhook' | 'sweep';

/**
 * Node may run a timer up to a millisecond before its delay by Date.now(); a timer that fired before
 * its order's settle_at would find nothing and leave the order to the next sweep.
 */
const TIMER_SLACK_MS = 2;

export class SettlementPump {
  readonly #timers = new Set<NodeJS.Timeout>();
  #sweepTimer: NodeJS.Timeout | undefined;
  readonly #due = { order: false, webhook: false, sweep: false };
  #isRunning = false;
  #isStopped = false;
  #running: Promise<void> = Promise.resolve();
  /** With out_of_order on, webhooks settled before this time are held until it, then sent newest first. */
  #outOfOrderWindowEndsAtMs: number | undefined;

  constructor(private readonly deps: SettlementPumpDeps) {}

  /** Sweeps now (catching up on whatever an earlier run left due), then every BANK_SWEEP_INTERVAL_MS. */
  start(): void {
    this.#sweepTimer = setInterval(() => this.#request('sweep'), this.deps.config.schedule.sweepIntervalMs);
    // The HTTP server keeps a bank alive; a bank without one (a finished test) must not be kept alive here.
    this.#sweepTimer.unref();
    this.#request('sweep');
  }

  /** An order this process accepted is due in `delayMs`. */
  orderDueAfter(delayMs: number): void {
    this.#after(delayMs, 'order');
  }

  /** A webhook attempt is due in `delayMs` (a retry, an out-of-order window's end, freed slots). */
  webhookDueAfter(delayMs: number): void {
    this.#after(delayMs, 'webhook');
  }

  /** Clears every timer and waits for the pass in progress, if any. */
  async stop(): Promise<void> {
    this.#isStopped = true;
    clearInterval(this.#sweepTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#running;
  }

  #after(delayMs: number, kind: WorkKind): void {
    if (this.#isStopped) return;
    if (delayMs <= 0) {
      this.#request(kind);
      return;
    }
    // Past the bound, the sweep finds the work a little later instead: memory stays bounded under any load.
    if (this.#timers.size >= this.deps.config.schedule.timerCountMax) return;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        this.#request(kind);
      },
      Math.ceil(delayMs) + TIMER_SLACK_MS,
    );
    timer.unref();
    this.#timers.add(timer);
  }

  #request(kind: WorkKind): void {
    if (this.#isStopped) return;
    this.#due[kind] = true;
    if (this.#isRunning) return;
    this.#isRunning = true;
    this.#running = this.#run();
  }

  async #run(): Promise<void> {
    while ((this.#due.order || this.#due.webhook || this.#due.sweep) && !this.#isStopped) {
      const due = { ...this.#due };
      this.#due.order = this.#due.webhook = this.#due.sweep = false;
      try {
        await this.#pass(due);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'settlement pass failed; the next sweep tries again');
      }
    }
    // Set in the same synchronous step as the loop's last check, so no request can fall between the two.
    this.#isRunning = false;
  }

  async #pass(due: Record<WorkKind, boolean>): Promise<void> {
    if (due.order || due.sweep) await this.#settleDueOrders();
    if (due.webhook || due.sweep) await this.deps.dispatcher.dispatchDue();
    if (due.sweep) await this.#scheduleFromDatabase();
  }

  async #settleDueOrders(): Promise<void> {
    const { config, controls, dispatcher, settlements } = this.deps;
    const nowMs = this.deps.clock.nowMs();
    const heldUntilMs = controls.state.outOfOrder ? this.#outOfOrderWindowEnd(nowMs) : null;
    const plan: WebhookPlan = controls.state.dropWebhooks
      ? { kind: 'drop' }
      : { kind: 'send', copyCount: controls.state.duplicateWebhooks ? 2 : 1, heldUntilMs };
    const batchSizeMax = config.schedule.settleBatchSizeMax;
    const reservedCount = dispatcher.reserveSlots(batchSizeMax);
    let result: Awaited<ReturnType<SettlementRepository['settleDue']>> = { settled: [], claimed: [] };
    try {
      const leaseMs = config.webhook.timeoutMs + config.webhook.leaseMarginMs;
      result = await settlements.settleDue(batchSizeMax, plan, { countMax: reservedCount, leaseMs });
    } finally {
      const queuedCount = plan.kind === 'drop' || heldUntilMs !== null ? 0 : result.settled.length;
      dispatcher.send(result.claimed, reservedCount, queuedCount > result.claimed.length);
    }
    if (result.settled.length === batchSizeMax) this.#due.order = true;
    // The window opens with the first webhook it holds, so all that settle within it are reversed together.
    if (result.settled.length > 0 && heldUntilMs !== null) {
      this.#outOfOrderWindowEndsAtMs = heldUntilMs;
      this.webhookDueAfter(heldUntilMs - nowMs);
    }
    this.#report(result.settled, plan);
  }

  /** The sweep's question to the database: when is the next thing due, whoever put it there? */
  async #scheduleFromDatabase(): Promise<void> {
    const { orderDueInMs, webhookDueInMs } = await this.deps.settlements.nextDueInMs();
    const { sweepIntervalMs } = this.deps.config.schedule;
    if (orderDueInMs !== null && orderDueInMs < sweepIntervalMs) this.orderDueAfter(orderDueInMs);
    if (webhookDueInMs !== null && webhookDueInMs < sweepIntervalMs) this.webhookDueAfter(webhookDueInMs);
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
