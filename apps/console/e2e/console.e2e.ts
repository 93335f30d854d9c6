/**
 * Goal: what an operator does in the browser, against the real stack (console, API, worker, bank-sim,
 * databases): log in, find a payment by its bank reference, read its story with its bank attempts, replay
 * a dead letter with a reason and read the API's answer, and find that action in the audit log. Also that
 * the login page is usable with the keyboard and on a phone.
 * Method: the machine's Chromium through playwright-core drives CONSOLE_URL (the built console, served by
 * vite preview against the stack's API). The public API and the bank simulator's control endpoint are
 * called directly only to arrange data: a deposit that settles (it has a bank reference and a bank
 * attempt) and one the bank refuses as an invalid request (it fails at once and is dead-lettered).
 *
 * Needs (set by support/global-stack.ts): CONSOLE_URL, API_URL, BANK_URL, BANK_API_KEY, DATABASE_URL,
 * PAYGATE_E2E_EMAIL, PAYGATE_E2E_API_KEY; and the operator CLI (see support/operator.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { collectErrors, DESKTOP, launchChromium, PHONE } from './support/browser';
import type { OperatorLogin } from './support/operator';
import { createOperator } from './support/operator';
import { CONSOLE_DIR } from './support/serve';
import type { PublicTransaction, StackConfig } from './support/stack';
import { controlBank, depositAndSettle, logIn, stackConfig } from './support/stack';

const ARTIFACTS = join(CONSOLE_DIR, 'artifacts');
const DEAD_LETTER_TIMEOUT_MS = 60_000;

interface Arranged {
  operator: OperatorLogin;
  settled: PublicTransaction;
  refused: PublicTransaction;
}

/** An operator and the two payments, made once for the specs that need them (the first asks). */
async function arrange(config: StackConfig): Promise<Arranged> {
  const operator = await createOperator(config.databaseUrl, 'operator');
  const settled = await depositAndSettle(config, '12.34');
  await controlBank(config, { mode: 'invalid_request' });
  try {
    const refused = await depositAndSettle(config, '5.00');
    return { operator, settled, refused };
  } finally {
    await controlBank(config, { mode: 'normal' });
  }
}

describe('the console against the real stack', () => {
  let browser: Browser | undefined;
  let config: StackConfig;
  let arranged: Promise<Arranged> | undefined;
  const data = () => (arranged ??= arrange(config));

  beforeAll(async () => {
    config = stackConfig();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh context per test; closing it saves what the page shows to artifacts/console-<name>.png. */
  async function openPage(name: string, viewport: { width: number; height: number } = DESKTOP) {
    if (browser === undefined) throw new Error('browser not started');
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    const shot = async (suffix: string) => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `console-${name}-${suffix}.png`), fullPage: true });
    };
    return { page, errors: collectErrors(page), shot, close: () => context.close() };
  }

  test('when nobody is logged in, then the login page is keyboard-usable, fits a phone, and serves deep links', async () => {
    const { page, errors, shot, close } = await openPage('login', PHONE);
    await page.goto(`${config.consoleUrl}/payments/1`);
    await page.getByRole('heading', { name: 'Operator log in' }).waitFor();
    expect(await page.getByTestId('login-check-problem').count()).toBe(0);

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-email');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot('phone');
    expect(errors).toEqual([]);
    await close();
  });

  test('when an operator searches a bank reference, then the payment and its bank attempts are found', async () => {
    const { operator, settled } = await data();
    expect(settled.status).toBe('success');
    const reference = settled.bank_reference;
    if (reference === null) throw new Error(`deposit ${settled.id} succeeded without a bank reference`);
    const { page, errors, shot, close } = await openPage('story');
    await logIn(page, config, operator);
    expect(await page.getByTestId('operator-email').textContent()).toBe(operator.email);
    expect(await page.getByTestId('operator-role').textContent()).toBe('Operator');
    await page.getByTestId('throughput-chart').waitFor();
    await shot('overview');

    await page.getByTestId('nav-payments').click();
    await page.getByLabel('Search').fill(reference);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator(`[data-testid="payment-row"][data-payment-id="${settled.id}"]`);
    await row.waitFor();
    // The list before the search stays on screen until the search answers (it keeps the previous page):
    // wait for the search's own answer, one row.
    await expect.poll(() => page.getByTestId('payment-row').count()).toBe(1);
    await row.getByRole('link', { name: `Payment #${settled.id}` }).click();

    await page.locator('[data-testid="payment-story"]').waitFor();
    expect(await page.getByTestId('fact-bank-reference').textContent()).toBe(reference);
    const attempts = page.locator('[data-testid="story-entry"][data-kind="bank_attempt"]');
    expect(await attempts.count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('fact-bank-attempts').textContent()).toBe(String(await attempts.count()));
    await attempts.first().getByText('Raw data').click();
    await shot('payment');
    expect(errors).toEqual([]);
    await close();
  });

  test('when a dead letter is replayed with a reason, then the API answer is shown and the audit log has it', async () => {
    const { operator, refused } = await data();
    expect(refused.status).toBe('failed');
    const { page, errors, shot, close } = await openPage('dead-letter');
    await logIn(page, config, operator);

    const letter = page.locator('[data-testid="dead-letter"]', {
      has: page.locator(`a[href="/payments/${refused.id}"]`),
    });
    await waitWithReloads(
      page,
      `${config.consoleUrl}/dead-letters?state=waiting`,
      async () => (await letter.count()) > 0,
    );
    await letter.first().getByRole('button', { name: 'Replay' }).click();
    const dialog = page.getByRole('dialog', { name: /Replay dead letter/ });
    await dialog.getByLabel('Reason').fill('e2e: the bank fixed its order check');
    await dialog.getByRole('button', { name: 'Replay' }).click();
    // The payment is final (failed), so the API says why it does not replay: as a result (200 with an
    // outcome such as already_final) or as a refusal (4xx) shown in the dialog. Either way, in words.
    const message = page.locator('[data-testid="replay-result-message"], [data-testid="replay-dialog-error"]');
    await message.first().waitFor();
    expect((await message.first().textContent())?.trim().length ?? 0).toBeGreaterThan(0);
    await shot('replayed');

    await page.goto(`${config.consoleUrl}/audit?payment_id=${refused.id}`);
    const entry = page.locator('[data-testid="audit-row"][data-action="replay_dead_letter"]');
    await entry.first().waitFor();
    expect(await entry.first().getByTestId('audit-reason').textContent()).toBe('e2e: the bank fixed its order check');
    expect(await entry.first().textContent()).toContain(operator.email);
    await shot('audit');
    expect(errors).toEqual([]);
    await close();
  });
});

/** The worker records a dead letter moments after the failure: reload the page until it is listed. */
async function waitWithReloads(page: Page, url: string, found: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DEAD_LETTER_TIMEOUT_MS;
  for (;;) {
    await page.goto(url);
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
    await page.waitForLoadState('networkidle');
    if (await found()) return;
    if (Date.now() > deadline) throw new Error(`not listed on ${url} within ${DEAD_LETTER_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
