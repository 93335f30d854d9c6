import type { TransactionPage } from '@paygate/contracts';
import { encodeTransaction } from '@paygate/contracts';
import type { TransactionFilter, TransactionsRepository } from '@paygate/db';
import type { Balance, Transaction, TransactionEvent, TransactionStatus, TransactionType } from '@paygate/domain';
import { decodeCursor, DomainError, parseAmount, validationError } from '@paygate/domain';

/**
 * The reads of a user's own money: one transaction with its events, a page of history, the balance. The
 * routes decode the request and encode the answer; the checks that need more than a schema (a cursor we
 * issued, a range that is not inverted, which path a transaction of the other type lives at) are here.
 */

export interface ListQuery {
  limit: number;
  offset: number;
  cursor?: string | undefined;
  status?: TransactionStatus | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
  amount_min?: string | undefined;
  amount_max?: string | undefined;
}

/** A page of the user's transactions in the wire shape {items, total, limit, offset, has_more, next_cursor}. */
export async function listTransactions(
  repository: TransactionsRepository,
  filter: Pick<TransactionFilter, 'userId' | 'type'>,
  query: ListQuery,
): Promise<TransactionPage> {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (query.cursor !== undefined && cursor === undefined) {
    throw validationError([{ field: 'cursor', message: 'is not a cursor this API issued', reason: 'invalid_cursor' }]);
  }
  const createdFrom = query.created_from === undefined ? undefined : new Date(query.created_from);
  const createdTo = query.created_to === undefined ? undefined : new Date(query.created_to);
  if (createdFrom && createdTo && createdFrom > createdTo) {
    throw validationError([
      { field: 'created_from', message: 'must not be after created_to', reason: 'invalid_range' },
    ]);
  }
  const amountMinMinor = amountBound(query.amount_min, 'amount_min');
  const amountMaxMinor = amountBound(query.amount_max, 'amount_max');
  if (amountMinMinor !== undefined && amountMaxMinor !== undefined && amountMinMinor > amountMaxMinor) {
    throw validationError([{ field: 'amount_min', message: 'must not be above amount_max', reason: 'invalid_range' }]);
  }
  const offset = cursor ? 0 : query.offset;
  const page = await repository.list(
    { ...filter, status: query.status, createdFrom, createdTo, amountMinMinor, amountMaxMinor },
    { limit: query.limit, offset, cursor },
  );
  return {
    items: page.items.map(encodeTransaction),
    total: page.total,
    total_is_estimate: page.totalIsEstimate,
    limit: query.limit,
    offset,
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
  };
}

/** The schema allowed only decimal text; an amount past the largest payable one is refused here, by name. */
function amountBound(text: string | undefined, field: string): bigint | undefined {
  if (text === undefined) return undefined;
  const parsed = parseAmount(text);
  if (parsed.ok) return parsed.amountMinor;
  // "0" is a fine lower bound, though not a payable amount.
  if (parsed.reason === 'zero') return 0n;
  throw validationError([{ field, message: parsed.message, reason: parsed.reason }]);
}

/**
 * One of the user's transactions, asked for under /deposits or /withdrawals. Another user's transaction is
 * not found, as if it did not exist; one of the user's own under the other path is not found too, with a
 * message that says where it is.
 */
export async function getTransaction(
  repository: TransactionsRepository,
  query: { userId: number; id: number; type: TransactionType },
): Promise<{ transaction: Transaction; events: TransactionEvent[] }> {
  const found = await repository.findWithEvents(query.userId, query.id);
  if (found === undefined) throw new DomainError('not_found', `No ${query.type} ${query.id}.`);
  const { type } = found.transaction;
  if (type !== query.type) {
    const path = `/api/v1/${type === 'deposit' ? 'deposits' : 'withdrawals'}/${query.id}`;
    throw new DomainError('not_found', `Transaction ${query.id} is a ${type}, not a ${query.type}: GET ${path}.`, {
      type,
      path,
    });
  }
  return found;
}

export async function getBalance(repository: TransactionsRepository, userId: number): Promise<Balance> {
  const balance = await repository.balance(userId);
  if (!balance) throw new DomainError('not_found', 'You have no wallet yet.');
  return balance;
}
