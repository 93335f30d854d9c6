import { assert } from './assert';

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): the
 * delay before retry n is uniform in [0, min(cap, base * 2^n)], which spreads a herd of retries out.
 * `random` is injected so tests and seeded runs are reproducible.
 */
export function backoffDelayMs(attemptIndex: number, baseMs: number, capMs: number, random: () => number): number {
  assert(Number.isInteger(attemptIndex) && attemptIndex >= 0, 'attemptIndex must be a natural number');
  assert(baseMs > 0 && capMs >= baseMs, 'backoff needs 0 < base <= cap');
  const ceilingMs = Math.min(capMs, baseMs * 2 ** attemptIndex);
  return Math.floor(random() * ceilingMs);
}

/**
 * Delay queues hold fixed delays, so a jittered delay is rounded down to the nearest bucket (at least the
 * smallest): the spread of full jitter survives, at the buckets' resolution.
 */
export function delayBucketMs(delayMs: number, bucketsMs: readonly number[]): number {
  assert(bucketsMs.length > 0, 'at least one delay bucket');
  let chosen = bucketsMs[0] as number;
  for (const bucket of bucketsMs) if (bucket <= delayMs && bucket > chosen) chosen = bucket;
  return chosen;
}

/** Buckets from base doubling up to cap, e.g. 100, 200, 400, ..., cap. */
export function delayBucketsMs(baseMs: number, capMs: number): number[] {
  assert(baseMs > 0 && capMs >= baseMs, 'delay buckets need 0 < base <= cap');
  const buckets: number[] = [];
  for (let bucket = baseMs; bucket < capMs; bucket *= 2) buckets.push(bucket);
  buckets.push(capMs);
  return buckets;
}
