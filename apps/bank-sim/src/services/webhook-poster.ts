import http from 'node:http';
import https from 'node:https';

/**
 * Posts webhook bodies to the merchant's callback URL over kept-alive connections, at most
 * `socketCountMax` at once. Built on node:http so that every limit is set here, not left to a default.
 */

export type PostResult = { isDelivered: true; status: number } | { isDelivered: false; reason: string };

export interface WebhookPosterOptions {
  callbackUrl: string;
  timeoutMs: number;
  socketCountMax: number;
}

export class WebhookPoster {
  readonly #url: URL;
  readonly #agent: http.Agent;
  readonly #stopController = new AbortController();

  constructor(private readonly options: WebhookPosterOptions) {
    this.#url = new URL(options.callbackUrl);
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.socketCountMax,
      maxFreeSockets: options.socketCountMax,
    };
    this.#agent = this.#url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Resolves on a 2xx as delivered; any other status, a network error or the timeout is a failed attempt. */
  post(body: string, requestId: string | undefined): Promise<PostResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'paygate-bank-sim',
    };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.#stopController.signal]);
    const transport = this.#url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const request = transport.request(
        this.#url,
        { method: 'POST', agent: this.#agent, headers, signal },
        (response) => {
          const status = response.statusCode ?? 0;
          // The answer's body means nothing to the bank; reading it to the end frees the socket for reuse.
          response.resume();
          response.once('end', () =>
            resolve(
              status >= 200 && status < 300
                ? { isDelivered: true, status }
                : { isDelivered: false, reason: `status ${status}` },
            ),
          );
          response.once('error', (error) => resolve({ isDelivered: false, reason: describe(error) }));
        },
      );
      request.once('error', (error) => resolve({ isDelivered: false, reason: describe(error) }));
      request.end(body);
    });
  }

  /** Aborts requests in flight and closes the kept-alive sockets. */
  close(): void {
    this.#stopController.abort();
    this.#agent.destroy();
  }
}

function describe(error: Error): string {
  const code = 'code' in error && typeof error.code === 'string' ? ` ${error.code}` : '';
  return `${error.name}${code}: ${error.message}`.slice(0, 500);
}
