import type {
  AdminPaymentListQuery,
  AdminPaymentPage,
  AdminUserDetailWire,
  AdminUserPage,
  AuditPage,
  DeadLetterPage,
  OverviewWire,
  PaymentStoryWire,
  ThroughputMinuteWire,
} from '@paygate/contracts';
import {
  encodeAdminPayment,
  encodeAdminUser,
  encodeAdminUserDetail,
  encodeAuditEntry,
  encodeDeadLetter,
  encodeWorkerHeartbeat,
} from '@paygate/contracts';
import type { AdminReads, OperatorsRepository, PaymentLookup } from '@paygate/db';
import { InvalidCursorError } from '@paygate/db';
import { decodeCursor, DomainError, parseAmount, validationError } from '@paygate/domain';

import { buildPaymentStory } from './payment-story';

/**
 * The operator console's reads: the request already decoded by its contract, the checks that need more
 * than a schema here (cursors we issued, ranges the right way round), the answer encoded.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MINUTE_MS = 60_000;

export interface OperatorReadsOptions {
  stuckAfterS: number;
  workerAliveWithinMs: number;
  userRecentPayments: number;
}

export class OperatorReads {
  constructor(
    private readonly reads: AdminReads,
    private readonly operators: OperatorsRepository,
    private readonly options: OperatorReadsOptions,
  ) {}

  async overview(): Promise<OverviewWire> {
    const records = await this.reads.overview({ stuckThresholdS: this.options.stuckAfterS });
    // Every worker reports the same queues: the freshest reading of each wins.
    const queues = new Map<string, OverviewWire['queues'][number]>();
    for (const worker of [...records.workers].sort((a, b) => b.ageMs - a.ageMs)) {
      for (const queue of worker.queues) queues.set(queue.name, queue);
    }
    const { success, failed } = records.finishedLastHour;
    return {
      generated_at: records.generatedAt.toISOString(),
      throughput: minutesOfTheHour(records.generatedAt, records.throughput),
      success_rate: success + failed === 0 ? null : success / (success + failed),
      settle_latency_ms: records.settleLatencyMs,
      queues: [...queues.values()].sort((a, b) => a.name.localeCompare(b.name)),
      dead_letters: { recorded: records.deadLetters.recorded, waiting_replay: records.deadLetters.waitingReplay },
      outbox: { unpublished: records.outbox.unpublished, oldest_age_s: records.outbox.oldestAgeS },
      workers: records.workers.map((worker) =>
        encodeWorkerHeartbeat(worker, worker.ageMs <= this.options.workerAliveWithinMs),
      ),
      stuck: {
        count: records.stuck.pending + records.stuck.processing,
        pending: records.stuck.pending,
        processing: records.stuck.processing,
        threshold_s: this.options.stuckAfterS,
      },
      webhooks_rejected_last_hour: records.webhooksRejectedLastHour,
      ledger_ok: records.lastLedgerCheck?.isBalanced ?? null,
      ledger_checked_at: records.lastLedgerCheck?.checkedAt.toISOString() ?? null,
    };
  }

  async searchPayments(query: AdminPaymentListQuery): Promise<AdminPaymentPage> {
    const amountMinMinor = amountFilter(query.amount_min, 'amount_min');
    const amountMaxMinor = amountFilter(query.amount_max, 'amount_max');
    if (amountMinMinor !== undefined && amountMaxMinor !== undefined && amountMinMinor > amountMaxMinor) {
      throw validationError([
        { field: 'amount_min', message: 'must not be above amount_max', reason: 'invalid_range' },
      ]);
    }
    const createdFrom = query.created_from === undefined ? undefined : new Date(query.created_from);
    const createdTo = query.created_to === undefined ? undefined : new Date(query.created_to);
    if (createdFrom && createdTo && createdFrom > createdTo) {
      throw validationError([
        { field: 'created_from', message: 'must not be after created_to', reason: 'invalid_range' },
      ]);
    }
    const page = await this.reads.searchPayments(
      {
        lookup: lookupOf(query.q),
        status: query.status,
        type: query.type,
        amountMinMinor,
        amountMaxMinor,
        createdFrom,
        createdTo,
        stuckBefore: query.stuck === 'true' ? new Date(Date.now() - this.options.stuckAfterS * 1_000) : undefined,
      },
      { limit: query.limit, cursor: cursorOf(query.cursor) },
    );
    return {
      items: page.items.map(encodeAdminPayment),
      limit: query.limit,
      has_more: page.hasMore,
      next_cursor: page.nextCursor,
    };
  }

  async paymentStory(id: number): Promise<PaymentStoryWire> {
    const records = await this.reads.paymentRecords(id);
    if (!records) throw new DomainError('not_found', `No payment ${id}.`);
    return buildPaymentStory(records);
  }

  async users(query: { q?: string | undefined; limit: number; cursor?: string | undefined }): Promise<AdminUserPage> {
    const q = query.q?.trim();
    const afterId = query.cursor === undefined ? undefined : Number(query.cursor);
    if (afterId !== undefined && !(Number.isSafeInteger(afterId) && afterId > 0)) {
      throw validationError([
        { field: 'cursor', message: 'is not a cursor this API issued', reason: 'invalid_cursor' },
      ]);
    }
    const byId = q !== undefined && /^\d{1,15}$/.test(q);
    const page = await this.reads.listUsers(
      {
        userId: byId ? Number(q) : undefined,
        emailPrefix: !byId && q !== undefined && q.length > 0 ? q.toLowerCase() : undefined,
      },
      { limit: query.limit, afterId },
    );
    return {
      items: page.items.map(encodeAdminUser),
      limit: query.limit,
      has_more: page.hasMore,
      next_cursor: page.nextCursor,
    };
  }

  async user(id: number): Promise<AdminUserDetailWire> {
    const user = await this.reads.findUser(id, this.options.userRecentPayments);
    if (!user) throw new DomainError('not_found', `No user ${id}.`);
    return encodeAdminUserDetail(user);
  }

  async deadLetters(query: {
    state: 'all' | 'waiting' | 'replayed';
    limit: number;
    cursor?: string | undefined;
  }): Promise<DeadLetterPage> {
    const page = await this.reads.listDeadLetters(query.state, { limit: query.limit, cursor: cursorOf(query.cursor) });
    return {
      items: page.items.map(encodeDeadLetter),
      limit: query.limit,
      has_more: page.hasMore,
      next_cursor: page.nextCursor,
    };
  }

  async audit(query: {
    payment_id?: number | undefined;
    user_id?: number | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<AuditPage> {
    try {
      const page = await this.operators.listAudit(
        { paymentId: query.payment_id, userId: query.user_id },
        { limit: query.limit, cursor: query.cursor },
      );
      return {
        items: page.items.map(encodeAuditEntry),
        limit: query.limit,
        has_more: page.hasMore,
        next_cursor: page.nextCursor,
      };
    } catch (error) {
      if (error instanceof InvalidCursorError) throw invalidCursor();
      throw error;
    }
  }
}

/** What the search box holds, read by its shape: an id, an email, a UUID, or any other text. */
export function lookupOf(q: string | undefined): PaymentLookup | undefined {
  const text = q?.trim();
  if (text === undefined || text.length === 0) return undefined;
  if (/^\d{1,15}$/.test(text)) return { kind: 'id', id: Number(text) };
  if (text.includes('@')) return { kind: 'email', email: text.toLowerCase() };
  if (UUID.test(text)) return { kind: 'uuid', value: text };
  return { kind: 'text', value: text };
}

