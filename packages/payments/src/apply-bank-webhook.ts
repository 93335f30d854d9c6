import type { BankWebhookPayload, WebhookOutcome } from '@paygate/contracts';
import { BankWebhookPayload as BankWebhookSchema, toFieldIssues } from '@paygate/contracts';
import type { SettlementRepository, WebhookRejectionReason } from '@paygate/db';
import { assert, bankFailure, DomainError, isFreshTimestamp, parseAmount, verifySignature } from '@paygate/domain';

/**
 * POST /webhooks/bank-callback. Authenticity first (signature in constant time), so an unauthenticated
 * caller learns nothing about our transactions; then the shape, and freshness when the body carries a
 * timestamp. Then, in
 * ONE database transaction, the webhook is bound to the order the gateway itself placed (by its order key,
 * or in the seed's form by the stored bank reference; amount and currency must agree), recorded
 * (deduplicated on what it says) and applied. A signed webhook that names another order changes nothing:
 * it is kept for operators and refused with 409 webhook_mismatch.
 */

export interface ApplyBankWebhookOptions {
  secret: string;
  toleranceS: number;
  nowS: number;
  requestId: string;
  sourceAddress: string | null;
}

export type BankWebhookAnswer =
  | { kind: 'accepted'; outcome: WebhookOutcome; payload: BankWebhookPayload }
  /** Refused, with the reason operators see in paygate_webhook_rejected_total{reason}. */
  | { kind: 'rejected'; reason: WebhookRefusalReason; error: DomainError };

export type WebhookRefusalReason =
  WebhookRejectionReason | 'invalid_signature' | 'stale_timestamp' | 'invalid_body' | 'not_ready';

export async function applyBankWebhook(
  settlement: SettlementRepository,
  body: unknown,
  options: ApplyBankWebhookOptions,
): Promise<BankWebhookAnswer> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return rejected('invalid_body', new DomainError('validation_error', 'body: the webhook must be a JSON object'));
  }
  const record = body as Record<string, unknown>;
  if (!verifySignature(record, record.signature, options.secret)) {
    return rejected(
      'invalid_signature',
      new DomainError('invalid_signature', 'The webhook signature does not match its payload.'),
    );
  }
  const parsed = BankWebhookSchema.safeParse(body);
  if (!parsed.success) {
    return rejected(
      'invalid_body',
      new DomainError('validation_error', 'the webhook body is invalid', toFieldIssues(parsed.error)),
    );
  }
  const payload = parsed.data;
  if (payload.timestamp !== undefined && !isFreshTimestamp(payload.timestamp, options.nowS, options.toleranceS)) {
    return rejected(
      'stale_timestamp',
      new DomainError(
        'stale_webhook',
        `The webhook timestamp is more than ${options.toleranceS} s away from our clock.`,
      ),
    );
  }
  const applied = await settlement.applyBankWebhook({
    ...outcomeFields(payload),
    transactionId: payload.transaction_id,
    bankReference: payload.bank_reference,
    orderKey: payload.order_key ?? null,
    amountMinor: payload.amount === undefined ? null : amountMinorOf(payload.amount),
    currency: payload.currency ?? null,
    signedAt: payload.timestamp === undefined ? null : new Date(payload.timestamp * 1000),
    payload,
    sourceAddress: options.sourceAddress,
    requestId: options.requestId,
  });
  switch (applied.outcome) {
    case 'applied':
    case 'duplicate':
    case 'ignored':
    case 'conflict':
      return { kind: 'accepted', outcome: applied.outcome, payload };
    case 'not_found':
      return rejected('unknown_transaction', new DomainError('not_found', `No transaction ${payload.transaction_id}.`));
    case 'not_ready':
      return rejected(
        'not_ready',
        new DomainError(
          'transaction_not_ready',
          `Transaction ${payload.transaction_id} has no bank order to bind this webhook to yet; retry later.`,
        ),
      );
    case 'mismatch':
      assert(applied.reason !== null, 'a mismatch names its reason');
      return rejected(
        applied.reason,
        new DomainError(
          'webhook_mismatch',
          `The webhook does not match the order placed for transaction ${payload.transaction_id} (${applied.reason.replaceAll('_', ' ')}); nothing was changed.`,
          { reason: applied.reason },
        ),
      );
  }
}

/** A failure has two texts: the plain sentence the end user reads, and the bank's own words for operators. */
function outcomeFields(payload: BankWebhookPayload) {
  if (payload.status === 'success') {
    return { status: payload.status, errorCode: null, errorMessage: null, detail: null };
  }
  const failure = bankFailure(payload.error_message);
  const detail = payload.error_message ? `The bank reported: ${payload.error_message}` : 'The bank gave no reason.';
  return { status: payload.status, errorCode: failure.code, errorMessage: failure.message, detail };
}

function amountMinorOf(amount: string): bigint {
  const parsed = parseAmount(amount);
  // AmountText admits "0.00" and negatives that parseAmount refuses; such an amount matches no order.
  return parsed.ok ? parsed.amountMinor : -1n;
}

function rejected(reason: WebhookRefusalReason, error: DomainError): BankWebhookAnswer {
  return { kind: 'rejected', reason, error };
}
