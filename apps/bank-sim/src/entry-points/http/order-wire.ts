import type { z } from 'zod';

import { BankOrderRequest, IdempotencyKey } from '@paygate/contracts';
import type { BankOrder } from '@paygate/contracts';
import { assert, formatAmount, parseAmount } from '@paygate/domain';

import type { Order, OrderRequest } from '../../services/order';
import { BankHttpError } from './errors';

/** Decoding and encoding at the edge: past these functions the bank trusts its types. */

const ORDER_FIELDS = 'reference, type, amount and currency';

/**
 * The webhook's transaction_id is an integer, so the reference must be one written in decimal; and a bank
 * moves no zero, negative or absurd amount.
 */
const OrderRequestWire = BankOrderRequest.superRefine((value, context) => {
  const isDecimalId = /^[1-9]\d*$/.test(value.reference) && Number.isSafeInteger(Number(value.reference));
  if (!isDecimalId) {
    context.addIssue({ code: 'custom', path: ['reference'], message: 'must be a positive integer in decimal' });
  }
  const amount = parseAmount(value.amount);
  if (!amount.ok) context.addIssue({ code: 'custom', path: ['amount'], message: amount.message });
});

export function decodeIdempotencyKey(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new BankHttpError('idempotency_key_missing', 'The Idempotency-Key header is required.');
  }
  const parsed = IdempotencyKey.safeParse(value);
  if (!parsed.success) throw new BankHttpError('invalid_request', `Idempotency-Key: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export function decodeOrderRequest(body: unknown): OrderRequest {
  if (typeof body === 'object' && body !== null && 'callback_url' in body) {
    throw new BankHttpError(
      'invalid_request',
      "callback_url is not accepted: the bank posts every webhook to the merchant's configured callback URL " +
        '(BANK_CALLBACK_URL), never to one an order names.',
    );
  }
  const parsed = OrderRequestWire.safeParse(body);
  if (!parsed.success) throw new BankHttpError('invalid_request', firstIssue(parsed.error));
  const amount = parseAmount(parsed.data.amount);
  assert(amount.ok, 'the amount was checked by the wire schema');
  return {
    reference: parsed.data.reference,
    type: parsed.data.type,
    amountMinor: amount.amountMinor,
    currency: parsed.data.currency,
  };
}

export function encodeOrder(order: Order): BankOrder {
  return {
    bank_reference: order.bankReference,
    order_key: order.idempotencyKey,
    reference: order.reference,
    type: order.type,
    amount: formatAmount(order.amountMinor),
    currency: order.currency,
    status: order.status,
    error_message: order.errorMessage,
    created_at: new Date(order.createdAtMs).toISOString(),
    settled_at: order.settledAtMs === null ? null : new Date(order.settledAtMs).toISOString(),
  };
}

export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'the request is invalid';
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s) ${issue.keys.join(', ')}: an order has ${ORDER_FIELDS} only`;
  }
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
