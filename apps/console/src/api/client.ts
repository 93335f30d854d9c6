import type {
  AdminPaymentPage,
  AdminUserDetailWire,
  AdminUserPage,
  AuditPage,
  DeadLetterPage,
  LedgerCheckWire,
  OperatorWire,
  OverviewWire,
  PaymentStoryWire,
  RepairAction,
  RepairResultWire,
} from '@paygate/contracts';
import {
  ADMIN_ROUTES,
  AdminPaymentPage as AdminPaymentPageSchema,
  AdminUserDetailWire as AdminUserDetailSchema,
  AdminUserPage as AdminUserPageSchema,
  AuditPage as AuditPageSchema,
  DeadLetterPage as DeadLetterPageSchema,
  IssuedKeyWire as IssuedKeySchema,
  LedgerCheckWire as LedgerCheckSchema,
  OperatorWire as OperatorSchema,
  OverviewWire as OverviewSchema,
  PaymentStoryWire as PaymentStorySchema,
  RepairResultWire as RepairResultSchema,
} from '@paygate/contracts';
import { ApiError, readProblem } from '@paygate/ui';

import type { AuditFilters, PaymentFilters } from '../filters';
import { PAYMENT_FILTER_NAMES } from '../filters';

/**
 * The only code that talks to the operator API. Every path comes from the contract's ADMIN_ROUTES, every
 * answer is decoded with the contract's own zod schema (so a drift between the API and the contract shows
 * as an error naming the field, not as a blank page), and every failure becomes an ApiError. The session
 * is the httpOnly cookie the API sets at login: fetch sends it with `credentials: 'same-origin'`, and the
 * console never sees or stores a credential.
 */

export type IssuedKeyWire = ReturnType<typeof IssuedKeySchema.parse>;
export type AdminRoute = keyof typeof ADMIN_ROUTES;

/** What the console asks of a schema: a safeParse that says where the answer differs from it. */
/**
 * A 409 repair_refused: the action did not apply, and was audited. packages/ui shows it as `forbidden`
 * (the same words as a 403), but a page may need to tell the two apart: replaying a final payment's dead
 * letter still marks the letter handled.
 */
export class RepairRefusedError extends ApiError {}

interface Decoder<T> {
  safeParse: (
    value: unknown,
  ) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export interface AdminClientOptions {
  /** '' in the browser (same origin); an absolute origin in tests. */
  baseUrl: string;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  /** Called when a call made inside a session answers 401: the session is over. */
  onUnauthorized: () => void;
}

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
}

export const CONTRACT_MISMATCH = 'contract_mismatch';

interface RequestOptions<T> {
  params?: Record<string, string | number>;
  query?: URLSearchParams;
  body?: unknown;
  signal?: AbortSignal | undefined;
  decoder: Decoder<T> | null;
  /** A 401 ends the session (everything but login and the "who am I" check at start). */
  inSession: boolean;
}

export class AdminClient {
  readonly #options: AdminClientOptions;

  constructor(options: AdminClientOptions) {
    this.#options = options;
  }

  login(email: string, password: string): Promise<OperatorWire> {
    return this.#request('login', { body: { email, password }, decoder: OperatorSchema, inSession: false });
  }

  async logout(): Promise<void> {
    await this.#request('logout', { decoder: null, inSession: false });
  }

  /** Who the cookie belongs to; a 401 here means "not logged in", not "session ended". */
  me(signal?: AbortSignal): Promise<OperatorWire> {
    return this.#request('me', { signal, decoder: OperatorSchema, inSession: false });
  }

  overview(signal?: AbortSignal): Promise<OverviewWire> {
    return this.#request('overview', { signal, decoder: OverviewSchema, inSession: true });
  }

  payments(filters: PaymentFilters, page: ListQuery, signal?: AbortSignal): Promise<AdminPaymentPage> {
    const query = pageQuery(page);
    for (const name of PAYMENT_FILTER_NAMES) {
      const value = filters[name];
      if (value !== undefined) query.set(name, value);
    }
    return this.#request('payments', { query, signal, decoder: AdminPaymentPageSchema, inSession: true });
  }

  paymentStory(id: number, signal?: AbortSignal): Promise<PaymentStoryWire> {
    return this.#request('paymentStory', { params: { id }, signal, decoder: PaymentStorySchema, inSession: true });
  }

  repair(id: number, action: RepairAction, reason: string): Promise<RepairResultWire> {
    return this.#request(action, { params: { id }, body: { reason }, decoder: RepairResultSchema, inSession: true });
  }

