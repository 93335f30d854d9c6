import type { z } from 'zod';

import { BankOrderRequest, IdempotencyKey } from '@paygate/contracts';
import type { BankOrder } from '@paygate/contracts';

import type { Order } from '../../services/order-book';
import { BankHttpError } from './errors';

/** Decoding and encoding at the edge: past these functions the bank trusts its types. */

/** The webhook's transaction_id is an integer, so the reference must be one written in decimal. */
const OrderRequestWire = BankOrderRequest.superRefine((value, context) => {
  const isDecimalId = /^[1-9]\d*$/.test(value.reference) && Number.isSafeInteger(Number(value.reference));
  if (!isDecimalId)
    context.addIssue({
      code: 'custom',
      path: ['reference'],
      message: 'reference must be a positive integer in decimal',
    });
});

export function decodeIdempotencyKey(value: string | undefined): string {
  if (value === undefined || value === '')
    throw new BankHttpError('idempotency_key_missing', 'The Idempotency-Key header is required.');
  const parsed = IdempotencyKey.safeParse(value);
  if (!parsed.success) throw new BankHttpError('invalid_request', `Idempotency-Key: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export function decodeOrderRequest(body: unknown): BankOrderRequest {
  const parsed = OrderRequestWire.safeParse(body);
  if (!parsed.success) throw new BankHttpError('invalid_request', firstIssue(parsed.error));
  return parsed.data;
}

export function encodeOrder(order: Order): BankOrder {
  return {
    bank_reference: order.bankReference,
    reference: order.reference,
    type: order.type,
    amount: order.amount,
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
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
