// Goal: the worker's keep-alive client to the bank fails the way the bank client reads failures (timeout,
// refused connection, an answer too long) and reuses its connection. Method: a local HTTP server that
// answers, hangs or floods, and the client pointed at it and at a closed port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { createHttpFetch } from '../src/infra/http-fetch';

let server: http.Server;
let baseUrl: string;
const sockets = new Set<string>();
beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(`${req.socket.remotePort ?? 0}`);
    if (req.url === '/hang') return;
    if (req.url === '/flood') {
      res.end('x'.repeat(10_000));
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, body, key: req.headers['idempotency-key'] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createHttpFetch', () => {
  test('when the bank answers, then status, headers and body arrive, over one kept-alive connection', async () => {
    const client = createHttpFetch({ socketsMax: 4, responseBytesMax: 1_000 });
    try {
      sockets.clear();
      for (let index = 0; index < 3; index += 1) {
        const response = await client.fetch(`${baseUrl}/v1/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `k-${index}` },
          body: '{"amount":"1.00"}',
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json');
        expect(await response.json()).toEqual({ method: 'POST', body: '{"amount":"1.00"}', key: `k-${index}` });
      }
      expect(sockets.size).toBe(1);
    } finally {
      client.close();
    }
  });

  test('when the bank hangs past the signal, then it rejects with the TimeoutError', async () => {
    const client = createHttpFetch({ socketsMax: 4, responseBytesMax: 1_000 });
    try {
      const failure = await client
        .fetch(`${baseUrl}/hang`, { signal: AbortSignal.timeout(100) })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ name: 'TimeoutError' });
    } finally {
      client.close();
    }
  });

  test('when nothing listens, then fetch failed with the socket error as its cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createHttpFetch({ socketsMax: 4, responseBytesMax: 1_000 });
    try {
      const failure = await client.fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TypeError);
      expect(failure).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    } finally {
      client.close();
    }
  });

  test('when the answer is longer than the bound, then only the bound plus one byte is handed on', async () => {
    const client = createHttpFetch({ socketsMax: 4, responseBytesMax: 1_000 });
    try {
      const response = await client.fetch(`${baseUrl}/flood`);
      expect((await response.arrayBuffer()).byteLength).toBe(1_001);
    } finally {
      client.close();
    }
  });
});
