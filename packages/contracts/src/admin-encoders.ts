// Subpaths, never the package root: contracts run in the browsers too, and the root also exports
// server-only modules (the webhook address rule imports node:net).
import { formatAmount } from '@paygate/domain/money';
import type { AuditAction, OperatorRole } from '@paygate/domain/operator';
import type { Transaction } from '@paygate/domain/transaction';
import type { TransactionStatus } from '@paygate/domain/transaction-status';

import type {
  AdminPaymentWire,
  AdminUserDetailWire,
  AdminUserWire,
  AuditEntryWire,
  DeadLetterWire,
  LedgerCheckWire,
  OperatorWire,
  WorkerHeartbeatWire,
} from './admin';
import { encodeTransaction } from './transactions';

// Encoders of the operator API: records as the repositories give them (camelCase, bigint, Date) -> wire.
// Their inputs are structural, so packages/db's records fit without this package depending on it.

export function encodeOperator(operator: {
  id: number;
  email: string;
  role: OperatorRole;
  createdAt: Date;
}): OperatorWire {
  return {
    id: operator.id,
    email: operator.email,
    role: operator.role,
    created_at: operator.createdAt.toISOString(),
  };
}

export function encodeAdminPayment(payment: {
  transaction: Transaction;
  userEmail: string;
  requestId: string | null;
  bankOrderKey: string | null;
  submittedAt: Date | null;
}): AdminPaymentWire {
  return {
    ...encodeTransaction(payment.transaction),
    user_email: payment.userEmail,
    request_id: payment.requestId,
    bank_order_key: payment.bankOrderKey,
    submitted_at: payment.submittedAt?.toISOString() ?? null,
  };
}

export function encodeAdminUser(user: {
  id: number;
  email: string;
  currency: string;
  balanceMinor: bigint;
  heldMinor: bigint;
  createdAt: Date;
  activeKeyCount: number;
}): AdminUserWire {
  return {
    id: user.id,
    email: user.email,
    currency: user.currency,
    balance: formatAmount(user.balanceMinor),
    available_balance: formatAmount(user.balanceMinor - user.heldMinor),
    held: formatAmount(user.heldMinor),
    created_at: user.createdAt.toISOString(),
    active_key_count: user.activeKeyCount,
  };
}

export function encodeAdminUserDetail(
  user: Parameters<typeof encodeAdminUser>[0] & {
    keys: { prefix: string; createdAt: Date; revokedAt: Date | null }[];
    openWithdrawals: number;
    recentPayments: Parameters<typeof encodeAdminPayment>[0][];
  },
): AdminUserDetailWire {
  return {
    ...encodeAdminUser(user),
    keys: user.keys.map((key) => ({
      prefix: key.prefix,
      created_at: key.createdAt.toISOString(),
      revoked_at: key.revokedAt?.toISOString() ?? null,
    })),
    open_withdrawals: user.openWithdrawals,
    recent_payments: user.recentPayments.map(encodeAdminPayment),
  };
}

export function encodeDeadLetter(record: {
  id: number;
  transactionId: number | null;
  reason: string;
  payload: unknown;
  headers: Record<string, unknown>;
  deadLetteredAt: Date;
  replayedAt: Date | null;
  replayOutcome: string | null;
  paymentStatus: TransactionStatus | null;
}): DeadLetterWire {
  return {
    id: record.id,
    transaction_id: record.transactionId,
    reason: record.reason,
    payload: record.payload,
    headers: record.headers,
    dead_lettered_at: record.deadLetteredAt.toISOString(),
    replayed_at: record.replayedAt?.toISOString() ?? null,
    replay_outcome: record.replayOutcome,
    payment_status: record.paymentStatus,
  };
}

export function encodeAuditEntry(record: {
  id: number;
  at: Date;
  operatorEmail: string;
  action: AuditAction;
  paymentId: number | null;
  userId: number | null;
  deadLetterId: number | null;
  reason: string | null;
  outcome: string;
  requestId: string | null;
}): AuditEntryWire {
  return {
    id: record.id,
    at: record.at.toISOString(),
    operator_email: record.operatorEmail,
    action: record.action,
    payment_id: record.paymentId,
    user_id: record.userId,
    dead_letter_id: record.deadLetterId,
    reason: record.reason,
    outcome: record.outcome,
    request_id: record.requestId,
  };
}

export function encodeWorkerHeartbeat(
  worker: {
    workerId: string;
    version: string;
    hostname: string;
    startedAt: Date;
    lastSeenAt: Date;
    inFlight: number;
    breakerState: 'closed' | 'half_open' | 'open';
  },
  isAlive: boolean,
): WorkerHeartbeatWire {
  return {
    worker_id: worker.workerId,
    version: worker.version,
    hostname: worker.hostname,
    started_at: worker.startedAt.toISOString(),
    last_seen_at: worker.lastSeenAt.toISOString(),
    in_flight: worker.inFlight,
    breaker_state: worker.breakerState,
    is_alive: isAlive,
  };
}

export function encodeLedgerCheck(check: {
  checkedAt: Date;
  isBalanced: boolean;
  sumMinorByCurrency: Record<string, bigint>;
  accountCount: number;
  balanceDrift: {
    accountId: number;
    userId: number | null;
    email: string | null;
    cachedMinor: bigint;
    postingsMinor: bigint;
  }[];
  holdDrift: { accountId: number; userId: number; email: string; heldMinor: bigint; openWithdrawalsMinor: bigint }[];
  negativeAvailable: { accountId: number; userId: number; email: string; availableMinor: bigint }[];
}): LedgerCheckWire {
  return {
    checked_at: check.checkedAt.toISOString(),
    is_balanced: check.isBalanced,
    sum_minor_by_currency: Object.fromEntries(
      Object.entries(check.sumMinorByCurrency).map(([currency, sum]) => [currency, sum.toString()]),
    ),
    account_count: check.accountCount,
    balance_drift: check.balanceDrift.map((row) => ({
      account_id: row.accountId,
      user_id: row.userId,
      email: row.email,
      cached: formatAmount(row.cachedMinor),
      postings: formatAmount(row.postingsMinor),
    })),
    hold_drift: check.holdDrift.map((row) => ({
      account_id: row.accountId,
      user_id: row.userId,
      email: row.email,
      held: formatAmount(row.heldMinor),
      open_withdrawals: formatAmount(row.openWithdrawalsMinor),
    })),
    negative_available: check.negativeAvailable.map((row) => ({
      account_id: row.accountId,
      user_id: row.userId,
      email: row.email,
      available: formatAmount(row.availableMinor),
    })),
  };
}
