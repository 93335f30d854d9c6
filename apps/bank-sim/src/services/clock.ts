/** Wall-clock time, injected so tests can pin timestamps. Timers still run on real time. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };
