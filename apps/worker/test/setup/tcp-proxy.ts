import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy between the worker and RabbitMQ, so a test can cut the connection the way a broker restart
 * or a network failure does (both sockets destroyed, no AMQP close handshake) and refuse reconnects for a
 * while.
 */
export interface TcpProxy {
  /** `amqpUrl` with its host and port replaced by the proxy's. */
  urlFor(amqpUrl: string): string;
  readonly openConnectionCount: number;
  dropAll(): void;
  setAccepting(isAccepting: boolean): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let isAccepting = true;
  const server = net.createServer((client) => {
    if (!isAccepting) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: target.hostname, port: Number(target.port || 5672) });
    const pair = { client, upstream };
    pairs.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    urlFor: (amqpUrl) => {
      const url = new URL(amqpUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    get openConnectionCount() {
      return pairs.size;
    },
    dropAll: () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
    },
    setAccepting: (next) => {
      isAccepting = next;
    },
    stop: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
