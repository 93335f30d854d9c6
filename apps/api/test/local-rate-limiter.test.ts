// Goal: the in-process stand-in for Redis (login's windows while Redis is down) keeps the same limits and
// window, records a request only when every window allows it, and stays within its memory bound.
// Method: the limiter alone, driven by an explicit clock.
import { describe, expect, test } from 'vitest';

import { LocalRateLimiter } from '../src/infra/local-rate-limiter';

const WINDOW_MS = 60_000;
const T0 = 1_800_000_000_000;

describe('LocalRateLimiter', () => {
  test('when a window is full, then the next request is refused with the time until it frees', () => {
    const limiter = new LocalRateLimiter({ windowMs: WINDOW_MS });
    const rule = { scope: 'login', subject: '192.0.2.1', limit: 3 };
    const decisions = [0, 1, 2, 3].map((index) => limiter.check([rule], T0 + index * 1_000));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((decision) => decision.windows[0]?.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]).toMatchObject({ refusedScope: 'login', retryAfterS: 57 });
  });

  test('when one of two windows is full, then neither records the request', () => {
    const limiter = new LocalRateLimiter({ windowMs: WINDOW_MS });
    const address = { scope: 'login', subject: '192.0.2.1', limit: 10 };
    const email = { scope: 'login_failures', subject: 'hash', limit: 1 };
    expect(limiter.check([address, email], T0).allowed).toBe(true);
    expect(limiter.check([address, email], T0 + 1).allowed).toBe(false);
    expect(limiter.check([address], T0 + 2).windows[0]?.remaining).toBe(8);
  });

  test('when the window slides on, then the previous window counts in proportion to its overlap', () => {
    const limiter = new LocalRateLimiter({ windowMs: WINDOW_MS });
    const rule = { scope: 'login', subject: '192.0.2.1', limit: 4 };
    for (let index = 0; index < 4; index += 1) limiter.check([rule], T0 + index);
    // Half a window later than the first window's end: half of the previous 4 still count.
    const halfway = T0 + WINDOW_MS + WINDOW_MS / 2;
    expect([1, 2, 3].map(() => limiter.check([rule], halfway).allowed)).toEqual([true, true, false]);
    // Two whole windows later nothing of the old ones counts.
    expect(limiter.check([rule], T0 + 3 * WINDOW_MS).windows[0]?.remaining).toBe(3);
  });

  test('when more subjects arrive than the bound, then the least recently used are forgotten and memory stays bounded', () => {
    const limiter = new LocalRateLimiter({ windowMs: WINDOW_MS, keyCountMax: 100 });
    const busy = { scope: 'login', subject: 'busy', limit: 2_000 };
    for (let index = 0; index < 10_000; index += 1) {
      limiter.check([{ scope: 'login', subject: `192.0.2.${index}`, limit: 5 }], T0);
      if (index % 10 === 0) limiter.check([busy], T0);
    }
    expect(limiter.size).toBe(100);
    // Used all along, the busy window was never the least recently used one: its count survived.
    expect(limiter.check([busy], T0).windows[0]?.remaining).toBe(2_000 - 1_001);
  });
});
