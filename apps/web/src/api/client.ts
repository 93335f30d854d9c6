import type {
  BalanceWire,
  TransactionDetailWire,
  TransactionPage,
  TransactionWire,
  UserWire,
  WebhookDeliveryPageWire,
  WebhookDeliveryWire,
  WebhookEndpointWire,
  WebhookEndpointWithSecretWire,
} from '@paygate/contracts';
import type { TransactionStatus, TransactionType } from '@paygate/domain/transaction-status';
import { ApiError, readProblem } from '@paygate/ui';

/**
 * The only code that talks to the API. It calls relative URLs under /api/v1 on its own origin (the dev
 * server, `vite preview` and nginx forward them), authenticated by the httpOnly session cookie that login
 * set (`credentials: 'same-origin'`; the API key is never kept), bounds every call with a timeout, and
 * turns every failure into an ApiError. The contracts are imported as types only, so no
 * schema library ends up in the bundle.
 */

export interface ApiClientOptions {
  /** '' in the browser (same origin); an absolute origin in tests. */
  baseUrl: string;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  /** Called when an authenticated call answers 401: the session is over. */
  onUnauthorized: () => void;
}

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  status?: TransactionStatus | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
  amount_min?: string | undefined;
  amount_max?: string | undefined;
}

interface RequestOptions {
  auth: boolean;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal | undefined;
}

export class ApiClient {
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.#options = options;
  }

  /** Sends the key once; the answer sets the session cookie, and the key is forgotten by the caller. */
  login(email: string, apiKey: string): Promise<UserWire> {
    return this.#request('POST', '/auth/login', { auth: false, body: { email, api_key: apiKey } });
  }

  /** Who the session cookie belongs to; a 401 ends the session. */
  me(signal?: AbortSignal): Promise<unknown> {
    return this.#request('GET', '/auth/me', { auth: true, signal });
  }

  /** Ends the cookie's session on the server; the cookie is cleared by the answer. */
  logout(): Promise<unknown> {
    return this.#request('POST', '/auth/logout', { auth: false });
  }

  getBalance(userId: number, signal?: AbortSignal): Promise<BalanceWire> {
    return this.#request('GET', `/users/${userId}/balance`, { auth: true, signal });
  }

  listUserTransactions(userId: number, query: ListQuery, signal?: AbortSignal): Promise<TransactionPage> {
    return this.#request('GET', `/users/${userId}/transactions${queryString(query)}`, { auth: true, signal });
  }

  listTransactions(type: TransactionType, query: ListQuery, signal?: AbortSignal): Promise<TransactionPage> {
    return this.#request('GET', `/${collection(type)}${queryString(query)}`, { auth: true, signal });
  }

  getTransaction(type: TransactionType, id: number, signal?: AbortSignal): Promise<TransactionDetailWire> {
    return this.#request('GET', `/${collection(type)}/${id}`, { auth: true, signal });
  }

  /** `amount` is the normalised decimal text ("12.30"); the same key must go with the same amount. */
  createTransaction(type: TransactionType, amount: string, idempotencyKey: string): Promise<TransactionWire> {
    return this.#request('POST', `/${collection(type)}`, { auth: true, body: { amount }, idempotencyKey });
  }

  listWebhookEndpoints(signal?: AbortSignal): Promise<{ items: WebhookEndpointWire[] }> {
    return this.#request('GET', '/webhook-endpoints', { auth: true, signal });
  }

  createWebhookEndpoint(url: string, description: string | undefined): Promise<WebhookEndpointWithSecretWire> {
    return this.#request('POST', '/webhook-endpoints', { auth: true, body: { url, description } });
  }

  deleteWebhookEndpoint(id: number): Promise<WebhookEndpointWire> {
    return this.#request('DELETE', `/webhook-endpoints/${id}`, { auth: true });
  }

  rotateWebhookSecret(id: number): Promise<WebhookEndpointWithSecretWire> {
    return this.#request('POST', `/webhook-endpoints/${id}/rotate-secret`, { auth: true });
  }

  listWebhookDeliveries(
    id: number,
    cursor: string | undefined,
    signal?: AbortSignal,
  ): Promise<WebhookDeliveryPageWire> {
    const query = cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    return this.#request('GET', `/webhook-endpoints/${id}/deliveries?limit=20${query}`, { auth: true, signal });
  }

  retryWebhookDelivery(id: number, deliveryId: number): Promise<WebhookDeliveryWire> {
    return this.#request('POST', `/webhook-endpoints/${id}/deliveries/${deliveryId}/retry`, { auth: true });
  }

  async #request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions): Promise<T> {
    const headers = new Headers({ Accept: 'application/json' });
    if (options.idempotencyKey !== undefined) headers.set('Idempotency-Key', options.idempotencyKey);
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');

    const response = await this.#send(`${this.#options.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal,
    });
    if (!response.ok) {
      const problem = await readProblem(response);
      if (problem.kind === 'unauthorized' && options.auth) this.#options.onUnauthorized();
      throw new ApiError(problem);
    }
    try {
      return (await response.json()) as T;
    } catch (cause) {
      throw new ApiError(
        {
          kind: 'unexpected',
          status: response.status,
          code: null,
          message: 'The answer was not JSON.',
          requestId: response.headers.get('X-Request-ID'),
        },
        { cause },
      );
    }
  }

  async #send(
    url: string,
    init: { method: string; headers: Headers; body: string | null; signal: AbortSignal | undefined },
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.#options.requestTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await this.#options.fetch(url, { ...init, signal, credentials: 'same-origin', cache: 'no-store' });
    } catch (cause) {
      // A caller's abort (react-query cancelling a stale request) is not a failure to show anyone.
      if (init.signal?.aborted === true) throw cause;
      if (timeout.aborted) throw new ApiError({ kind: 'timeout' }, { cause });
      throw new ApiError({ kind: 'network' }, { cause });
    }
  }
}

export function collection(type: TransactionType): 'deposits' | 'withdrawals' {
  return type === 'deposit' ? 'deposits' : 'withdrawals';
}

function queryString(query: ListQuery): string {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.cursor !== undefined) params.set('cursor', query.cursor);
  for (const name of ['status', 'created_from', 'created_to', 'amount_min', 'amount_max'] as const) {
    const value = query[name];
    if (value !== undefined) params.set(name, value);
  }
  return `?${params.toString()}`;
}
