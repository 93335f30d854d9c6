import { signPayload } from '@paygate/domain';

import type { ApiConfig } from '../config';
import { parseOptions, parsePositiveInt, requireString, UsageError } from './args';

/**
 * Builds a bank callback signed with WEBHOOK_SECRET and prints it as a curl command, for testing the
 * webhook by hand. The timestamp is now, so the command must be run within 300 s.
 */
export function signWebhookCommand(args: string[], config: ApiConfig, print: (line: string) => void): void {
  const options = parseOptions(args, {
    'transaction-id': { type: 'string' },
    status: { type: 'string' },
    'bank-reference': { type: 'string' },
    'error-message': { type: 'string' },
    'api-url': { type: 'string' },
  });
  const transactionId = parsePositiveInt(requireString(options['transaction-id'], '--transaction-id'), '--transaction-id');
  const status = requireString(options.status, '--status');
  if (status !== 'success' && status !== 'failed') throw new UsageError('--status: must be success or failed');
  const payload = {
    transaction_id: transactionId,
    bank_reference: options['bank-reference'] ?? `BNK-MANUAL${transactionId}`,
    status,
    error_message: status === 'failed' ? (options['error-message'] ?? 'declined') : null,
    timestamp: Math.floor(Date.now() / 1000),
  };
  const body = JSON.stringify({ ...payload, signature: signPayload(payload, config.webhook.secret) });
  const apiUrl = (options['api-url'] ?? config.http.publicUrl).replace(/\/$/, '');
  print(`curl -sS -X POST '${apiUrl}/webhooks/bank-callback' -H 'Content-Type: application/json' -d '${body.replaceAll("'", "'\\''")}'`);
}
