import type { CreateOutcome, TransactionsRepository } from '@paygate/db';
import type { TransactionType } from '@paygate/domain';
import { assert, DomainError, formatAmount, requestFingerprint } from '@paygate/domain';

export interface CreateTransactionCommand {
  userId: number;
  walletCurrency: string;
  type: TransactionType;
  amountMinor: bigint;
  currency: string | undefined;
  idempotencyKey: string;
  method: string;
  path: string;
  requestId: string;
}

export interface CreateTransactionAnswer {
  status: number;
  /** The body stored under the key: the first answer, replayed as it was. */
  body: unknown;
  replayed: boolean;
  transactionId: number | null;
  outcome: CreateOutcome;
}

/**
 * POST /deposits and /withdrawals. The whole flow (claim the key, hold funds for a withdrawal, insert the
 * transaction, its first event and its outbox message, store the answer under the key) is one database
 * transaction; nothing is published to RabbitMQ from here.
 */
export async function createTransaction(
  repository: TransactionsRepository,
  command: CreateTransactionCommand,
  idempotencyTtlHours: number,
): Promise<CreateTransactionAnswer> {
  const currency = command.currency ?? command.walletCurrency;
  // The fingerprint covers what the request means, not how it was spelt: 100.5 and "100.50" are the same
  // deposit, and an omitted currency is the wallet's.
  const fingerprint = requestFingerprint({
    method: command.method,
    path: command.path,
    body: { amount: formatAmount(command.amountMinor), currency },
  });
  const result = await repository.create({
    userId: command.userId,
    type: command.type,
    amountMinor: command.amountMinor,
    currency,
    idempotencyKey: command.idempotencyKey,
    method: command.method,
    path: command.path,
    fingerprint,
    requestId: command.requestId,
    idempotencyTtlHours,
  });
  switch (result.outcome) {
    case 'created':
    case 'insufficient_balance':
    case 'replayed':
      assert(result.responseBody !== null, 'a completed idempotency key has a stored answer');
      return { status: result.responseStatus, body: result.responseBody, replayed: result.outcome === 'replayed', transactionId: result.transactionId, outcome: result.outcome };
    case 'key_reused':
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request. Use a new key for a new request.');
    case 'in_progress':
      throw new DomainError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed. Retry in a moment.');
    case 'no_wallet':
      throw new DomainError('validation_error', `currency: your wallet holds ${command.walletCurrency}, not ${currency}`, [
        { field: 'currency', message: `your wallet holds ${command.walletCurrency}`, reason: 'currency_not_supported' },
      ]);
  }
}
