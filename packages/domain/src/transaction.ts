import type { TransactionStatus, TransactionType } from './transaction-status';

/** A deposit or withdrawal as the system holds it: amounts in minor units, times as Dates. */
export interface Transaction {
  id: number;
  userId: number;
  type: TransactionType;
  status: TransactionStatus;
  amountMinor: bigint;
  currency: string;
  bankReference: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  idempotencyKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** One step of a transaction's life, kept forever as its audit trail. */
export interface TransactionEvent {
  fromStatus: TransactionStatus | null;
  toStatus: TransactionStatus;
  cause: string;
  bankReference: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  requestId: string | null;
  createdAt: Date;
}

export interface Balance {
  userId: number;
  balanceMinor: bigint;
  availableMinor: bigint;
  currency: string;
}

export interface User {
  id: number;
  email: string;
  createdAt: Date;
}
