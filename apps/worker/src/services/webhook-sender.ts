import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';

import type { AddressAllowlist } from '@paygate/domain';
import { isAllowedAddress, webhookUrlProblem } from '@paygate/domain';

/**
 * One POST of a signed webhook body to an integrator's URL, bounded in time and in what it reads back. The
 * SSRF rule is enforced where it cannot be dodged: a literal address is checked before connecting, and a
 * host name through the DNS lookup the socket itself uses, so a name that resolves to a private address at
 * connect time (DNS rebinding) is refused even though it was public when the endpoint was added.
 */

export type SendResult =
  { kind: 'answered'; statusCode: number } | { kind: 'refused'; error: string } | { kind: 'failed'; error: string };

export interface WebhookSenderOptions {
  allowlist: AddressAllowlist;
  timeoutMs: number;
  responseBytesMax: number;
  socketsFreeMax: number;
}

export class WebhookSender {
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;

  constructor(private readonly options: WebhookSenderOptions) {
    // Keep-alive: a receiver that gets many events reuses its connections instead of a handshake per event.
    const agentOptions = { keepAlive: true, maxFreeSockets: options.socketsFreeMax, timeout: options.timeoutMs };
    this.#httpAgent = new http.Agent(agentOptions);
    this.#httpsAgent = new https.Agent(agentOptions);
  }

  send(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const problem = webhookUrlProblem(url, this.options.allowlist);
    if (problem !== null) return Promise.resolve({ kind: 'refused', error: `url refused: ${problem}` });
    const target = new URL(url);
    const isHttps = target.protocol === 'https:';
    return new Promise<SendResult>((resolve) => {
      let isSettled = false;
      const settle = (result: SendResult): void => {
        if (isSettled) return;
        isSettled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const request = (isHttps ? https : http).request(target, {
        method: 'POST',
        agent: isHttps ? this.#httpsAgent : this.#httpAgent,
        lookup: this.#guardedLookup,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      const timer = setTimeout(() => {
        settle({ kind: 'failed', error: `timeout after ${this.options.timeoutMs} ms` });
        request.destroy();
      }, this.options.timeoutMs);
      request.on('response', (response) => {
        const statusCode = response.statusCode ?? 0;
        let bytesRead = 0;
        // The status is all we keep; the body is read (so the socket can be reused) up to a bound, then cut.
        response.on('data', (chunk: Buffer) => {
          bytesRead += chunk.length;
          if (bytesRead > this.options.responseBytesMax) response.destroy();
        });
        response.on('end', () => settle({ kind: 'answered', statusCode }));
        response.on('close', () => settle({ kind: 'answered', statusCode }));
        response.on('error', () => settle({ kind: 'answered', statusCode }));
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        settle(
          error.code === 'EWEBHOOKADDRESS'
            ? { kind: 'refused', error: error.message }
            : { kind: 'failed', error: describeError(error) },
        );
      });
      request.end(body);
    });
  }

  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  readonly #guardedLookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refused = addresses.find((entry) => !isAllowedAddress(entry.address, this.options.allowlist));
      if (refused !== undefined || addresses.length === 0) {
        const refusal: NodeJS.ErrnoException = new Error(
          `url refused: ${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not a public address`,
        );
        refusal.code = 'EWEBHOOKADDRESS';
        return callback(refusal, '');
      }
      if (options.all === true) return callback(null, addresses);
      const [first] = addresses;
      return callback(null, first?.address ?? '', first?.family);
    });
  };
}

function describeError(error: NodeJS.ErrnoException): string {
  return error.code === undefined ? error.message : `${error.code}: ${error.message}`;
}
