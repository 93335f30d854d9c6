import type { BankOrderRequest } from '@paygate/contracts';
import { BANK_HEADERS, BankErrorBody, BankOrder } from '@paygate/contracts';
import { REQUEST_ID_LENGTH_MAX } from '@paygate/domain/limits';

/**
 * The bank protocol (packages/contracts/src/bank.ts) over fetch, authenticated as the gateway's merchant
 * (BANK_API_KEY). Every call has a timeout and a bounded answer size, and never throws: it returns the
 * order, or a failure that says whether trying again could help (`isTransientFailure`) and whether the
 * bank may have acted on a request we never saw answered (`isAmbiguousFailure`). Each answer carries the
 * call's facts (when, how long, what came back) so a caller can record the attempt with what it decided;
 * `onCall` hears every call too (the apps' latency histograms). The worker and the API (an operator's
 * "reconcile now") both use it.
 */

export type BankFailure =
  | { kind: 'timeout'; message: string }
  /** `wasSent` false: the connection never opened, so the bank cannot have seen the request. */
  | { kind: 'network'; code: string; wasSent: boolean; message: string }
  | { kind: 'http'; status: number; errorCode: string | null; message: string }
  /** A 2xx we could not read: the bank did act, we only do not know how. */
  | { kind: 'bad_response'; status: number; message: string };

export type BankResult<T> = { ok: true; value: T } | { ok: false; failure: BankFailure };

export type BankOperation = 'submit' | 'status';

/** One call to the bank as it happened: what an attempt record and a latency histogram need. */
export interface BankCall {
  operation: BankOperation;
  startedAt: Date;
  latencyMs: number;
  /** ok, not_found, unavailable, rejected, timeout, network_error or bad_response. */
  outcome: string;
  httpStatus: number | null;
}

/** A result with the call that produced it. */
export type BankAnswer<T> = BankResult<T> & { call: BankCall };

export interface BankClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  responseBytesMax: number;
  onCall?: (call: BankCall) => void;
  fetch?: typeof fetch;
}

export class BankClient {
  readonly #fetch: typeof fetch;

  constructor(private readonly options: BankClientOptions) {
    this.#fetch = options.fetch ?? fetch;
  }

  /** POST /v1/payments. The same order key (our idempotency key) always means the same order at the bank. */
  async submitOrder(
    order: BankOrderRequest,
    orderKey: string,
    requestId: string | null,
  ): Promise<BankAnswer<BankOrder>> {
    const { result, call } = await this.#call('submit', '/v1/payments', {
      method: 'POST',
      headers: {
        ...this.#headersFor(requestId),
        'content-type': 'application/json',
        [BANK_HEADERS.idempotencyKey]: orderKey,
      },
      body: JSON.stringify(order),
    });
    if (!result.ok) return { ...result, call };
    return { ...decodeOrder(result.value), call };
  }

  /** GET /v1/payments/{reference}: the order, or null when the bank has none under that reference or key. */
  async findOrder(referenceOrKey: string, requestId: string | null): Promise<BankAnswer<BankOrder | null>> {
    const { result, call } = await this.#call('status', `/v1/payments/${encodeURIComponent(referenceOrKey)}`, {
      method: 'GET',
      headers: this.#headersFor(requestId),
    });
    if (!result.ok) return { ...result, call };
    if (result.value.status === 404) return { ok: true, value: null, call };
    return { ...decodeOrder(result.value), call };
  }

  /** Any HTTP answer is `ok` here (the caller reads its status); only no answer at all is a failure. */
  async #call(
    operation: BankOperation,
    path: string,
    init: RequestInit,
  ): Promise<{ result: BankResult<HttpAnswer>; call: BankCall }> {
    const startedAt = new Date();
    const startedAtMs = performance.now();
    const result = await this.#send(path, init);
    const call: BankCall = {
      operation,
      startedAt,
      latencyMs: performance.now() - startedAtMs,
      outcome: outcomeLabel(result),
      httpStatus: httpStatusOf(result),
    };
    this.options.onCall?.(call);
    return { result, call };
  }

  async #send(path: string, init: RequestInit): Promise<BankResult<HttpAnswer>> {
    try {
      // The timeout covers the whole exchange, reading the answer included.
      const response = await this.#fetch(`${this.options.baseUrl}${path}`, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await readText(response, this.options.responseBytesMax);
      if (text === undefined) {
        const message = `the answer exceeds ${this.options.responseBytesMax} bytes`;
        return {
          ok: false,
          failure: response.ok
            ? { kind: 'bad_response', status: response.status, message }
            : httpFailure(response.status, { message }),
        };
      }
      return { ok: true, value: { status: response.status, body: parseJson(text) } };
    } catch (error) {
      return { ok: false, failure: this.#fetchFailure(error) };
    }
  }

  #headersFor(requestId: string | null): Record<string, string> {
    return { ...headersFor(requestId), [BANK_HEADERS.authorization]: `Bearer ${this.options.apiKey}` };
  }

  #fetchFailure(error: unknown): BankFailure {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { kind: 'timeout', message: `no answer within ${this.options.timeoutMs} ms` };
    }
    const code = errorCode(error);
    return { kind: 'network', code, wasSent: !NOT_SENT_CODES.has(code), message: `${networkLabel(code)} (${code})` };
  }
}

