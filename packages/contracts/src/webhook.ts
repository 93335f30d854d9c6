import { z } from 'zod';

import { AmountText, CurrencyCode, EntityId } from './common';

/**
 * What a bank posts to POST /webhooks/bank-callback. The signature covers every other field. Our bank
 * simulator sends every field; the seed's bank sent only transaction_id, bank_reference, status,
 * error_message (which may be omitted) and signature, and that form is still accepted when it names the
 * bank reference stored for the transaction (DESIGN.md, Settle).
 */
export const BankWebhookPayload = z
  .object({
    transaction_id: EntityId,
    bank_reference: z.string().min(1).max(64),
    status: z.enum(['success', 'failed']),
    error_message: z.string().max(500).nullable().optional(),
    order_key: z.string().min(1).max(255).optional().meta({
      description:
        "The Idempotency-Key the gateway placed the order with; binds the webhook to the gateway's own order.",
    }),
    amount: AmountText.optional().meta({
      description: 'The amount of the order, e.g. "10.00"; must equal the transaction\'s.',
    }),
    currency: CurrencyCode.optional(),
    timestamp: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Unix seconds when the bank signed it; when present, refused if more than 300 s away.' }),
    signature: z.string().max(128).meta({ description: 'Hex HMAC-SHA256 of the canonical JSON of the other fields.' }),
  })
  .meta({
    id: 'BankWebhook',
    example: {
      transaction_id: 42,
      bank_reference: 'BNK-9F3K2Q7M',
      status: 'success',
      error_message: null,
      order_key: '6f1d2c3b-4a5e-4f60-9a7b-8c9d0e1f2a3b',
      amount: '100.50',
      currency: 'USD',
      timestamp: 1795774534,
      signature: 'd62e001d832e6f90b7aed0f802fd49654c6c23ec901a3faa5324e6ce80c94e51',
    },
  });
export type BankWebhookPayload = z.infer<typeof BankWebhookPayload>;

/** What our bank simulator sends: the full form, every field present. */
export const FullBankWebhookPayload = BankWebhookPayload.required({
  order_key: true,
  amount: true,
  currency: true,
  timestamp: true,
}).extend({ error_message: z.string().max(500).nullable() });
export type FullBankWebhookPayload = z.infer<typeof FullBankWebhookPayload>;

/**
 * applied: it settled the transaction; duplicate: the same webhook was seen before; ignored: the transaction
 * was already final with the same outcome; conflict: already final with the other outcome (kept and flagged
 * for operators, since redelivering cannot change it).
 */
export const WEBHOOK_OUTCOMES = ['applied', 'duplicate', 'ignored', 'conflict'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export const WebhookAck = z
  .object({ received: z.literal(true), outcome: z.enum(WEBHOOK_OUTCOMES), request_id: z.string() })
  .meta({
    id: 'WebhookAck',
    example: { received: true, outcome: 'applied', request_id: '5f0c7a0e-4a49-4a8e-8d0f-2f0b8f3d9b11' },
  });
