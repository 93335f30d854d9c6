import http from 'node:http';
import https from 'node:https';

/**
 * The subset of fetch the bank client uses (method, headers, a string body, redirect: 'error', an abort
 * signal), over node:http with keep-alive agents. Measured here, the global fetch (undici) cost about twice
 * the CPU of node:http per call, client and server together, and the bank call is one per payment.
 * Behaves like fetch where the bank client looks: network errors reject as TypeError('fetch failed') with
 * the socket error as `cause`; an abort rejects with the signal's reason (a TimeoutError for
 * AbortSignal.timeout); a redirect is an error. The answer is read whole before it resolves (so the signal
 * covers the body too), at most `responseBytesMax` + 1 bytes of it: past that the connection is dropped and
 * the body handed on cut short, which the bank client's own size check then refuses.
 */
export interface HttpFetch {
  fetch: typeof fetch;
  /** Closes the idle kept-alive connections (at shutdown). */
  close(): void;
}

export function createHttpFetch(options: { socketsMax: number; responseBytesMax: number }): HttpFetch {
  const agentOptions = { keepAlive: true, maxSockets: options.socketsMax, maxFreeSockets: options.socketsMax };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const fetchOverHttp = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new TypeError('createHttpFetch takes a URL, not a Request');
    const url = new URL(input);
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
      throw new TypeError('createHttpFetch sends string bodies only');
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (typeof init.body === 'string') headers['content-length'] = String(Buffer.byteLength(init.body));
    const answer = await exchange(isHttps ? https : http, url, {
      method: init.method ?? 'GET',
      headers,
      agent: isHttps ? agents.https : agents.http,
      body: init.body ?? undefined,
      signal,
      responseBytesMax: options.responseBytesMax,
    });
    if (answer.status >= 300 && answer.status < 400 && init.redirect === 'error')
      throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect (HTTP ${answer.status})`) });
    const hasNoBody = answer.status === 204 || answer.status === 205 || answer.status === 304;
    return new Response(hasNoBody ? null : answer.body, { status: answer.status, headers: answer.headers });
  };
  return {
    fetch: fetchOverHttp,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

interface Exchange {
  method: string;
  headers: Record<string, string>;
  agent: http.Agent;
  body: string | undefined;
  signal: AbortSignal | undefined;
  responseBytesMax: number;
}

function exchange(
  client: typeof http | typeof https,
  url: URL,
  request: Exchange,
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  return new Promise((resolve, reject) => {
    let isSettled = false;
    const settle = (outcome: () => void) => {
      if (isSettled) return;
      isSettled = true;
      request.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const outgoing = client.request(
      url,
      { method: request.method, headers: request.headers, agent: request.agent },
      (incoming) => {
        const chunks: Buffer[] = [];
        let byteCount = 0;
        incoming.on('data', (chunk: Buffer) => {
          byteCount += chunk.length;
          chunks.push(chunk);
          if (byteCount > request.responseBytesMax) {
            // Enough to know it is too long: hand on what came, and drop the connection (not reusable).
            settle(() => resolve(answerOf(incoming, Buffer.concat(chunks).subarray(0, request.responseBytesMax + 1))));
            incoming.destroy();
          }
        });
        incoming.on('end', () => settle(() => resolve(answerOf(incoming, Buffer.concat(chunks, byteCount)))));
        incoming.on('error', (error) => settle(() => reject(new TypeError('fetch failed', { cause: error }))));
      },
    );
    const onAbort = () => {
      const reason: unknown = request.signal?.reason;
      settle(() =>
        reject(reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError')),
      );
      outgoing.destroy();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error) => settle(() => reject(new TypeError('fetch failed', { cause: error }))));
    outgoing.end(request.body);
  });
}

function answerOf(incoming: http.IncomingMessage, body: Buffer): { status: number; headers: Headers; body: Buffer } {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return { status: incoming.statusCode ?? 0, headers, body };
}
