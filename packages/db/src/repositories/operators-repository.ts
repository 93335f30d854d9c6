import type { AuditAction, OperatorRole } from '@paygate/domain';
import { assert, decodeCursor, encodeCursor, isAuditAction, isOperatorRole } from '@paygate/domain';

import type { Pool, PoolClient } from '../pool';
import { toId } from './rows';

/**
 * Operators of the console, their sessions and the audit log of what they did. Operators are their own
 * accounts: nothing here reads users' keys, and no user credential opens an operator session.
 */

export interface OperatorRecord {
  id: number;
  email: string;
  role: OperatorRole;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface OperatorWithPassword extends OperatorRecord {
  passwordHash: string;
}

export interface OperatorSessionRecord {
  sessionId: number;
  operator: OperatorRecord;
  lastSeenAt: Date;
}

export interface AuditInput {
  operatorId: number;
  action: AuditAction;
  paymentId?: number | null;
  userId?: number | null;
  deadLetterId?: number | null;
  reason?: string | null;
  outcome: string;
  requestId?: string | null;
}

export interface AuditRecord {
  id: number;
  at: Date;
  operatorEmail: string;
  action: AuditAction;
  paymentId: number | null;
  userId: number | null;
  deadLetterId: number | null;
  reason: string | null;
  outcome: string;
  requestId: string | null;
}

export interface AuditFilter {
  paymentId?: number | undefined;
  userId?: number | undefined;
  operatorId?: number | undefined;
}

export class OperatorAlreadyExistsError extends Error {
  constructor(readonly email: string) {
    super(`an operator with email ${email} already exists`);
    this.name = 'OperatorAlreadyExistsError';
  }
}

interface OperatorRow {
  id: string;
  email: string;
  role: string;
  password_hash: string;
  created_at: Date;
  disabled_at: Date | null;
}

const OPERATOR_COLUMNS = 'o.id, o.email, o.role, o.password_hash, o.created_at, o.disabled_at';

export class OperatorsRepository {
  constructor(private readonly pool: Pool) {}

  async create(input: { email: string; role: OperatorRole; passwordHash: string }): Promise<OperatorRecord> {
    try {
      const { rows } = await this.pool.query<OperatorRow>(
        `INSERT INTO operators AS o (email, role, password_hash) VALUES ($1, $2, $3) RETURNING ${OPERATOR_COLUMNS}`,
        [input.email, input.role, input.passwordHash],
      );
      const row = rows[0];
      assert(row !== undefined, 'INSERT ... RETURNING gives the row');
      return toOperator(row);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === '23505') {
        throw new OperatorAlreadyExistsError(input.email);
      }
      throw error;
    }
  }

  async findByEmail(email: string): Promise<OperatorWithPassword | undefined> {
    const { rows } = await this.pool.query<OperatorRow>(
      `SELECT ${OPERATOR_COLUMNS} FROM operators o WHERE o.email = $1`,
      [email],
    );
    const row = rows[0];
    return row ? { ...toOperator(row), passwordHash: row.password_hash } : undefined;
  }

  async list(): Promise<OperatorRecord[]> {
    const { rows } = await this.pool.query<OperatorRow>(`SELECT ${OPERATOR_COLUMNS} FROM operators o ORDER BY o.id`);
    return rows.map(toOperator);
  }

