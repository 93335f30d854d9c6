import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { waitFor } from './bank';

/** One webhook as the receiver saw it. */
export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  rawBody: string;
  receivedAtMs: number;
}

export interface Receiver {
  url(path?: string): string;
  deliveries: Delivery[];
  /** Statuses to answer with, one per request, in order; once used up, every request gets 200. */
  answerWith(statuses: number[]): void;
  /** The deliveries whose path is `path`, once there are at least `count` of them. */
  waitForDeliveries(path: string, count: number, timeoutMs?: number): Promise<Delivery[]>;
  stop(): Promise<void>;
}

/** A real local HTTP server on port 0 that records every webhook it is sent. */
export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const statuses: number[] = [];
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
      response.statusCode = statuses.shift() ?? 200;
      response.setHeader('content-type', 'application/json');
      response.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  let pathCounter = 0;
  return {
    url: (path) => {
      pathCounter += 1;
      return `http://127.0.0.1:${port}${path ?? `/hook-${pathCounter}`}`;
    },
    deliveries,
    answerWith: (next) => statuses.splice(0, statuses.length, ...next),
    waitForDeliveries: (path, count, timeoutMs = 3000) =>
      waitFor(
        () => {
          const matching = deliveries.filter((delivery) => delivery.path === path);
          return matching.length >= count ? matching : undefined;
        },
        timeoutMs,
        `${count} webhook(s) on ${path}`,
      ),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function pathOf(url: string): string {
  return new URL(url).pathname;
}
