import { z } from 'zod';

import { TRANSACTION_TYPES } from '@paygate/domain/transaction-status';

import { CurrencyCode, EntityId } from './common';

/**
 * The message the outbox publishes to `transactions.process`. It names the transaction; the worker reads
 * the authoritative state from the database, so a stale or duplicated message cannot move money.
 * Attempt counts and the request id travel in AMQP headers (x-attempt, x-request-id).
 */
export const TransactionMessage = z
  .object({
    transaction_id: EntityId,
    user_id: EntityId,
    type: z.enum(TRANSACTION_TYPES),
    amount_minor: z.string().regex(/^[1-9]\d*$/),
    currency: CurrencyCode,
    request_id: z.string().nullable(),
  })
  .meta({ id: 'TransactionMessage' });
export type TransactionMessage = z.infer<typeof TransactionMessage>;

/** The message for a transaction the outbox names, encoded by the relay at publish time. */
export function encodeTransactionMessage(transaction: {
  id: number;
  userId: number;
  type: (typeof TRANSACTION_TYPES)[number];
  amountMinor: bigint;
  currency: string;
  requestId: string | null;
}): TransactionMessage {
  return {
    transaction_id: transaction.id,
    user_id: transaction.userId,
    type: transaction.type,
    amount_minor: transaction.amountMinor.toString(),
    currency: transaction.currency,
    request_id: transaction.requestId,
  };
}

export const AMQP_HEADERS = {
  attempt: 'x-attempt',
  requestId: 'x-request-id',
  failureReason: 'x-failure-reason',
} as const;
