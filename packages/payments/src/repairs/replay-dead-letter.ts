import type { RepairsRepository } from '@paygate/db';

import type { OperatorActor, RepairResult } from './repair-result';

/**
 * An operator replays a dead letter: its payment goes to the worker again when it is not final (through
 * the outbox, like a retry); a final payment, or a letter that names none, is not re-driven, and the
 * answer says why. Either way the letter is marked handled and the action audited, in one statement.
 */
export async function replayDeadLetter(
  deps: { repairs: RepairsRepository; wakeOutbox: () => void },
  command: { deadLetterId: number; actor: OperatorActor },
): Promise<RepairResult> {
  const letterId = command.deadLetterId;
  const row = await deps.repairs.replayDeadLetter(letterId, command.actor);
  if (row.outcome === 'not_found' || row.auditId === null) {
    return { kind: 'not_found', action: 'replay_dead_letter', message: `No dead letter ${letterId}.` };
  }
  const paymentId = row.transactionId;
  const answer = {
    action: 'replay_dead_letter' as const,
    outcome: row.outcome,
    paymentId,
    auditId: row.auditId,
  };
  switch (row.outcome) {
    case 'requeued':
      deps.wakeOutbox();
      return { ...answer, kind: 'done', message: `Payment ${paymentId} was sent to the worker again.` };
    case 'already_queued':
      return {
        ...answer,
        kind: 'done',
        message: `Payment ${paymentId} already has a message waiting for the worker; nothing more was queued.`,
      };
    case 'already_final':
      return {
        ...answer,
        kind: 'refused',
        message: `Payment ${paymentId} is ${row.status ?? 'final'}, so it is not sent again; the dead letter is marked handled.`,
      };
    case 'no_payment':
      return {
        ...answer,
        kind: 'refused',
        message: 'This dead letter names no payment, so there is nothing to re-drive; it is marked handled.',
      };
    case 'already_replayed':
      return {
        ...answer,
        kind: 'refused',
        message: `Dead letter ${letterId} was handled already; nothing was sent again.`,
      };
  }
}