export function isTransientFailure(failure: BankFailure): boolean {
  if (failure.kind !== 'http') return true;
  // 401 and 403 say our credential is wrong, not the order: fixing BANK_API_KEY must not find every payment
  // of the meantime failed, so they are retried (and logged loudly) like an outage.
  if (isCredentialRefused(failure)) return true;
  return failure.status >= 500 || failure.status === 429 || failure.status === 408;
}

export function isCredentialRefused(failure: BankFailure): boolean {
  return failure.kind === 'http' && (failure.status === 401 || failure.status === 403);
}

/** True when the bank may hold an order although we never got its answer. */
export function isAmbiguousFailure(failure: BankFailure): boolean {
  if (failure.kind === 'timeout' || failure.kind === 'bad_response') return true;
  return failure.kind === 'network' && failure.wasSent;
}

export function describeBankFailure(failure: BankFailure): string {
  switch (failure.kind) {
    case 'timeout':
      return `timeout: ${failure.message}`;
    case 'network':
      return failure.message;
    case 'http':
      return `HTTP ${failure.status}${failure.errorCode ? ` ${failure.errorCode}` : ''}: ${failure.message}`;
    case 'bad_response':
      return `unreadable answer (HTTP ${failure.status}): ${failure.message}`;
  }
}

/** Connection errors that happen before a byte of the request leaves: the bank cannot have seen it. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function headersFor(requestId: string | null): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Only a sane id travels: a header value with control characters would make fetch throw.
  if (requestId !== null && requestId.length <= REQUEST_ID_LENGTH_MAX && /^[\x21-\x7e]+$/.test(requestId))
    headers['x-request-id'] = requestId;
  return headers;
}

interface HttpAnswer {
  status: number;
  body: unknown;
}

function decodeOrder({ status, body }: HttpAnswer): BankResult<BankOrder> {
  if (status < 200 || status > 299) return { ok: false, failure: httpFailure(status, body) };
  const parsed = BankOrder.safeParse(body);
  if (!parsed.success)
    return { ok: false, failure: { kind: 'bad_response', status, message: 'the answer is not a bank order' } };
  return { ok: true, value: parsed.data };
}

function httpFailure(status: number, body: unknown): BankFailure {
  const parsed = BankErrorBody.safeParse(body);
  const message = parsed.success ? parsed.data.message.slice(0, 300) : 'the bank gave no explanation';
  return { kind: 'http', status, errorCode: parsed.success ? parsed.data.error.slice(0, 64) : null, message };
}

function httpStatusOf(result: BankResult<HttpAnswer>): number | null {
  if (result.ok) return result.value.status;
  const { failure } = result;
  return failure.kind === 'http' || failure.kind === 'bad_response' ? failure.status : null;
}

function outcomeLabel(result: BankResult<HttpAnswer>): string {
  if (!result.ok) return result.failure.kind === 'network' ? 'network_error' : result.failure.kind;
  const { status } = result.value;
  if (status >= 200 && status <= 299) return 'ok';
  if (status === 404) return 'not_found';
  return isTransientFailure({ kind: 'http', status, errorCode: null, message: '' }) ? 'unavailable' : 'rejected';
}

async function readText(response: Response, bytesMax: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > bytesMax) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  // fetch's body is typed loosely (ReadableStream<any>); it is bytes.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let byteCount = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    byteCount += value.byteLength;
    if (byteCount > bytesMax) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): string {
  // fetch wraps the socket error: TypeError('fetch failed', { cause: Error & { code } }), sometimes an
  // AggregateError when several addresses were tried.
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AggregateError) return errorCode(cause.errors[0]);
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string')
    return cause.code;
  return 'UNKNOWN';
}

function networkLabel(code: string): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'bank host not found';
  return 'network error';
}
