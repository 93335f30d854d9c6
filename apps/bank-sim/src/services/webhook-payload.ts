import type { FullBankWebhookPayload } from '@paygate/contracts';
import { assert, formatAmount, signPayload } from '@paygate/domain';

import type { Order } from './order';

/**
 * The webhook body: every field of FullBankWebhookPayload, signed with WEBHOOK_SECRET over the canonical
 * JSON of the other fields. Each attempt is signed afresh with its own timestamp, so a receiver's
 * freshness window never refuses a late retry.
 */
export function signedWebhookPayload(order: Order, nowMs: number, secret: string): FullBankWebhookPayload {
  const { status } = order;
  assert(status !== 'pending', 'a webhook carries a final status');
  assert(/^[1-9]\d*$/.test(order.reference), 'the reference is a decimal id, checked when the order came in');
  const unsigned = {
    transaction_id: Number(order.reference),
    bank_reference: order.bankReference,
    status,
    error_message: order.errorMessage,
    order_key: order.idempotencyKey,
    amount: formatAmount(order.amountMinor),
    currency: order.currency,
    timestamp: Math.floor(nowMs / 1000),
  };
  return { ...unsigned, signature: signPayload(unsigned, secret) };
}
