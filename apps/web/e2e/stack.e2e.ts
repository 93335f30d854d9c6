/**
 * Goal: what a person does in the browser, against the real stack (web, API, worker, bank-sim, databases):
 * log in, deposit and watch it settle live, be refused an over-balance withdrawal, never get two
 * transactions from a double click, page through history, and leave nothing behind on log out.
 * Method: the machine's Chromium through playwright-core drives WEB_URL; the API at API_URL is called
 * directly only to arrange data and to count what the UI created.
 *
 * Needs (set by support/global-stack.ts, which starts the stack): WEB_URL, API_URL, PAYGATE_E2E_EMAIL and PAYGATE_E2E_API_KEY of a user
 * with money (alice). Best with BANK_SUCCESS_RATE=1 (deposits must then end in success), the default bank
 * delay (2-10 s, so pending/processing is visible) and raised RATE_LIMIT_*_PER_MIN: these specs read one
 * user's balance and history more than 10-20 times a minute.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { formatAmount, formatMoney } from '@paygate/domain/money';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { collectErrors, DESKTOP, launchChromium } from './support/browser';
import { WEB_DIR } from './support/serve';
import type { StackConfig } from './support/stack';
import { api, countOf, logIn, me, stackConfig } from './support/stack';

const SETTLE_TIMEOUT_MS = 60_000;
const PAGE_SIZE = 20;
const ARTIFACTS = join(WEB_DIR, 'artifacts');

describe('the web app against the real stack', () => {
  let browser: Browser | undefined;
  let config: StackConfig;

  beforeAll(async () => {
    config = stackConfig();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /**
   * A fresh context per test: its own sessionStorage, en-US so amounts read as the checks expect. Closing
   * it first saves what the page shows to artifacts/stack-<test>.png, for a person to look at.
   */
  async function openPage(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
    if (browser === undefined) throw new Error('browser not started');
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    const name = (expect.getState().currentTestName ?? 'page')
      .replace(/^.*> /, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .slice(0, 80);
    const close = async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `stack-${name}.png`), fullPage: true });
      await context.close();
    };
    return { page, errors: collectErrors(page), close };
  }

  test('when a seeded user logs in, then the dashboard shows their balance and recent transactions', async () => {
    const { page, errors, close } = await openPage();

    await logIn(page, config);

    await page.getByTestId('balance').waitFor();
    await page.getByTestId('available-balance').waitFor();
    expect(await page.getByTestId('user-email').textContent()).toBe(config.email);
    expect(errors).toEqual([]);
    await close();
  });

  test('when a deposit is made on the dashboard, then the balance rises and its row and confirmation turn to success without a reload', async () => {
    const { page, errors, close } = await openPage();
    await logIn(page, config);
    await page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
    const balance = page.getByTestId('balance');
    await balance.waitFor();
    const beforeMinor = BigInt(((await balance.getAttribute('data-amount')) ?? '').replace('.', ''));
    // A marker on window survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { paygateNoReload: true }));

    await page.getByLabel(/^Amount to deposit/).fill('1.25');
    await page.getByRole('button', { name: 'Deposit' }).click();
    const id = await page.getByTestId('deposit-result').getAttribute('data-transaction-id');
    expect(id).not.toBeNull();
    const row = page.locator(`[data-testid="recent-transactions"] [data-transaction-id="${id}"]`);
    await row.waitFor();

    await page
      .locator(`[data-testid="recent-transactions"] [data-transaction-id="${id}"][data-status="success"]`)
      .waitFor({
        timeout: SETTLE_TIMEOUT_MS,
      });
    await page
      .locator('[data-testid="deposit-result"] [data-testid="status-badge"][data-status="success"]')
      .waitFor({ timeout: SETTLE_TIMEOUT_MS });
    const expected = formatAmount(beforeMinor + 125n);
    await page.locator(`[data-testid="balance"][data-amount="${expected}"]`).waitFor({ timeout: SETTLE_TIMEOUT_MS });

    expect(await page.evaluate(() => 'paygateNoReload' in window)).toBe(true);
    expect(await page.getByTestId('live-status').getAttribute('data-state')).toBe('live');
    expect(errors).toEqual([]);
    await close();
  });

  test("when the user's integration has used up its key's list budget, then the web app still shows their balance and lists", async () => {
    const email = process.env.PAYGATE_E2E_BUSY_EMAIL;
    const apiKey = process.env.PAYGATE_E2E_BUSY_API_KEY;
    if (!email || !apiKey) throw new Error('PAYGATE_E2E_BUSY_EMAIL and _API_KEY name a second user (global-stack.ts)');
    // The integration lists with its key until the API says 429 (the stack allows it 1000 a minute).
    const listWithKey = async () =>
      (await fetch(`${config.apiUrl}/api/v1/deposits?limit=1`, { headers: { 'X-API-Key': apiKey } })).status;
    let refused = false;
    for (let round = 0; round < 80 && !refused; round += 1) {
      const statuses = await Promise.all(Array.from({ length: 16 }, listWithKey));
      expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
      refused = statuses.includes(429);
    }
    expect(refused).toBe(true);

    const { page, errors, close } = await openPage();
    await logIn(page, { ...config, email, apiKey });
    await page.locator('[data-testid="balance"][data-amount="10.00"]').waitFor();
    await page.getByRole('link', { name: 'Deposits', exact: true }).click();
    await page.getByTestId('list-empty').waitFor();

    // The key is still refused: the web app went through on its session's own budget.
    expect(await listWithKey()).toBe(429);
    expect(await page.getByTestId('list-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });

  test('when a deposit is made, then its detail page goes from pending to success without a reload', async () => {
    const { page, errors, close } = await openPage();
    await logIn(page, config);

    await page.getByLabel(/^Amount to deposit/).fill('1.00');
    await page.getByRole('button', { name: 'Deposit' }).click();
    await page.getByTestId('deposit-result-link').click();
    await page.getByTestId('transaction-detail').waitFor();
    // A marker on window survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { paygateNoReload: true }));

    const badge = page.getByTestId('detail-status').getByTestId('status-badge');
    const first = await badge.getAttribute('data-status');
    expect(
      ['pending', 'processing'],
      'the bank settled before the page opened: run the stack with a bank delay',
    ).toContain(first);
    await page.waitForFunction(
      () =>
        ['success', 'failed'].includes(
          document
            .querySelector('[data-testid="detail-status"] [data-testid="status-badge"]')
            ?.getAttribute('data-status') ?? '',
        ),
      undefined,
      { timeout: SETTLE_TIMEOUT_MS, polling: 250 },
    );

    const final = await badge.getAttribute('data-status');
    if (config.bankAlwaysSucceeds) expect(final).toBe('success');
    expect(await page.evaluate(() => 'paygateNoReload' in window)).toBe(true);
    expect(await page.getByTestId('detail-polling').count()).toBe(0);
    const timeline = await page
      .getByTestId('timeline-event')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-to-status')));
    expect(timeline.slice(0, 2)).toEqual(['pending', 'processing']);
    expect(timeline.at(-1)).toBe(final);
    if (final === 'success')
      expect(await page.getByTestId('detail-bank-reference').textContent()).not.toBe('Not assigned yet');
    expect(errors).toEqual([]);
    await close();
  });

  test('when a withdrawal exceeds the available balance, then the message shows what is available and nothing is created', async () => {
    const user = await me(config);
    const balance = await api<{ available_balance: string; currency: string }>(
      config,
      'GET',
      `/users/${user.id}/balance`,
    );
    const availableMinor = BigInt(balance.available_balance.replace('.', ''));
    const withdrawalsBefore = await countOf(config, 'withdrawals');
    const { page, close } = await openPage();
    await logIn(page, config);

    await page.getByLabel(/^Amount to withdraw/).fill(formatAmount(availableMinor + 100_000n));
    await page.getByRole('button', { name: 'Withdraw' }).click();

    const alert = page.getByTestId('withdrawal-error');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.textContent()).toBe(
      `Insufficient balance: you have ${formatMoney(availableMinor, balance.currency, 'en-US')} available.`,
    );
    expect(await page.getByTestId('withdrawal-result').count()).toBe(0);
    expect(await countOf(config, 'withdrawals')).toBe(withdrawalsBefore);
    await close();
  });

  test('when the deposit button is double-clicked, then exactly one deposit is created', async () => {
    const depositsBefore = await countOf(config, 'deposits');
    const { page, errors, close } = await openPage();
    await logIn(page, config);

    await page.getByLabel(/^Amount to deposit/).fill('1.11');
    await page.getByRole('button', { name: 'Deposit' }).dblclick();
    await page.getByTestId('deposit-result').waitFor();
    // Give a second request, had one been sent, time to land before counting.
    await page.waitForTimeout(1_000);

    expect(await countOf(config, 'deposits')).toBe(depositsBefore + 1);
    expect(errors).toEqual([]);
    await close();
  });

  test('when there are more deposits than one page, then Next and Previous walk the pages newest first', async () => {
    for (let total = await countOf(config, 'deposits'); total <= PAGE_SIZE; total += 1) {
      await api(config, 'POST', '/deposits', { amount: '1.00' }, `e2e-pagination-${Date.now()}-${total}`);
    }
    const { page, errors, close } = await openPage();
    await logIn(page, config);
    const rowIds = () =>
      page
        .getByTestId('transaction-row')
        .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-transaction-id'))));

    await page.getByTestId('nav-deposits').click();
    await page.getByTestId('transaction-list').waitFor();
    const firstPage = await rowIds();
    expect(firstPage).toHaveLength(PAGE_SIZE);
    expect(await page.getByTestId('pagination-previous').isDisabled()).toBe(true);

    await page.getByTestId('pagination-next').click();
    await page.locator('[data-testid="pagination-page"][data-page="2"]').waitFor();
    await page.waitForFunction(
      (first) =>
        document.querySelector('[data-testid="transaction-row"]')?.getAttribute('data-transaction-id') !==
        String(first),
      firstPage[0],
    );
    const secondPage = await rowIds();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(Math.max(...secondPage)).toBeLessThan(Math.min(...firstPage));

    await page.getByTestId('pagination-previous').click();
    await page.locator('[data-testid="pagination-page"][data-page="1"]').waitFor();
    await page.waitForFunction(
      (first) =>
        document.querySelector('[data-testid="transaction-row"]')?.getAttribute('data-transaction-id') ===
        String(first),
      firstPage[0],
    );
    expect(await rowIds()).toEqual(firstPage);
    expect(errors).toEqual([]);
    await close();
  });

  test('when the user logs out, then sessionStorage is empty and protected pages lead back to login', async () => {
    const { page, errors, close } = await openPage();
    await logIn(page, config);
    expect(await page.evaluate(() => window.sessionStorage.getItem('paygate.session'))).not.toBeNull();
    // The key is kept nowhere a script can read; the session cookie is httpOnly.
    const readable = await page.evaluate(() => JSON.stringify(Object.entries(window.sessionStorage)) + document.cookie);
    expect(readable).not.toContain(config.apiKey);
    expect(readable).not.toContain('paygate_session=');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();

    expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    await page.goto(`${config.webUrl}/deposits`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(errors).toEqual([]);
    await close();
  });
});
