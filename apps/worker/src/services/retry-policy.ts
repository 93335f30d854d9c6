import { assert, backoffDelayMs, delayBucketMs, delayBucketsMs } from '@paygate/domain';

/**
 * When to try a message again. Delays are exponential with full jitter (backoffDelayMs), then rounded down
 * to one of the delay queues' fixed delays (delayBucketMs): RabbitMQ expires messages only at the head of
 * a queue, so each delay has its own queue. A lower bound (an open breaker's remaining cool-down) rounds up
 * instead, to the first bucket that waits at least that long.
 */
export class RetryPolicy {
  readonly bucketsMs: readonly number[];

  constructor(
    readonly retryCountMax: number,
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.bucketsMs = delayBucketsMs(baseMs, capMs);
  }

  /** Whether the attempt with this index (0 = the first) may be followed by another. */
  canRetryAfter(attemptIndex: number): boolean {
    return attemptIndex < this.retryCountMax;
  }

  /** The delay before the attempt after `attemptIndex`; always one of `bucketsMs`. */
  delayMs(attemptIndex: number, delayMsMin = 0): number {
    const jitteredMs = backoffDelayMs(attemptIndex, this.baseMs, this.capMs, this.random);
    if (delayMsMin > jitteredMs) {
      const bucketMs = this.bucketsMs.find((bucket) => bucket >= delayMsMin) ?? this.capMs;
      assert(this.bucketsMs.includes(bucketMs), 'the cap is always a bucket');
      return bucketMs;
    }
    return delayBucketMs(jitteredMs, this.bucketsMs);
  }
}
