import { assert } from './assert';

/**
 * A circuit breaker as a pure state machine with an injected clock. Closed: calls flow, consecutive
 * failures are counted. Open: calls are refused until the cool-down ends. Half-open: one trial call is let
 * through; its success closes the breaker, its failure opens it again.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  failureCountThreshold: number;
  cooldownMs: number;
}

export class CircuitBreaker {
  private stateValue: BreakerState = 'closed';
  private failureCount = 0;
  private openedAtMs = 0;
  private trialInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly nowMs: () => number,
  ) {
    assert(options.failureCountThreshold >= 1, 'breaker threshold must be at least 1');
    assert(options.cooldownMs > 0, 'breaker cool-down must be positive');
  }

  get state(): BreakerState {
    if (this.stateValue === 'open' && this.nowMs() - this.openedAtMs >= this.options.cooldownMs) return 'half_open';
    return this.stateValue;
  }

  /** Milliseconds until an open breaker lets a trial through (0 when it would now). */
  get retryInMs(): number {
    if (this.stateValue !== 'open') return 0;
    return Math.max(0, this.options.cooldownMs - (this.nowMs() - this.openedAtMs));
  }

  /** Asks to make a call; true means go ahead and report the outcome with onSuccess or onFailure. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.trialInFlight) return false;
    this.stateValue = 'half_open';
    this.trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.stateValue = 'closed';
    this.failureCount = 0;
    this.trialInFlight = false;
  }

  onFailure(): void {
    this.trialInFlight = false;
    this.failureCount += 1;
    if (this.stateValue === 'half_open' || this.failureCount >= this.options.failureCountThreshold) {
      this.stateValue = 'open';
      this.openedAtMs = this.nowMs();
    }
  }
}