  /** A new session: the token itself is never stored, only its SHA-256. */
  async createSession(input: { operatorId: number; tokenHash: string; expiresAt: Date }): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO operator_sessions (operator_id, token_hash, expires_at) VALUES ($1, $2, $3) RETURNING id',
      [input.operatorId, input.tokenHash, input.expiresAt],
    );
    assert(rows[0] !== undefined, 'INSERT ... RETURNING gives the row');
    return toId(rows[0].id);
  }

  /**
   * The live session with this token hash: not revoked, not past its absolute expiry, seen within the idle
   * limit, its operator not disabled. Seeing it moves last_seen_at, at most once per touchEveryMs so that a
   * busy console does not write on every read.
   */
  async findLiveSession(
    tokenHash: string,
    options: { idleMs: number; touchEveryMs: number },
  ): Promise<OperatorSessionRecord | undefined> {
    const { rows } = await this.pool.query<OperatorRow & { session_id: string; last_seen_at: Date }>(
      `WITH live AS (
         SELECT s.id AS session_id, s.last_seen_at, ${OPERATOR_COLUMNS}
           FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
            AND s.last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
            AND o.disabled_at IS NULL
       ), touched AS (
         UPDATE operator_sessions s SET last_seen_at = now()
           FROM live
          WHERE s.id = live.session_id
            AND live.last_seen_at < now() - make_interval(secs => $3::double precision / 1000)
       )
       SELECT * FROM live`,
      [tokenHash, options.idleMs, options.touchEveryMs],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { sessionId: toId(row.session_id), operator: toOperator(row), lastSeenAt: row.last_seen_at };
  }

  /** Ends the session; true when it was live. */
  async revokeSession(tokenHash: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE operator_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL',
      [tokenHash],
    );
    return result.rowCount === 1;
  }

  /** Writes one audit row, on the pool or inside the caller's transaction; returns its id. */
  async audit(entry: AuditInput, client?: PoolClient): Promise<number> {
    return recordAudit(client ?? this.pool, entry);
  }

  /** Newest first, keyset-paged by (at, id). */
  async listAudit(
    filter: AuditFilter,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: AuditRecord[]; hasMore: boolean; nextCursor: string | null }> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (filter.paymentId !== undefined) add((p) => `a.payment_id = ${p}`, filter.paymentId);
    if (filter.userId !== undefined) add((p) => `a.user_id = ${p}`, filter.userId);
    if (filter.operatorId !== undefined) add((p) => `a.operator_id = ${p}`, filter.operatorId);
    const position = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    if (page.cursor !== undefined && position === undefined) throw new InvalidCursorError();
    if (position) {
      values.push(new Date(position.createdAtMs), position.id);
      where.push(`(a.at, a.id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(page.limit + 1);
    const { rows } = await this.pool.query<{
      id: string;
      at: Date;
      operator_email: string;
      action: string;
      payment_id: string | null;
      user_id: string | null;
      dead_letter_id: string | null;
      reason: string | null;
      outcome: string;
      request_id: string | null;
    }>(
      `SELECT a.id, a.at, o.email AS operator_email, a.action, a.payment_id, a.user_id, a.dead_letter_id, a.reason,
              a.outcome, a.request_id
         FROM operator_audit a JOIN operators o ON o.id = a.operator_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.at DESC, a.id DESC
        LIMIT $${values.length}`,
      values,
    );
    const hasMore = rows.length > page.limit;
    const items = rows.slice(0, page.limit).map((row): AuditRecord => ({
      id: toId(row.id),
      at: row.at,
      operatorEmail: row.operator_email,
      action: toAuditAction(row.action),
      paymentId: row.payment_id === null ? null : toId(row.payment_id),
      userId: row.user_id === null ? null : toId(row.user_id),
      deadLetterId: row.dead_letter_id === null ? null : toId(row.dead_letter_id),
      reason: row.reason,
      outcome: row.outcome,
      requestId: row.request_id,
    }));
    const last = items.at(-1);
    return {
      items,
      hasMore,
      nextCursor: hasMore && last ? encodeCursor({ createdAtMs: last.at.getTime(), id: last.id }) : null,
    };
  }
}

/** A cursor this API did not issue. */
export class InvalidCursorError extends Error {
  constructor() {
    super('not a cursor this API issued');
    this.name = 'InvalidCursorError';
  }
}

/** One audit row, written by whoever holds the connection (a repair writes it in its own transaction). */
export async function recordAudit(db: Pool | PoolClient, entry: AuditInput): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO operator_audit (operator_id, action, payment_id, user_id, dead_letter_id, reason, outcome, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      entry.operatorId,
      entry.action,
      entry.paymentId ?? null,
      entry.userId ?? null,
      entry.deadLetterId ?? null,
      entry.reason ?? null,
      entry.outcome,
      entry.requestId ?? null,
    ],
  );
  assert(rows[0] !== undefined, 'INSERT ... RETURNING gives the row');
  return toId(rows[0].id);
}

function toOperator(row: OperatorRow): OperatorRecord {
  assert(isOperatorRole(row.role), `unknown operator role in database: ${row.role}`);
  return {
    id: toId(row.id),
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

function toAuditAction(value: string): AuditAction {
  assert(isAuditAction(value), `unknown audit action in database: ${value}`);
  return value;
}
