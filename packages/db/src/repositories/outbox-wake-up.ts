import type { Pool } from '../pool';

export const OUTBOX_CHANNEL = 'paygate_outbox';

/**
 * Wakes the outbox relay (which LISTENs on OUTBOX_CHANNEL) after a commit that wrote outbox rows.
 *
 * The NOTIFY is sent after the money transaction committed, not inside it: PostgreSQL serialises the
 * commits of notifying transactions on one global lock, which halved create throughput when the create
 * function notified. Pokes that arrive while a NOTIFY is in flight, or within `intervalMs` of the last
 * one, are coalesced into one more: a busy API sends at most one NOTIFY per interval (measured on main: at
 * ~1k creates/s, one NOTIFY per round trip was close to one extra query and one relay drain per create),
 * while the first poke after a quiet spell goes at once. A lost wake-up (a crash right after commit) only
 * delays the message until the relay's next sweep.
 */
export class OutboxWakeUp {
  private inFlight = false;
  private pending = false;
  private lastSentAtMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly intervalMs = 0,
  ) {}

  poke(): void {
    // After pool.end() (shutdown) there is no one left to wake; the next relay sweep publishes anyway.
    if (this.pool.ending) return;
    if (this.inFlight || this.timer !== undefined) {
      this.pending = true;
      return;
    }
    const waitMs = this.lastSentAtMs + this.intervalMs - performance.now();
    if (waitMs > 0) {
      this.pending = true;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.pending) this.poke();
      }, waitMs);
      // A pending wake-up must not keep a stopping process alive: the sweep covers it.
      this.timer.unref();
      return;
    }
    this.inFlight = true;
    this.pending = false;
    this.lastSentAtMs = performance.now();
    this.pool
      .query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, ''])
      .catch(this.onError)
      .finally(() => {
        this.inFlight = false;
        if (this.pending) this.poke();
      });
  }
}
