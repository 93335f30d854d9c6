import type {
  BalanceWire,
  TransactionDetailWire,
  TransactionPage,
  TransactionWire,
  UserWire,
} from '@paygate/contracts';
import type { TransactionStatus } from '@paygate/domain/transaction-status';

/** Wire shapes as the API sends them, built from the contracts' types so drift fails typecheck. */

export const ALICE: UserWire = {
  id: 1,
  email: 'alice@example.com',
  currency: 'USD',
  created_at: '2026-11-27T10:00:00.000Z',
};
export const ALICE_KEY = 'pgk_test_alice_0123456789';

export function balance(overrides: Partial<BalanceWire> = {}): BalanceWire {
  return { user_id: ALICE.id, balance: '1000.00', available_balance: '1000.00', currency: 'USD', ...overrides };
}

export function transaction(overrides: Partial<TransactionWire> = {}): TransactionWire {
  return {
    id: 42,
    user_id: ALICE.id,
    type: 'deposit',
    status: 'pending',
    amount: '12.34',
    currency: 'USD',
    bank_reference: null,
    error_code: null,
    error_message: null,
    idempotency_key: 'key-1',
    created_at: '2026-11-27T10:15:30.123Z',
    updated_at: '2026-11-27T10:15:30.123Z',
    completed_at: null,
    ...overrides,
  };
}

export function detail(
  status: TransactionStatus,
  overrides: Partial<TransactionDetailWire> = {},
): TransactionDetailWire {
  const path: TransactionStatus[] =
    status === 'pending'
      ? ['pending']
      : status === 'processing'
        ? ['pending', 'processing']
        : ['pending', 'processing', status];
  const events = path.map((to, index) => ({
    from_status: index === 0 ? null : (path[index - 1] ?? null),
    to_status: to,
    cause: ['api.create', 'worker.submit', 'bank.webhook'][index] ?? 'unknown',
    bank_reference: to === 'success' ? 'BNK-9F3K2Q7M' : null,
    error_code: to === 'failed' ? 'bank_declined' : null,
    error_message: to === 'failed' ? 'The bank declined the payment' : null,
    request_id: 'req-1',
    created_at: `2026-11-27T10:15:3${index}.000Z`,
  }));
  return {
    ...transaction({
      id: 7,
      status,
      bank_reference: status === 'success' ? 'BNK-9F3K2Q7M' : null,
      error_code: status === 'failed' ? 'bank_declined' : null,
      error_message: status === 'failed' ? 'The bank declined the payment' : null,
      completed_at: status === 'success' || status === 'failed' ? '2026-11-27T10:15:34.480Z' : null,
    }),
    events,
    ...overrides,
  };
}

export function page(items: TransactionWire[], overrides: Partial<TransactionPage> = {}): TransactionPage {
  return {
    items,
    total: items.length,
    total_is_estimate: false,
    limit: 20,
    offset: 0,
    has_more: false,
    next_cursor: null,
    ...overrides,
  };
}

export function errorBody(error: string, message: string, extra: Record<string, unknown> = {}) {
  return { error, message, request_id: 'req-err-1', ...extra };
}
