import type { SettlementRepository } from '@paygate/db';
import type { GatewayFailureCode, TransactionStatus, TransactionType } from '@paygate/domain';
import { gatewayFailureMessage } from '@paygate/domain';

/**
 * The gateway gives up on a transaction (the bank refused it, could not be reached until the horizon, never
 * heard of it, or an operator decided): processing -> failed, a withdrawal's hold released, once. The end
 * user reads a plain sentence about their money; the operator's detail stays on the event.
 */

export interface FailTransactionCommand {
  transactionId: number;
  type: TransactionType;
  code: GatewayFailureCode;
  /** What an operator needs: the bank's answers, attempt counts, the operator's own reason. */
  detail: string;
  cause: string;
  requestId: string | null;
}

export type FailTransactionOutcome =
  | { kind: 'failed' }
  | { kind: 'already_final'; status: TransactionStatus }
  /** Still pending: only a processing transaction fails (start processing first). */
  | { kind: 'not_ready' }
  | { kind: 'unknown_transaction' };

export async function failTransaction(
  settlement: SettlementRepository,
  command: FailTransactionCommand,
): Promise<FailTransactionOutcome> {
  const settled = await settlement.settle({
    transactionId: command.transactionId,
    status: 'failed',
    bankReference: null,
    errorCode: command.code,
    errorMessage: gatewayFailureMessage(command.code, command.type),
    detail: command.detail,
    cause: command.cause,
    requestId: command.requestId,
  });
  switch (settled.outcome) {
    case 'applied':
      return { kind: 'failed' };
    case 'ignored':
      return { kind: 'already_final', status: settled.status ?? 'failed' };
    case 'not_ready':
      return { kind: 'not_ready' };
    case 'not_found':
      return { kind: 'unknown_transaction' };
  }
}
