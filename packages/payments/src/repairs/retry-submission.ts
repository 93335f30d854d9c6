import type { RepairsRepository } from '@paygate/db';

import type { OperatorActor, RepairResult } from './repair-result';

/**
 * An operator sends a pending or processing payment to the worker again: one outbox message (unless one is
 * waiting already), a fresh retry horizon for a processing one, the audit row, all in one statement. The
 * worker then drives it as any other message, through the same conditional steps, under the same order
 * key, so the bank still sees one order. A final payment, or one whose order the bank already accepted,
 * is refused.
 */
export async function retrySubmission(
  deps: { repairs: RepairsRepository; wakeOutbox: () => void },
  command: { transactionId: number; actor: OperatorActor },
): Promise<RepairResult> {
  const id = command.transactionId;
  const row = await deps.repairs.retry(id, command.actor);
  if (row.outcome === 'not_found' || row.auditId === null) {
    return { kind: 'not_found', action: 'retry', message: `No payment ${id}.` };
  }
  const answer = { action: 'retry' as const, outcome: row.outcome, paymentId: id, auditId: row.auditId };
  switch (row.outcome) {
    case 'requeued':
      deps.wakeOutbox();
      return {
        ...answer,
        kind: 'done',
        message: `Payment ${id} was sent to the worker again; it goes to the bank under its own order key.`,
      };
    case 'already_queued':
      return {
        ...answer,
        kind: 'done',
        message: `Payment ${id} already has a message waiting for the worker; nothing more was queued.`,
      };
    case 'already_final':
      return {
        ...answer,
        kind: 'refused',
        message: `Payment ${id} is ${row.status ?? 'final'}: a final payment is never sent again.`,
      };
    case 'bank_holds_order':
      return {
        ...answer,
        kind: 'refused',
        message: `The bank already holds the order of payment ${id}: sending it again would change nothing. Reconcile it instead.`,
      };
  }
}
