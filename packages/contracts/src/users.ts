import { z } from 'zod';

import { API_KEY_LENGTH_MAX, EMAIL_LENGTH_MAX } from '@paygate/domain/limits';
import { formatAmount } from '@paygate/domain/money';
import type { Balance, User } from '@paygate/domain/transaction';

import { AmountText, CurrencyCode, EntityId, ISO_TIME } from './common';

export const LoginBody = z
  .strictObject({
    email: z.email().max(EMAIL_LENGTH_MAX),
    api_key: z.string().min(1).max(API_KEY_LENGTH_MAX),
  })
  .meta({ id: 'LoginRequest', example: { email: 'alice@example.com', api_key: 'pgk_live_Zx3...' } });

export const UserWire = z
  .object({ id: EntityId, email: z.string(), currency: CurrencyCode, created_at: ISO_TIME })
  .meta({ id: 'User', example: { id: 1, email: 'alice@example.com', currency: 'USD', created_at: '2026-11-27T10:00:00.000Z' } });
export type UserWire = z.infer<typeof UserWire>;

export const BalanceWire = z
  .object({
    user_id: EntityId,
    balance: AmountText,
    available_balance: AmountText.meta({ description: 'balance minus the amounts held for pending withdrawals' }),
    currency: CurrencyCode,
  })
  .meta({ id: 'Balance', example: { user_id: 1, balance: '1000.00', available_balance: '900.00', currency: 'USD' } });
export type BalanceWire = z.infer<typeof BalanceWire>;

export function encodeUser(user: User, currency: string): UserWire {
  return { id: user.id, email: user.email, currency, created_at: user.createdAt.toISOString() };
}

export function encodeBalance(balance: Balance): BalanceWire {
  return {
    user_id: balance.userId,
    balance: formatAmount(balance.balanceMinor),
    available_balance: formatAmount(balance.availableMinor),
    currency: balance.currency,
  };
}
