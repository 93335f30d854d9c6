import type { SettlementRepository, TransactionSubmission } from '@paygate/db';
import type { TransactionStatus } from '@paygate/domain';
import { assert, isTerminal } from '@paygate/domain';

/**
 * A message on the process queue asks to send a transaction to the bank. This moves it pending ->
 * processing (once: the SQL minting its order key and noting when it was first submitted) and says what
 * the caller should do: nothing (unknown, final, or already accepted by the bank, whose webhook or the
 * reconciler finishes it), or place the order under the returned submission's key.
 */

export type StartProcessingOutcome =
  | { kind: 'unknown_transaction' }
  | { kind: 'already_final'; status: TransactionStatus }
  | { kind: 'already_submitted'; bankReference: string }
  /** Place the order. `isRedelivery`: another message moved it first (a retry, a redelivery, a race). */
  | {
      kind: 'submit';
      submission: TransactionSubmission & { orderKey: string; submittedAt: Date };
      isRedelivery: boolean;
    };

export async function startProcessing(
  settlement: SettlementRepository,
  command: { transactionId: number; requestId: string | null },
): Promise<StartProcessingOutcome> {
  const started = await settlement.startProcessing({
    transactionId: command.transactionId,
    cause: 'worker.submit',
    requestId: command.requestId,
  });
  if (started === undefined) return { kind: 'unknown_transaction' };
  const { submission } = started;
  const { transaction } = submission;
  if (isTerminal(transaction.status)) return { kind: 'already_final', status: transaction.status };
  const { orderKey, submittedAt } = submission;
  assert(orderKey !== null && submittedAt !== null, 'a processing transaction has an order key');
  if (!started.moved) {
    // Once the bank has accepted the order, another submission would only be folded into the same order.
    if (transaction.bankReference !== null)
      return { kind: 'already_submitted', bankReference: transaction.bankReference };
    // Freshen updated_at: the reconciler leaves alone what a worker is visibly still working on.
    await settlement.touch(transaction.id);
  }
  return { kind: 'submit', submission: { ...submission, orderKey, submittedAt }, isRedelivery: !started.moved };
}
