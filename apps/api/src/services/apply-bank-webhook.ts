import type { BankWebhookPayload, WebhookOutcome } from '@paygate/contracts';
import { BankWebhookPayload as BankWebhookSchema, toFieldIssues } from '@paygate/contracts';
import type { SettlementRepository } from '@paygate/db';
import { bankFailure, DomainError, isFreshTimestamp, verifySignature } from '@paygate/domain';

/**
 * POST /webhooks/bank-callback. Authenticity first (signature in constant time, then freshness), so an
 * unauthenticated caller learns nothing about our transactions; then, in ONE database transaction, the
 * event is recorded (deduplicated on what it says) and the transition and ledger posting applied.
 */
export async function applyBankWebhook(
  settlement: SettlementRepository,
  body: unknown,
  options: { secret: string; toleranceS: number; nowS: number; requestId: string },
): Promise<{ outcome: WebhookOutcome; payload: BankWebhookPayload }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError('validation_error', 'body: the webhook must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  if (!verifySignature(record, record.signature, options.secret)) {
    throw new DomainError('invalid_signature', 'The webhook signature does not match its payload.');
  }
  if (typeof record.timestamp !== 'number' || !isFreshTimestamp(record.timestamp, options.nowS, options.toleranceS)) {
    throw new DomainError('stale_webhook', `The webhook timestamp is more than ${options.toleranceS} s away from our clock.`);
  }
  const parsed = BankWebhookSchema.safeParse(body);
  if (!parsed.success) throw new DomainError('validation_error', 'the webhook body is invalid', toFieldIssues(parsed.error));
  const payload = parsed.data;
  const failure = payload.status === 'failed' ? bankFailure(payload.error_message) : null;
  const applied = await settlement.applyBankWebhook({
    transactionId: payload.transaction_id,
    bankReference: payload.bank_reference,
    status: payload.status,
    errorCode: failure?.code ?? null,
    errorMessage: failure?.message ?? null,
    signedAt: new Date(payload.timestamp * 1000),
    payload,
    requestId: options.requestId,
  });
  switch (applied.outcome) {
    case 'applied':
    case 'duplicate':
    case 'ignored':
      return { outcome: applied.outcome, payload };
    case 'not_found':
      throw new DomainError('not_found', `No transaction ${payload.transaction_id}.`);
    case 'not_ready':
      throw new DomainError('transaction_not_ready', `Transaction ${payload.transaction_id} has not been submitted yet; retry later.`);
  }
}
