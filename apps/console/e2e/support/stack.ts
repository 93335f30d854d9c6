import { randomUUID } from 'node:crypto';

import type { Page } from 'playwright-core';

/**
 * Where the specs find the stack, and the calls they make past the console to arrange data: the public
 * API (as the test user, with their key) and the bank simulator's control endpoint. global-stack.ts sets
 * these; with PAYGATE_E2E_EXTERNAL=1 they describe a stack you run: CONSOLE_URL, API_URL, BANK_URL,
 * BANK_API_KEY, PAYGATE_E2E_EMAIL and PAYGATE_E2E_API_KEY (a user with money, e.g. alice), and either
 * DATABASE_URL (an operator is created) or PAYGATE_E2E_OPERATOR_EMAIL and PAYGATE_E2E_OPERATOR_PASSWORD.
 */

export interface StackConfig {
  consoleUrl: string;
  apiUrl: string;
  bankUrl: string;
  bankApiKey: string;
  userApiKey: string;
  databaseUrl: string | undefined;
}

export function stackConfig(): StackConfig {
  return {
    consoleUrl: required('CONSOLE_URL').replace(/\/$/, ''),
    apiUrl: required('API_URL').replace(/\/$/, ''),
    bankUrl: required('BANK_URL').replace(/\/$/, ''),
    bankApiKey: required('BANK_API_KEY'),
    userApiKey: required('PAYGATE_E2E_API_KEY'),
    databaseUrl: process.env.DATABASE_URL,
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set (e2e/support/global-stack.ts sets it)`);
  return value;
}

const API_TIMEOUT_MS = 10_000;
const SETTLE_TIMEOUT_MS = 60_000;

export interface PublicTransaction {
  id: number;
  status: string;
  bank_reference: string | null;
}

/** A deposit made through the public API as the test user, followed until it is final. */
export async function depositAndSettle(config: StackConfig, amount: string): Promise<PublicTransaction> {
  const created = await publicApi<PublicTransaction>(config, 'POST', '/deposits', { amount }, randomUUID());
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const current = await publicApi<PublicTransaction>(config, 'GET', `/deposits/${created.id}`);
    if (current.status === 'success' || current.status === 'failed') return current;
    if (Date.now() > deadline)
      throw new Error(`deposit ${created.id} still ${current.status} after ${SETTLE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Switches the bank simulator's mode (normal, invalid_request, ...) through its loopback control endpoint. */
export async function controlBank(config: StackConfig, control: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${config.bankUrl}/control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${config.bankApiKey}` },
    body: JSON.stringify(control),
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });
  if (!response.ok)
    throw new Error(`bank control refused ${JSON.stringify(control)}: ${response.status} ${await response.text()}`);
}

async function publicApi<T>(
  config: StackConfig,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<T> {
  const headers: Record<string, string> = { 'X-API-Key': config.userApiKey, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
  const response = await fetch(`${config.apiUrl}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function logIn(
  page: Page,
  config: StackConfig,
  operator: { email: string; password: string },
): Promise<void> {
  await page.goto(`${config.consoleUrl}/login`);
  await page.getByLabel('Email').fill(operator.email);
  await page.getByLabel('Password').fill(operator.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}
