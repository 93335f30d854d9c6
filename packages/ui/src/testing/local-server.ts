import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1:<random port> that answers what each test scripts. The app under test
 * calls it with the real fetch, so headers, bodies and network failures are the real thing.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Drops the connection without an answer: the browser's fetch rejects, as on a network failure. */
  | 'drop';

export type Handler = (request: RecordedRequest, index: number) => Reply;

export interface LocalServer {
  baseUrl: string;
  requests: RecordedRequest[];
  requestsTo: (method: string, path: string) => RecordedRequest[];
  close: () => Promise<void>;
}

export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(recorded);
      const reply = handler(recorded, requests.length - 1);
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      const send = () => {
        res.writeHead(reply.status, {
          'Content-Type': 'application/json',
          'X-Request-ID': `req-${requests.length}`,
          ...reply.headers,
        });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (method, path) => requests.filter((request) => request.method === method && request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
