import type { Pool } from '../pool';

export const OUTBOX_CHANNEL = 'paygate_outbox';

/**
 * Wakes the outbox relay (which LISTENs on OUTBOX_CHANNEL) after a commit that wrote outbox rows.
 *
 * The NOTIFY is sent after the money transaction committed, not inside it: PostgreSQL serialises the
 * commits of notifying transactions on one global lock, which halved create throughput when the create
 * function notified. Pokes that arrive while a NOTIFY is in flight are coalesced into one more, so a busy
 * API sends at most one at a time. A lost wake-up (a crash right after commit) only delays the message
 * until the relay's next sweep.
 */
export class OutboxWakeUp {
  private inFlight = false;
  private pending = false;

  constructor(
    private readonly pool: Pool,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  poke(): void {
    // After pool.end() (shutdown) there is no one left to wake; the next relay sweep publishes anyway.
    if (this.pool.ending) return;
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    this.inFlight = true;
    this.pending = false;
    this.pool
      .query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, ''])
      .catch(this.onError)
      .finally(() => {
        this.inFlight = false;
        if (this.pending) this.poke();
      });
  }
}
