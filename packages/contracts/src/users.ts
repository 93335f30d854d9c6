import { z } from 'zod';

import { API_KEY_LENGTH_MAX, EMAIL_LENGTH_MAX } from '@paygate/domain/limits';
import { formatAmount } from '@paygate/domain/money';
import type { Balance, User } from '@paygate/domain/transaction';

import { AmountText, CurrencyCode, EntityId, ISO_TIME } from './common';

const ApiKeyText = z.string().min(1).max(API_KEY_LENGTH_MAX);

/** Paygate's login form: the user's email and one of their API keys. */
export const EmailLoginBody = z.strictObject({ email: z.email().max(EMAIL_LENGTH_MAX), api_key: ApiKeyText }).meta({
  id: 'LoginRequest',
  description: "Paygate's form: the user's email and one of their API keys.",
  example: { email: 'alice@example.com', api_key: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d' },
});

/**
 * The seed's login form, kept so its clients work unchanged: `username` is the email and `password` the
 * API key. A username that is not an email matches no user and gets the same 401 as a wrong email.
 */
export const SeedLoginBody = z
  .strictObject({ username: z.string().min(1).max(EMAIL_LENGTH_MAX), password: ApiKeyText })
  .meta({
    id: 'SeedLoginRequest',
    description: "The seed's form, for its clients: `username` is the email, `password` the API key.",
    example: { username: 'alice@example.com', password: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d' },
  });

/** Either form; a body is decoded as the form its fields name (see loginFormOf), so a 422 names that form's fields. */
export const LoginBody = z.union([EmailLoginBody, SeedLoginBody]).meta({ id: 'Login' });

export interface LoginCredentials {
  email: string;
  apiKey: string;
}

/** The seed's form when the body names `username` or `password`; Paygate's form otherwise. */
export function loginFormOf(body: unknown): typeof EmailLoginBody | typeof SeedLoginBody {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  return isObject && ('username' in body || 'password' in body) ? SeedLoginBody : EmailLoginBody;
}

export function toLoginCredentials(body: z.infer<typeof LoginBody>): LoginCredentials {
  const [email, apiKey] = 'email' in body ? [body.email, body.api_key] : [body.username, body.password];
  return { email: email.trim().toLowerCase(), apiKey };
}

export const UserWire = z
  .object({ id: EntityId, email: z.string(), currency: CurrencyCode, created_at: ISO_TIME })
  .meta({
    id: 'User',
    example: { id: 1, email: 'alice@example.com', currency: 'USD', created_at: '2026-11-27T10:00:00.000Z' },
  });
export type UserWire = z.infer<typeof UserWire>;

/** The web app's session cookie (httpOnly, SameSite=Strict, Path=/api); integrators use their API key. */
export const USER_SESSION_COOKIE = 'paygate_session';

export const LOGIN_MESSAGE = 'Login successful';
export const LOGOUT_MESSAGE = 'Logged out';

export const LogoutAnswerWire = z.object({ message: z.literal(LOGOUT_MESSAGE) }).meta({
  id: 'LogoutAnswer',
  example: { message: LOGOUT_MESSAGE },
});

/**
 * What login answers: the user, plus what the seed's clients read: `user_id` (the same as `id`), `api_key`
 * (the key that was just sent, which the seed's web pages store) and `message`.
 */
export const LoginAnswerWire = UserWire.extend({
  user_id: EntityId.meta({ description: 'The same as `id`; the name the seed answered with.' }),
  api_key: z
    .string()
    .meta({ description: "The API key this request sent, echoed for the seed's clients. Never a new key." }),
  message: z.literal(LOGIN_MESSAGE),
}).meta({
  id: 'LoginAnswer',
  example: {
    id: 1,
    email: 'alice@example.com',
    currency: 'USD',
    created_at: '2026-11-27T10:00:00.000Z',
    user_id: 1,
    api_key: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d',
    message: LOGIN_MESSAGE,
  },
});
export type LoginAnswerWire = z.infer<typeof LoginAnswerWire>;

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

export function encodeLoginAnswer(user: User, currency: string, apiKey: string): LoginAnswerWire {
  return { ...encodeUser(user, currency), user_id: user.id, api_key: apiKey, message: LOGIN_MESSAGE };
}

export function encodeBalance(balance: Balance): BalanceWire {
  return {
    user_id: balance.userId,
    balance: formatAmount(balance.balanceMinor),
    available_balance: formatAmount(balance.availableMinor),
    currency: balance.currency,
  };
}
