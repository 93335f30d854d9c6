import type { Page } from 'playwright-core';

/**
 * What the specs against the real stack need: where the web app and the API run, and a user with money.
 * global-stack.ts starts a stack and sets these; with PAYGATE_E2E_EXTERNAL=1 they describe a stack you run
 * (WEB_URL, API_URL, PAYGATE_E2E_EMAIL, PAYGATE_E2E_API_KEY of e.g. alice). A missing one is an error.
 */

export interface StackConfig {
  webUrl: string;
  apiUrl: string;
  email: string;
  apiKey: string;
  /** With BANK_SUCCESS_RATE=1 every settlement succeeds, so a deposit must end in success. */
  bankAlwaysSucceeds: boolean;
}

export function stackConfig(): StackConfig {
  const email = process.env.PAYGATE_E2E_EMAIL;
  const apiKey = process.env.PAYGATE_E2E_API_KEY;
  if (email === undefined || email === '' || apiKey === undefined || apiKey === '') {
    throw new Error(
      'PAYGATE_E2E_EMAIL and PAYGATE_E2E_API_KEY must name a user with money (global-stack.ts sets them)',
    );
  }
  return {
    webUrl: (process.env.WEB_URL ?? 'http://127.0.0.1:5500').replace(/\/$/, ''),
    apiUrl: (process.env.API_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, ''),
    email,
    apiKey,
    bankAlwaysSucceeds: process.env.BANK_SUCCESS_RATE === '1',
  };
}

const API_RETRY_COUNT_MAX = 3;
const API_TIMEOUT_MS = 10_000;

/**
 * Calls the API directly (to arrange data and to check what the UI did). A 429 is waited out, up to
 * API_RETRY_COUNT_MAX times, since the specs share one user's per-minute limits.
 */
export async function api<T>(
  config: StackConfig,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const headers: Record<string, string> = { 'X-API-Key': config.apiKey, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    const response = await fetch(`${config.apiUrl}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    if (response.status === 429 && attempt < API_RETRY_COUNT_MAX) {
      const seconds = Number(response.headers.get('Retry-After') ?? '5');
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(seconds, 1), 60) * 1000));
      continue;
    }
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}

export interface Me {
  id: number;
  currency: string;
}

export async function me(config: StackConfig): Promise<Me> {
  return api<Me>(config, 'POST', '/auth/login', { email: config.email, api_key: config.apiKey });
}

/** How many transactions of a type the user has, by the API's own count. */
export async function countOf(config: StackConfig, collection: 'deposits' | 'withdrawals'): Promise<number> {
  const page = await api<{ total: number }>(config, 'GET', `/${collection}?limit=1`);
  return page.total;
}

export async function logIn(page: Page, config: StackConfig): Promise<void> {
  await page.goto(`${config.webUrl}/login`);
  await page.getByLabel('Email').fill(config.email);
  await page.getByLabel('API key').fill(config.apiKey);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
