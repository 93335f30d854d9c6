/**
 * Goal: the built app, served as `pnpm start` serves it, works in a real browser without the API: the
 * login page renders, can be used from the keyboard with a visible focus ring, deep links serve the SPA,
 * and nothing logs an error. Screenshots go to artifacts/ for a person to look at.
 * Method: `pnpm build`, then `pnpm start` on a free port with API_URL at a port where nothing listens;
 * the machine's Chromium through playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { collectErrors, DESKTOP, launchChromium, PHONE } from './support/browser';
import type { ServedApp } from './support/serve';
import { buildApp, freePort, startBuiltApp, WEB_DIR } from './support/serve';

const ARTIFACTS = join(WEB_DIR, 'artifacts');

let app: ServedApp | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await buildApp();
  app = await startBuiltApp(`http://127.0.0.1:${await freePort()}`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openPage(viewport: {
  width: number;
  height: number;
}): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  if (browser === undefined) throw new Error('browser not started');
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { page, errors: collectErrors(page), close: () => context.close() };
}

function url(path: string): string {
  if (app === undefined) throw new Error('app not started');
  return `${app.url}${path}`;
}

/** Describes the focused element as "tag#id" (or its text for buttons). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (element === null) return 'none';
    return `${element.tagName.toLowerCase()}#${element.id || element.textContent.trim()}`;
  });
}

describe('the built app without an API', () => {
  test('when / is opened, then the login page renders and is keyboard-usable, with no console errors', async () => {
    const { page, errors, close } = await openPage(DESKTOP);

    await page.goto(url('/'));
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.title()).toBe('Log in · Paygate');
    await page.screenshot({ path: join(ARTIFACTS, 'login-1280.png'), fullPage: true });

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input#login-email');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement ?? document.body).outlineStyle);
    expect(ring).not.toBe('none');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input#login-api-key');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button#Log in');

    // Enter on the button submits; empty fields are refused in the page, without calling the API.
    await page.keyboard.press('Enter');
    await page.getByText('Enter your email.').waitFor();
    expect(await page.getByRole('alert').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(ARTIFACTS, 'login-errors-1280.png'), fullPage: true });

    expect(errors).toEqual([]);
    await close();
  });

  test('when the login page is shown at 375 px, then nothing overflows sideways', async () => {
    const { page, errors, close } = await openPage(PHONE);

    await page.goto(url('/login'));
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'login-375.png'), fullPage: true });

    expect(errors).toEqual([]);
    await close();
  });

  test('when deep links are loaded directly, then the server answers with the app and it asks for a login', async () => {
    for (const path of ['/deposits', '/withdrawals/12', '/transactions/5']) {
      const response = await fetch(url(path));
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain('<div id="root"></div>');
    }
    const { page, errors, close } = await openPage(DESKTOP);

    await page.goto(url('/deposits/5'));
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    expect(errors).toEqual([]);
    await close();
  });

  test('when a login is tried while the API is down, then the page says so and the key stays out of the URL', async () => {
    const { page, errors, close } = await openPage(DESKTOP);
    const key = 'pgk_smoke_not_a_real_key';

    await page.goto(url('/login'));
    await page.getByLabel('Email').fill('alice@example.com');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Log in' }).click();

    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('temporarily unavailable');
    expect(page.url()).not.toContain(key);
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
    // The browser itself reports the failed request; nothing else may be logged, and never the key.
    expect(errors.filter((error) => !error.includes('Failed to load resource'))).toEqual([]);
    expect(errors.join('\n')).not.toContain(key);
    await close();
  });
});