  deadLetters(state: 'all' | 'waiting' | 'replayed', page: ListQuery, signal?: AbortSignal): Promise<DeadLetterPage> {
    const query = pageQuery(page);
    query.set('state', state);
    return this.#request('deadLetters', { query, signal, decoder: DeadLetterPageSchema, inSession: true });
  }

  replayDeadLetter(id: number, reason: string): Promise<RepairResultWire> {
    return this.#request('replayDeadLetter', {
      params: { id },
      body: { reason },
      decoder: RepairResultSchema,
      inSession: true,
    });
  }

  users(search: string | undefined, page: ListQuery, signal?: AbortSignal): Promise<AdminUserPage> {
    const query = pageQuery(page);
    if (search !== undefined) query.set('q', search);
    return this.#request('users', { query, signal, decoder: AdminUserPageSchema, inSession: true });
  }

  user(id: number, signal?: AbortSignal): Promise<AdminUserDetailWire> {
    return this.#request('user', { params: { id }, signal, decoder: AdminUserDetailSchema, inSession: true });
  }

  issueKey(userId: number, reason: string): Promise<IssuedKeyWire> {
    return this.#request('issueKey', {
      params: { id: userId },
      body: { reason },
      decoder: IssuedKeySchema,
      inSession: true,
    });
  }

  revokeKey(userId: number, prefix: string, reason: string): Promise<RepairResultWire> {
    return this.#request('revokeKey', {
      params: { id: userId, prefix },
      body: { reason },
      decoder: RepairResultSchema,
      inSession: true,
    });
  }

  ledger(signal?: AbortSignal): Promise<LedgerCheckWire> {
    return this.#request('ledger', { signal, decoder: LedgerCheckSchema, inSession: true });
  }

  audit(filters: AuditFilters, page: ListQuery, signal?: AbortSignal): Promise<AuditPage> {
    const query = pageQuery(page);
    if (filters.payment_id !== undefined) query.set('payment_id', filters.payment_id);
    if (filters.user_id !== undefined) query.set('user_id', filters.user_id);
    return this.#request('audit', { query, signal, decoder: AuditPageSchema, inSession: true });
  }

  async #request<T>(route: AdminRoute, options: RequestOptions<T>): Promise<T> {
    const { method, path } = routePath(route, options.params ?? {});
    const headers = new Headers({ Accept: 'application/json' });
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    const search = options.query === undefined || options.query.size === 0 ? '' : `?${options.query.toString()}`;
    const response = await this.#send(`${this.#options.baseUrl}${path}${search}`, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal,
    });
    if (!response.ok) {
      const problem = await readProblem(response);
      if (problem.kind === 'unauthorized' && options.inSession) this.#options.onUnauthorized();
      if (response.status === 409 && problem.kind === 'forbidden') throw new RepairRefusedError(problem);
      throw new ApiError(problem);
    }
    if (options.decoder === null) return undefined as T;
    return decodeAnswer(response, options.decoder);
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

/** "POST /api/v1/admin/payments/{id}/retry" + {id: 7} -> POST /api/v1/admin/payments/7/retry. */
export function routePath(
  route: AdminRoute,
  params: Record<string, string | number>,
): { method: 'GET' | 'POST'; path: string } {
  const [method, template] = ADMIN_ROUTES[route].split(' ');
  if ((method !== 'GET' && method !== 'POST') || template === undefined) {
    throw new Error(`ADMIN_ROUTES.${route} is not "GET|POST /path"`);
  }
  const path = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`ADMIN_ROUTES.${route} needs the parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  return { method, path };
}

async function decodeAnswer<T>(response: Response, decoder: Decoder<T>): Promise<T> {
  const requestId = response.headers.get('X-Request-ID');
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new ApiError(
      { kind: 'unexpected', status: response.status, code: null, message: 'The answer was not JSON.', requestId },
      { cause },
    );
  }
  const decoded = decoder.safeParse(body);
  if (decoded.success) return decoded.data;
  const issue = decoded.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'the answer' : issue.path.map(String).join('.');
  throw new ApiError({
    kind: 'unexpected',
    status: response.status,
    code: CONTRACT_MISMATCH,
    message: `The API's answer does not match the contract at ${where}: ${issue?.message ?? 'invalid'}.`,
    requestId,
  });
}

function pageQuery(page: ListQuery): URLSearchParams {
  const query = new URLSearchParams({ limit: String(page.limit) });
  if (page.cursor !== undefined) query.set('cursor', page.cursor);
  return query;
}
