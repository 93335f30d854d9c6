import { assert, backoffDelayMs, delayBucketMs, delayBucketsMs } from '@paygate/domain';

/**
 * When to try a message again. Transient failures are retried until a horizon after the first attempt
 * (RETRY_HORIZON_MS), not a fixed count, so a bank outage shorter than the horizon ends in success.
 * Delays are exponential with full jitter (backoffDelayMs), then rounded down to one of the delay queues'
 * fixed delays (delayBucketMs): RabbitMQ expires messages only at the head of a queue, so each delay has
 * its own queue. A lower bound (an open breaker's remaining cool-down) rounds up instead.
 */
export class RetryPolicy {
  readonly bucketsMs: readonly number[];

  constructor(
    readonly horizonMs: number,
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: () => number = Math.random,
  ) {
    assert(baseMs <= capMs && capMs <= horizonMs, 'retry delays need base <= cap <= horizon');
    this.bucketsMs = delayBucketsMs(baseMs, capMs);
  }

  /** Whether a transaction first submitted at `submittedAtMs` may still be submitted at `nowMs`. */
  isWithinHorizon(submittedAtMs: number, nowMs: number): boolean {
    return nowMs < submittedAtMs + this.horizonMs;
  }

  /** The delay before the attempt after `attemptIndex`; always one of `bucketsMs`. */
  delayMs(attemptIndex: number): number {
    return delayBucketMs(backoffDelayMs(attemptIndex, this.baseMs, this.capMs, this.random), this.bucketsMs);
  }

  /**
   * How long a message that met an open breaker waits: the first delay queue that outlasts the breaker's
   * remaining cool-down, so it comes back when the half-open probe may go (or has gone).
   */
  waitForBreakerMs(retryInMs: number): number {
    const bucketMs = this.bucketsMs.find((bucket) => bucket >= retryInMs) ?? this.capMs;
    assert(this.bucketsMs.includes(bucketMs), 'the cap is always a bucket');
    return bucketMs;
  }
}
