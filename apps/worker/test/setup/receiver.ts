import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { SettlementRepository } from '@paygate/db';
import { applyBankWebhook } from '@paygate/payments';

import { TEST_WEBHOOK_SECRET } from './suites';

/**
 * A small real HTTP server standing in for the API's POST /webhooks/bank-callback. It records every webhook
 * and answers by mode: 'apply' runs the API's own webhook use case (@paygate/payments) and answers with its
 * status (a refusal such as not_ready -> 409 makes the bank retry); 'refuse' answers 503, so the bank keeps
 * the webhook and retries it; 'record' answers 200 and applies nothing.
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
    const answer = await applyBankWebhook(settlement, body, {
      secret: TEST_WEBHOOK_SECRET,
      toleranceS: 300,
      nowS: Math.floor(Date.now() / 1000),
      requestId: 'worker-test-receiver',
      sourceAddress: '127.0.0.1',
    });
    return answer.kind === 'accepted' ? 200 : answer.error.httpStatus;
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
