import { encodeBalance, encodeTransaction } from '@paygate/contracts';
import type { TransactionEventsRepository } from '@paygate/db';
import { transactionIdsOf } from '@paygate/db';
import type { Balance } from '@paygate/domain';

import type { Logger } from '../infra/logger';

/**
 * The live half of GET /api/v1/events. One LISTEN connection per api process (PgListener on
 * paygate_events) learns which transactions changed; the hub asks which of its streams' users own them and
 * has each of those streams read its user's new transaction_events rows, in id order, and write them. The
 * table, not the notification, is the truth: a stream sends what the table holds after its cursor, so a
 * lost or coalesced wake-up delays an event (until the next wake-up or heartbeat sweep) but never loses one.
 */

export interface EventHubOptions {
  streamsPerUserMax: number;
  streamsMax: number;
  heartbeatMs: number;
  /** Events read per query; a stream further behind reads page after page. */
  pageMax: number;
  lookbackMs: number;
  /** A client that does not read what it is sent is cut off past this many unsent bytes; it resumes later. */
  writeBufferBytesMax: number;
}

/** Where a stream's text goes: the HTTP response, or a test's buffer. */
export interface EventSink {
  write(chunk: string): boolean;
  end(): void;
  readonly writableLength: number;
}

export interface StreamRequest {
  userId: number;
  sink: EventSink;
  /** The id of the last event the client saw (Last-Event-ID): events after it are replayed. */
  lastEventId: number | undefined;
  /** Asked at every heartbeat: false when the credential (session or key) is no longer live. */
  stillAllowed: () => Promise<boolean>;
  /** Called once the stream is admitted, before anything is written: sends the response's head. */
  start: () => void;
}

export interface Listener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type OpenOutcome =
  { status: 'opened'; close: () => void } | { status: 'too_many_for_user' | 'too_many' | 'closing' };

interface Stream {
  request: StreamRequest;
  floorId: number;
  cursorId: number;
  /** Ids sent recently with when: what the look-back query must not send again. Insertion-ordered. */
  recent: Map<number, number>;
  fetching: boolean;
  again: boolean;
  closed: boolean;
}

/** Bounds the look-back list passed to PostgreSQL; past it the oldest are forgotten (at worst a resend). */
const RECENT_IDS_MAX = 2_000;

