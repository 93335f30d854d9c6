import { z } from 'zod';

import { EntityId } from './common';

/** What the bank posts to POST /webhooks/bank-callback. The signature covers every other field. */
export const BankWebhookPayload = z
  .object({
    transaction_id: EntityId,
    bank_reference: z.string().min(1).max(64),
    status: z.enum(['success', 'failed']),
    error_message: z.string().max(500).nullable(),
    timestamp: z.number().int().positive().meta({ description: 'Unix seconds when the bank signed it; refused if more than 300 s away.' }),
    signature: z.string().max(128).meta({ description: 'Hex HMAC-SHA256 of the canonical JSON of the other fields.' }),
  })
  .meta({
    id: 'BankWebhook',
    example: {
      transaction_id: 42,
      bank_reference: 'BNK-9F3K2Q7M',
      status: 'success',
      error_message: null,
      timestamp: 1795774534,
      signature: '3f1c1a0e5a8d2b7c9e4f6a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d',
    },
  });
export type BankWebhookPayload = z.infer<typeof BankWebhookPayload>;

export const WEBHOOK_OUTCOMES = ['applied', 'duplicate', 'ignored'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export const WebhookAck = z
  .object({ received: z.literal(true), outcome: z.enum(WEBHOOK_OUTCOMES), request_id: z.string() })
  .meta({ id: 'WebhookAck', example: { received: true, outcome: 'applied', request_id: '5f0c7a0e-4a49-4a8e-8d0f-2f0b8f3d9b11' } });
