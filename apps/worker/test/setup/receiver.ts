import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { BankWebhookPayload } from '@paygate/contracts';
import type { SettlementRepository } from '@paygate/db';
import { bankFailure, verifySignature } from '@paygate/domain';

import { TEST_WEBHOOK_SECRET } from './suites';

/**
 * A small real HTTP server standing in for the API's POST /webhooks/bank-callback. It records every webhook
 * and answers by mode: 'apply' verifies the signature and applies the webhook through SettlementRepository
 * the way the API does (not_ready -> 409 so the bank retries); 'refuse' answers 503, so the bank keeps the
 * webhook and retries it; 'record' answers 200 and applies nothing.
 */
export type ReceiverMode = 'apply' | 'refuse' | 'record';

export interface WebhookReceiver {
  url: string;
  deliveries: Record<string, unknown>[];
  setMode(mode: ReceiverMode): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(
  settlement: SettlementRepository,
  initialMode: ReceiverMode,
): Promise<WebhookReceiver> {
  const deliveries: Record<string, unknown>[] = [];
  let mode = initialMode;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      deliveries.push(body);
      answer(body).then(
        (status) => response.writeHead(status, { 'content-type': 'application/json' }).end('{}'),
        () => response.writeHead(500).end(),
      );
    });
  });

  async function answer(body: Record<string, unknown>): Promise<number> {
    if (mode === 'refuse') return 503;
    if (mode === 'record') return 200;
    if (!verifySignature(body, body.signature, TEST_WEBHOOK_SECRET)) return 401;
    const payload = BankWebhookPayload.parse(body);
    const failure = payload.status === 'failed' ? bankFailure(payload.error_message) : null;
    const applied = await settlement.applyBankWebhook({
      transactionId: payload.transaction_id,
      bankReference: payload.bank_reference,
      status: payload.status,
      errorCode: failure?.code ?? null,
      errorMessage: failure?.message ?? null,
      signedAt: new Date(payload.timestamp * 1000),
      payload,
      requestId: null,
    });
    if (applied.outcome === 'not_ready') return 409;
    return applied.outcome === 'not_found' ? 404 : 200;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/bank-callback`,
    deliveries,
    setMode: (next) => {
      mode = next;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
