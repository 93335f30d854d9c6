import type { Pool } from '../pool';

export const EVENTS_CHANNEL = 'paygate_events';

/** NOTIFY payloads are limited to 8000 bytes; ids are at most 20 characters and a comma. */
const PAYLOAD_IDS_MAX = 300;
/** Ids waiting for a NOTIFY while one is in flight; past it the oldest wait for the streams' own sweep. */
const PENDING_IDS_MAX = 10_000;

/**
 * Tells every api process (each LISTENs on EVENTS_CHANNEL once) which transactions just changed, so their
 * event streams read the new transaction_events rows.
 *
 * Sent after the money transaction committed, never inside the money functions: PostgreSQL serialises the
 * commits of notifying transactions on one global lock, which halved create throughput when the create
 * function notified. While a NOTIFY is in flight further ids are gathered into the next one, so a busy
 * process sends one at a time. A lost wake-up (a crash right after commit) only delays the event until the
 * stream's next heartbeat sweep.
 */
export class EventsWakeUp {
  private inFlight = false;
  private readonly pending = new Set<number>();

  constructor(
    private readonly pool: Pool,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  poke(transactionId: number): void {
    if (this.pool.ending) return;
    if (this.pending.size < PENDING_IDS_MAX) this.pending.add(transactionId);
    if (this.inFlight) return;
    this.flush();
  }

  private flush(): void {
    if (this.pending.size === 0 || this.pool.ending) return;
    const ids = [...this.pending].slice(0, PAYLOAD_IDS_MAX);
    for (const id of ids) this.pending.delete(id);
    this.inFlight = true;
    this.pool
      .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, ids.join(',')])
      .catch(this.onError)
      .finally(() => {
        this.inFlight = false;
        this.flush();
      });
  }
}

/** The transaction ids of one NOTIFY payload; anything malformed is skipped. */
export function transactionIdsOf(payload: string | undefined): number[] {
  if (payload === undefined || payload.length === 0) return [];
  return payload
    .split(',')
    .filter((part) => /^[1-9]\d{0,15}$/.test(part))
    .map(Number);
}
