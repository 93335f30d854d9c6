import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { waitFor } from '@paygate/testkit';

import { STATE_WAIT_MS } from './bank';

/** One webhook as the receiver saw it. */
export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  rawBody: string;
  receivedAtMs: number;
}

export interface Receiver {
  /** The merchant's callback URL: every webhook of a bank configured with it arrives here. */
  url: string;
  deliveries: Delivery[];
  /** Statuses to answer with, one per request, in order; once used up, every request gets `fallbackStatus`. */
  answerWith(statuses: number[], fallbackStatus?: number): void;
  /** The webhooks for the order placed with `orderKey` (the webhook's order_key). */
  webhooksFor(orderKey: string): Delivery[];
  /** Those webhooks, once there are at least `count` of them. */
  waitForWebhooks(orderKey: string, count: number, timeoutMs?: number): Promise<Delivery[]>;
  stop(): Promise<void>;
}

export const CALLBACK_PATH = '/webhooks/bank-callback';

/** A real local HTTP server on port 0 that records every webhook it is sent. */
export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const statuses: number[] = [];
  let fallback = 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      deliveries.push({
        path: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(rawBody) as Record<string, unknown>,
        rawBody,
        receivedAtMs: Date.now(),
      });
      response.statusCode = statuses.shift() ?? fallback;
      response.setHeader('content-type', 'application/json');
      response.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const webhooksFor = (orderKey: string) => deliveries.filter((delivery) => delivery.body.order_key === orderKey);
  return {
    url: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    deliveries,
    answerWith: (next, fallbackStatus = 200) => {
      statuses.splice(0, statuses.length, ...next);
      fallback = fallbackStatus;
    },
    webhooksFor,
    waitForWebhooks: (orderKey, count, timeoutMs = STATE_WAIT_MS) =>
      waitFor(
        () => {
          const matching = webhooksFor(orderKey);
          return matching.length >= count ? matching : undefined;
        },
        `${count} webhook(s) for order key ${orderKey}`,
        { timeoutMs },
      ),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
