import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  webhookId: string;
  /** Verified by the `standardwebhooks` npm library with the secret given to useSecret. */
  isVerified: boolean;
  receivedAtMs: number;
  /** The status answered, or 'hang': the request was held and never answered. */
  answered: number | 'hang';
  body: { type: string; timestamp: string; data: { id: number; status: string; amount: string } };
}

/** How the receiver answers its n-th request (0-based): a status, or 'hang' to hold it unanswered. */
export type Respond = (requestIndex: number) => number | 'hang';

/** An integrator's receiver: verifies each request independently of our signer, answers as `respond` says. */
export async function startWebhookReceiver(respond: Respond, host = '127.0.0.1') {
  const received: ReceivedWebhook[] = [];
  let secret = '';
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      let isVerified = false;
      try {
        new Webhook(secret).verify(payload, request.headers as Record<string, string>);
        isVerified = true;
      } catch {
        isVerified = false;
      }
      const answered = respond(received.length);
      received.push({
        webhookId: String(request.headers['webhook-id']),
        isVerified,
        receivedAtMs: Date.now(),
        answered,
        body: JSON.parse(payload) as ReceivedWebhook['body'],
      });
      if (answered !== 'hang') response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    url: `http://127.0.0.1:${port}/paygate`,
    useSecret: (value: string) => {
      secret = value;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
