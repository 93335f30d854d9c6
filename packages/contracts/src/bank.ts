import { z } from 'zod';

import { TRANSACTION_TYPES } from '@paygate/domain/transaction-status';

import { AmountText, CurrencyCode } from './common';

/**
 * The bank protocol between the worker and a bank (apps/bank-sim plays the bank). The gateway is the
 * bank's one merchant: every call carries `Authorization: Bearer <BANK_API_KEY>`. An order is idempotent
 * on the Idempotency-Key header within the merchant (the gateway sends a UUID it stored on the transaction,
 * its "order key"): the same key twice is one order. The bank posts its webhooks to the callback URL it
 * was configured with for the merchant; an order cannot name one.
 */

export const BANK_ORDER_STATUSES = ['pending', 'success', 'failed'] as const;

export const BankOrderRequest = z
  .strictObject({
    reference: z.string().min(1).max(64).meta({ description: "The caller's reference (Paygate's transaction id)." }),
    type: z.enum(TRANSACTION_TYPES),
    amount: AmountText,
    currency: CurrencyCode,
  })
  .meta({ id: 'BankOrderRequest' });
export type BankOrderRequest = z.infer<typeof BankOrderRequest>;

export const BankOrder = z
  .object({
    bank_reference: z.string(),
    order_key: z.string().meta({ description: 'The Idempotency-Key the order was placed with.' }),
    reference: z.string(),
    type: z.enum(TRANSACTION_TYPES),
    amount: AmountText,
    currency: CurrencyCode,
    status: z.enum(BANK_ORDER_STATUSES),
    error_message: z.string().nullable(),
    created_at: z.string(),
    settled_at: z.string().nullable(),
  })
  .meta({ id: 'BankOrder' });
export type BankOrder = z.infer<typeof BankOrder>;

/** Names of the headers of the bank protocol. */
export const BANK_HEADERS = { idempotencyKey: 'idempotency-key', authorization: 'authorization' } as const;

export const BankErrorBody = z.object({ error: z.string(), message: z.string() });
export type BankErrorBody = z.infer<typeof BankErrorBody>;

/** Longest settlement delay the control endpoint accepts: one hour. */
export const BANK_CONTROL_DELAY_MS_MAX = 3_600_000;

/** Modes a test can force through the bank's loopback-only control endpoint. */
export const BankControl = z
  .strictObject({
    mode: z.enum(['normal', 'always_fail', 'always_503', 'hang', 'invalid_request']).optional(),
    drop_webhooks: z.boolean().optional(),
    duplicate_webhooks: z.boolean().optional(),
    out_of_order: z.boolean().optional(),
    fail_next_requests_with_503: z.number().int().min(0).max(1000).optional(),
    /** Settlement delay bounds and success rate for orders accepted from now on (bank-sim checks min <= max). */
    min_delay_ms: z.number().int().min(0).max(BANK_CONTROL_DELAY_MS_MAX).optional(),
    max_delay_ms: z.number().int().min(0).max(BANK_CONTROL_DELAY_MS_MAX).optional(),
    success_rate: z.number().min(0).max(1).optional(),
    reset: z.boolean().optional(),
  })
  .meta({ id: 'BankControl' });
export type BankControl = z.infer<typeof BankControl>;
