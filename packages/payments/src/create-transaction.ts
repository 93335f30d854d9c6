import type { CreateTransactionResult, InsufficientBalance, TransactionsRepository } from '@paygate/db';
import type { Transaction, TransactionType } from '@paygate/domain';
import { DomainError, formatAmount, requestFingerprint } from '@paygate/domain';

/**
 * POST /deposits and /withdrawals. The whole flow (claim the key, hold funds for a withdrawal, insert the
 * transaction, its first event and its outbox row, store the outcome under the key) is one SQL call; this
 * service decides what each outcome means. It returns the domain outcome; the HTTP answer is encoded at the
 * edge, from the outcome alone, so a replay (the stored outcome) answers byte for byte like the first time.
 */

export interface CreateTransactionCommand {
  userId: number;
  /** The currency of the user's wallet: an order without a currency is in it. */
  walletCurrency: string;
  type: TransactionType;
  amountMinor: bigint;
  currency: string | undefined;
  idempotencyKey: string;
  /** The route, part of the fingerprint: the same key on /deposits and /withdrawals is a reused key. */
  path: string;
  requestId: string;
}

export type CreateTransactionOutcome =
  | { kind: 'created'; transaction: Transaction; isReplay: boolean }
  | { kind: 'insufficient_balance'; refusal: InsufficientBalance; isReplay: boolean };

export async function createTransaction(
  deps: { transactions: TransactionsRepository; idempotencyTtlHours: number },
  command: CreateTransactionCommand,
): Promise<CreateTransactionOutcome> {
  const currency = command.currency ?? command.walletCurrency;
  const result = await deps.transactions.create({
    userId: command.userId,
    type: command.type,
    amountMinor: command.amountMinor,
    currency,
    idempotencyKey: command.idempotencyKey,
    method: 'POST',
    path: command.path,
    fingerprint: fingerprintOf(command, currency),
    requestId: command.requestId,
    idempotencyTtlHours: deps.idempotencyTtlHours,
  });
  return outcomeOf(result, command, currency);
}

/**
 * The fingerprint covers what the request means, not how it was spelt: 100.5 and "100.50" are the same
 * deposit, and an omitted currency is the wallet's.
 */
function fingerprintOf(command: CreateTransactionCommand, currency: string): string {
  return requestFingerprint({
    method: 'POST',
    path: command.path,
    body: { amount: formatAmount(command.amountMinor), currency },
  });
}

function outcomeOf(
  result: CreateTransactionResult,
  command: CreateTransactionCommand,
  currency: string,
): CreateTransactionOutcome {
  switch (result.outcome) {
    case 'created':
      return { kind: 'created', transaction: result.transaction, isReplay: result.isReplay };
    case 'insufficient_balance':
      return { kind: 'insufficient_balance', refusal: result.refusal, isReplay: result.isReplay };
    case 'key_reused':
      throw new DomainError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
      );
    case 'in_progress':
      throw new DomainError(
        'idempotency_request_in_progress',
        'A request with this Idempotency-Key is still being processed. Retry in a moment.',
      );
    case 'no_wallet':
      throw new DomainError(
        'validation_error',
        `currency: your wallet holds ${command.walletCurrency}, not ${currency}`,
        [
          {
            field: 'currency',
            message: `your wallet holds ${command.walletCurrency}`,
            reason: 'currency_not_supported',
          },
        ],
      );
  }
}
