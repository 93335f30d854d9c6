import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * The machine's own Chromium (apt), driven by playwright-core: no browser download. Flags keep it quiet
 * and offline apart from the app under test.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The operator API's repairs, which answer 409 repair_refused when they do not apply. */
const REPAIR_URL = /\/api\/v1\/admin\/(payments\/\d+\/(reconcile|retry|fail)|dead-letters\/\d+\/replay)$/;

/**
 * Console errors and uncaught exceptions of a page. Chromium reports every HTTP error answer to fetch as
 * "Failed to load resource"; two are answers by design and left out: the console's start-up check (GET
 * /auth/me) answers 401 before login, and a repair that does not apply answers 409 repair_refused, which
 * the console shows in words.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const url = message.location().url;
    if (/Failed to load resource: .*status of 401/.test(text) && url.endsWith('/auth/me')) return;
    if (/Failed to load resource: .*status of 409/.test(text) && REPAIR_URL.test(url)) return;
    errors.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 375, height: 812 } as const;
