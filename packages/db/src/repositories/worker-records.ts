import type { Pool } from '../pool';

/**
 * What the worker writes for the operator console to read (AdminReads): each bank call it made, each
 * message it dead-lettered, and its heartbeat. None of it moves money; a write that fails is the caller's
 * to log, never a reason to change what happens to a payment.
 */

export interface BankAttemptRecord {
  transactionId: number;
  operation: 'submit' | 'status' | 'breaker_wait';
  /**
   * Bank calls made for the transaction before this one (the message's attempt count); null for a question
   * asked outside the retry ladder (the reconciler, an operator): then the submissions recorded so far.
   */
  attemptIndex: number | null;
  startedAt: Date;
  latencyMs: number | null;
  outcome: string;
  httpStatus: number | null;
  bankReference: string | null;
  error: string | null;
  /** The delay chosen before the next attempt, when one was. */
  retryDelayMs: number | null;
  requestId: string | null;
  workerId: string | null;
}

export interface DeadLetterInput {
  transactionId: number | null;
  reason: string;
  payload: unknown;
  headers: Record<string, unknown>;
  messageId: string | null;
}

export interface QueueReading {
  name: string;
  messages: number;
  consumers: number;
}

export interface HeartbeatInput {
  workerId: string;
  version: string;
  hostname: string;
  startedAt: Date;
  inFlight: number;
  breakerState: 'closed' | 'half_open' | 'open';
  queues: QueueReading[];
}

/** Longest text kept from a bank error or a dead-letter reason: enough to read, bounded on disk. */
const TEXT_LENGTH_MAX = 1_000;

export class WorkerRecords {
  constructor(private readonly pool: Pool) {}

  async recordBankAttempt(attempt: BankAttemptRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO bank_attempts (transaction_id, operation, attempt_index, started_at, latency_ms, outcome, http_status,
                                  bank_reference, error, retry_delay_ms, request_id, worker_id)
       VALUES ($1, $2, coalesce($3::integer, (SELECT count(*)::integer FROM bank_attempts
                                              WHERE transaction_id = $1 AND operation = 'submit')),
               $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        attempt.transactionId,
        attempt.operation,
        attempt.attemptIndex,
        attempt.startedAt,
        attempt.latencyMs === null ? null : Math.round(attempt.latencyMs),
        attempt.outcome,
        attempt.httpStatus,
        attempt.bankReference,
        attempt.error?.slice(0, TEXT_LENGTH_MAX) ?? null,
        attempt.retryDelayMs,
        attempt.requestId,
        attempt.workerId,
      ],
    );
  }

  /**
   * Records a dead-lettered message once: a redelivery of the same message (a crash between this write and
   * the ack) finds the waiting record and adds none. A transaction id that names no transaction is kept as
   * null (the payload still says what it was).
   */
  async recordDeadLetter(letter: DeadLetterInput): Promise<void> {
    await this.pool.query(
      `INSERT INTO dead_letters (transaction_id, reason, payload, headers, message_id)
       SELECT (SELECT id FROM transactions WHERE id = $1), $2, $3::jsonb, $4::jsonb, $5
        WHERE $5::text IS NULL OR NOT EXISTS (
          SELECT 1 FROM dead_letters d
           WHERE d.message_id = $5 AND d.transaction_id IS NOT DISTINCT FROM $1 AND d.replayed_at IS NULL)`,
      [
        letter.transactionId,
        letter.reason.slice(0, TEXT_LENGTH_MAX),
        JSON.stringify(letter.payload ?? null),
        JSON.stringify(letter.headers),
        letter.messageId,
      ],
    );
  }

  /** The worker's heartbeat: one row per worker, rewritten on every beat. */
  async beat(heartbeat: HeartbeatInput): Promise<void> {
    await this.pool.query(
      `INSERT INTO worker_heartbeats (worker_id, version, hostname, started_at, last_seen_at, in_flight, breaker_state, queues)
       VALUES ($1, $2, $3, $4, now(), $5, $6, $7::jsonb)
       ON CONFLICT (worker_id) DO UPDATE
         SET last_seen_at = now(), in_flight = EXCLUDED.in_flight, breaker_state = EXCLUDED.breaker_state,
             queues = EXCLUDED.queues`,
      [
        heartbeat.workerId,
        heartbeat.version,
        heartbeat.hostname,
        heartbeat.startedAt,
        heartbeat.inFlight,
        heartbeat.breakerState,
        JSON.stringify(heartbeat.queues),
      ],
    );
  }

  /** A worker that stops says so; heartbeats silent for longer than `staleAfterMs` are forgotten. */
  async retire(workerId: string, staleAfterMs: number): Promise<void> {
    await this.pool.query(
      `DELETE FROM worker_heartbeats
        WHERE worker_id = $1 OR last_seen_at < now() - make_interval(secs => $2::double precision / 1000)`,
      [workerId, staleAfterMs],
    );
  }
}