export class EventHub {
  private readonly byUser = new Map<number, Set<Stream>>();
  private count = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly events: TransactionEventsRepository,
    private readonly balanceOf: (userId: number) => Promise<Balance | undefined>,
    private readonly makeListener: (hub: EventHub) => Listener,
    private readonly options: EventHubOptions,
    private readonly logger: Logger,
  ) {}

  private listener: Listener | undefined;

  get openStreams(): number {
    return this.count;
  }

  /**
   * Opens a stream, or says why not. The slot is taken before any await, so concurrent opens cannot pass
   * the bounds together.
   */
  async open(request: StreamRequest): Promise<OpenOutcome> {
    if (this.closed) return { status: 'closing' };
    const mine = this.byUser.get(request.userId) ?? new Set<Stream>();
    if (this.count >= this.options.streamsMax) return { status: 'too_many' };
    if (mine.size >= this.options.streamsPerUserMax) return { status: 'too_many_for_user' };
    const stream: Stream = {
      request,
      floorId: 0,
      cursorId: 0,
      recent: new Map(),
      fetching: true,
      again: false,
      closed: false,
    };
    mine.add(stream);
    this.byUser.set(request.userId, mine);
    this.count += 1;
    try {
      await this.ensureStarted();
      const startId = request.lastEventId ?? (await this.events.latestId(request.userId));
      stream.floorId = startId;
      stream.cursorId = startId;
    } catch (error) {
      this.remove(stream);
      throw error;
    }
    stream.fetching = false;
    request.start();
    // A resumed stream replays what it missed; every stream starts with the balance as it is now.
    if (request.lastEventId !== undefined) await this.fetch(stream);
    await this.sendBalance(stream);
    // The client went away: its slot is freed (the response is already closed).
    return { status: 'opened', close: () => this.remove(stream) };
  }

  /** Transactions changed (a NOTIFY): the streams of their owners read the table. */
  async wake(payload: string | undefined): Promise<void> {
    if (this.count === 0) return;
    const ids = transactionIdsOf(payload);
    try {
      const owners = await this.events.ownersOf(ids);
      for (const userId of owners) for (const stream of this.byUser.get(userId) ?? []) void this.fetch(stream);
    } catch (error) {
      this.logger.warn({ err: error }, 'event streams: could not read who changed; the heartbeat sweep will');
    }
  }

  /** Every stream reads the table: after the listener (re)connected, notifications may have been missed. */
  sweep(): void {
    for (const streams of this.byUser.values()) for (const stream of streams) void this.fetch(stream);
  }

  /** Ends every stream at once (shutdown must not wait for them) and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const streams of [...this.byUser.values()]) for (const stream of [...streams]) this.end(stream);
    await this.listener?.stop();
  }

  private async ensureStarted(): Promise<void> {
    this.starting ??= (async () => {
      this.listener ??= this.makeListener(this);
      await this.listener.start();
      this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
      this.heartbeat.unref();
    })();
    await this.starting;
  }

  private beat(): void {
    for (const streams of this.byUser.values()) {
      for (const stream of streams) {
        if (!this.write(stream, ': heartbeat\n\n')) continue;
        void stream.request.stillAllowed().then(
          (allowed) => (allowed ? this.fetch(stream) : this.end(stream)),
          () => undefined,
        );
      }
    }
  }

  private async fetch(stream: Stream): Promise<void> {
    if (stream.closed) return;
    if (stream.fetching) {
      stream.again = true;
      return;
    }
    stream.fetching = true;
    try {
      do {
        stream.again = false;
        const { changes, newCount } = await this.events.changesAfter({
          userId: stream.request.userId,
          floorId: stream.floorId,
          afterId: stream.cursorId,
          sentIds: [...stream.recent.keys()],
          lookbackMs: this.options.lookbackMs,
          limit: this.options.pageMax,
        });
        // Closed while the query ran (a method: flow analysis does not see the change across the await).
        if (isClosed(stream)) return;
        const nowMs = Date.now();
        for (const change of changes) {
          const data = JSON.stringify(encodeTransaction(change.transaction));
          if (!this.write(stream, `id: ${change.eventId}\nevent: transaction.updated\ndata: ${data}\n\n`)) return;
          stream.recent.set(change.eventId, nowMs);
          stream.cursorId = Math.max(stream.cursorId, change.eventId);
        }
        this.forgetOld(stream, nowMs);
        if (changes.length > 0) await this.sendBalance(stream);
        if (newCount >= this.options.pageMax) stream.again = true;
      } while (stream.again && !isClosed(stream));
    } catch (error) {
      this.logger.warn({ err: error, userId: stream.request.userId }, 'event stream: read failed; retried later');
    } finally {
      stream.fetching = false;
    }
  }

  private async sendBalance(stream: Stream): Promise<void> {
    const balance = await this.balanceOf(stream.request.userId);
    if (!balance || stream.closed) return;
    this.write(stream, `event: balance.updated\ndata: ${JSON.stringify(encodeBalance(balance))}\n\n`);
  }

  /** False (and the stream ended) when the client is not reading what it is sent. */
  private write(stream: Stream, text: string): boolean {
    if (stream.closed) return false;
    if (stream.request.sink.writableLength > this.options.writeBufferBytesMax) {
      this.logger.info({ userId: stream.request.userId }, 'event stream: client not reading; cut off');
      this.end(stream);
      return false;
    }
    stream.request.sink.write(text);
    return true;
  }

  private forgetOld(stream: Stream, nowMs: number): void {
    // A sent event older than twice the look-back can no longer come back in the look-back query.
    for (const [id, sentAtMs] of stream.recent) {
      if (sentAtMs > nowMs - 2 * this.options.lookbackMs && stream.recent.size <= RECENT_IDS_MAX) break;
      stream.recent.delete(id);
    }
  }

  private end(stream: Stream): void {
    if (!stream.closed) stream.request.sink.end();
    this.remove(stream);
  }

  private remove(stream: Stream): void {
    if (stream.closed && !this.byUser.get(stream.request.userId)?.has(stream)) return;
    stream.closed = true;
    const mine = this.byUser.get(stream.request.userId);
    if (mine?.delete(stream)) this.count -= 1;
    if (mine?.size === 0) this.byUser.delete(stream.request.userId);
  }
}

function isClosed(stream: Stream): boolean {
  return stream.closed;
}
