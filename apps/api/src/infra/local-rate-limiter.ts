import { assert, RATE_LIMIT_LOCAL_KEY_COUNT_MAX } from '@paygate/domain';

import type { LimitRule, RateDecision, WindowState } from './rate-limiter';

/**
 * The stand-in for Redis while it is unreachable, for the windows that must never go unlimited (login).
 * Same limits and window length, kept in this process only, in bounded memory: each window is a sliding
 * window counter (this window's count plus the previous one's, weighted by how much of it still overlaps)
 * rather than a log of timestamps, so it costs the same few numbers whatever the limit. Like the Redis
 * script, a request is recorded in every window only if every window allows it.
 */
export class LocalRateLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly options: { windowMs: number; keyCountMax?: number }) {
    assert(options.windowMs > 0, 'a rate limit window has a length');
  }

  check(rules: LimitRule[], nowMs: number = Date.now()): RateDecision {
    const counters = rules.map((rule) => this.counterFor(`${rule.scope}:${rule.subject}`, nowMs));
    const counts = counters.map((counter) => this.estimate(counter, nowMs));
    const refusedIndex = rules.findIndex((rule, index) => (counts[index] ?? 0) >= rule.limit);
    const allowed = refusedIndex === -1;
    if (allowed) for (const counter of counters) counter.currentCount += 1;
    const windows: WindowState[] = rules.map((rule, index) => {
      const used = Math.ceil(counts[index] ?? 0) + (allowed ? 1 : 0);
      const resetAtMs = (counters[index]?.windowStartMs ?? nowMs) + this.options.windowMs;
      return { scope: rule.scope, limit: rule.limit, remaining: Math.max(0, rule.limit - used), resetAtMs };
    });
    const refused = allowed ? undefined : windows[refusedIndex];
    return {
      allowed,
      windows,
      retryAfterS: refused ? Math.max(1, Math.ceil((refused.resetAtMs - nowMs) / 1000)) : 0,
      refusedScope: refused?.scope ?? null,
    };
  }

  /** Windows held now (for tests and the bound). */
  get size(): number {
    return this.counters.size;
  }

  private counterFor(key: string, nowMs: number): Counter {
    const found = this.counters.get(key);
    if (found) {
      // Re-inserted so the map's order is least recently used first: that is the one forgotten when full.
      this.counters.delete(key);
      this.counters.set(key, found);
      this.roll(found, nowMs);
      return found;
    }
    const keyCountMax = this.options.keyCountMax ?? RATE_LIMIT_LOCAL_KEY_COUNT_MAX;
    while (this.counters.size >= keyCountMax) {
      const oldest = this.counters.keys().next();
      if (oldest.done) break;
      this.counters.delete(oldest.value);
    }
    const created: Counter = { windowStartMs: nowMs, currentCount: 0, previousCount: 0 };
    this.counters.set(key, created);
    return created;
  }

  private roll(counter: Counter, nowMs: number): void {
    const elapsedWindowCount = Math.floor((nowMs - counter.windowStartMs) / this.options.windowMs);
    if (elapsedWindowCount <= 0) return;
    counter.previousCount = elapsedWindowCount === 1 ? counter.currentCount : 0;
    counter.currentCount = 0;
    counter.windowStartMs += elapsedWindowCount * this.options.windowMs;
  }

  private estimate(counter: Counter, nowMs: number): number {
    const overlap = 1 - (nowMs - counter.windowStartMs) / this.options.windowMs;
    return counter.previousCount * Math.max(0, overlap) + counter.currentCount;
  }
}

interface Counter {
  windowStartMs: number;
  currentCount: number;
  previousCount: number;
}
