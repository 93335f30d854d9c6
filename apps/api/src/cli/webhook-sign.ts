import type { PrismaClient } from '@paygate/db/prisma';
import { formatAmount, signPayload } from '@paygate/domain';

import type { ApiConfig } from '../config';
import type { CommandResult } from './args';
import { NotFoundError, parseOptions, parsePositiveInt, requireString, UsageError } from './args';

/**
 * Builds a bank callback signed with WEBHOOK_SECRET: a curl command for a person, or with --json
 * {url, body, curl} (body as the JSON object that is posted), for testing the webhook by hand. A webhook settles only the order the gateway placed, so the command reads that order
 * from the database: its order key, amount and currency (our bank's form, with a timestamp of now, to be
 * sent within 300 s), or with --seed-form the seed's documented form, which names the stored bank reference.
 */
export async function signWebhookCommand(
  args: string[],
  config: ApiConfig,
  prisma: PrismaClient,
): Promise<CommandResult> {
  const options = parseOptions(args, {
    'transaction-id': { type: 'string' },
    status: { type: 'string' },
    'bank-reference': { type: 'string' },
    'error-message': { type: 'string' },
    'api-url': { type: 'string' },
    'seed-form': { type: 'boolean' },
  });
  const transactionId = parsePositiveInt(
    requireString(options['transaction-id'], '--transaction-id'),
    '--transaction-id',
  );
  const status = requireString(options.status, '--status');
  if (status !== 'success' && status !== 'failed') throw new UsageError('--status: must be success or failed');
  const transaction = await prisma.transaction.findUnique({
    where: { id: BigInt(transactionId) },
    select: { bankOrderKey: true, bankReference: true, amount: true, currency: true, status: true },
  });
  if (transaction === null) throw new NotFoundError(`no transaction ${transactionId}`);
  const bankReference = options['bank-reference'] ?? transaction.bankReference;
  const errorMessage = status === 'failed' ? (options['error-message'] ?? 'declined') : null;
  let payload: Record<string, unknown>;
  if (options['seed-form'] === true) {
    if (bankReference === null) {
      throw new UsageError(
        `transaction ${transactionId} has no bank reference yet: give --bank-reference, or wait for the bank's answer`,
      );
    }
    payload = { transaction_id: transactionId, bank_reference: bankReference, status, error_message: errorMessage };
  } else {
    if (transaction.bankOrderKey === null) {
      throw new UsageError(
        `transaction ${transactionId} is ${transaction.status} and was never sent to the bank: the webhook would be refused`,
      );
    }
    payload = {
      transaction_id: transactionId,
      bank_reference: bankReference ?? `BNK-MANUAL${transactionId}`,
      status,
      error_message: errorMessage,
      order_key: transaction.bankOrderKey,
      amount: formatAmount(transaction.amount),
      currency: transaction.currency,
      timestamp: Math.floor(Date.now() / 1000),
    };
  }
  const body = { ...payload, signature: signPayload(payload, config.webhook.secret) };
  const url = `${(options['api-url'] ?? config.http.publicUrl).replace(/\/$/, '')}/webhooks/bank-callback`;
  const curl = `curl -sS -X POST '${url}' -H 'Content-Type: application/json' -d '${JSON.stringify(body).replaceAll("'", "'\\''")}'`;
  return { json: { url, body, curl }, human: [curl] };
}
