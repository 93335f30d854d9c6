import type { TransactionPage } from '@paygate/contracts';
import { encodeTransaction } from '@paygate/contracts';
import type { TransactionFilter, TransactionsRepository } from '@paygate/db';
import { decodeCursor, validationError } from '@paygate/domain';
import type { TransactionStatus } from '@paygate/domain';

export interface ListQuery {
  limit: number;
  offset: number;
  cursor?: string | undefined;
  status?: TransactionStatus | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
}

/** A page of the user's transactions in the wire shape {items, total, limit, offset, has_more, next_cursor}. */
export async function listPage(repository: TransactionsRepository, filter: Pick<TransactionFilter, 'userId' | 'type'>, query: ListQuery): Promise<TransactionPage> {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (query.cursor !== undefined && cursor === undefined) {
    throw validationError([{ field: 'cursor', message: 'is not a cursor this API issued', reason: 'invalid_cursor' }]);
  }
  const createdFrom = query.created_from === undefined ? undefined : new Date(query.created_from);
  const createdTo = query.created_to === undefined ? undefined : new Date(query.created_to);
  if (createdFrom && createdTo && createdFrom > createdTo) {
    throw validationError([{ field: 'created_from', message: 'must not be after created_to', reason: 'invalid_range' }]);
  }
  const page = await repository.list(
    { ...filter, status: query.status, createdFrom, createdTo },
    { limit: query.limit, offset: cursor ? 0 : query.offset, cursor },
  );
  return {
    items: page.items.map(encodeTransaction),
    total: page.total,
    limit: query.limit,
    offset: cursor ? 0 : query.offset,
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
  };
}