/** Sixty minutes ending with the current one, oldest first, each with its count per status (0 when none). */
function minutesOfTheHour(
  now: Date,
  rows: { minute: Date; status: 'pending' | 'processing' | 'success' | 'failed'; count: number }[],
): ThroughputMinuteWire[] {
  const currentMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const minutes = new Map<number, ThroughputMinuteWire>();
  for (let index = 59; index >= 0; index -= 1) {
    const start = currentMinute - index * MINUTE_MS;
    minutes.set(start, { minute: new Date(start).toISOString(), pending: 0, processing: 0, success: 0, failed: 0 });
  }
  for (const row of rows) {
    const minute = minutes.get(row.minute.getTime());
    if (minute) minute[row.status] += row.count;
  }
  return [...minutes.values()];
}

function amountFilter(text: string | undefined, field: string): bigint | undefined {
  if (text === undefined) return undefined;
  const parsed = parseAmount(text);
  if (!parsed.ok) {
    // "0" is a fine lower bound, though not a payable amount.
    if (parsed.reason === 'zero') return 0n;
    throw validationError([{ field, message: 'must be a decimal amount', reason: parsed.reason }]);
  }
  return parsed.amountMinor;
}

function cursorOf(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const position = decodeCursor(cursor);
  if (!position) throw invalidCursor();
  return position;
}

function invalidCursor() {
  return validationError([{ field: 'cursor', message: 'is not a cursor this API issued', reason: 'invalid_cursor' }]);
}
