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

/** Collects console errors and uncaught exceptions of a page, for "no console errors" checks. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    // At start the app asks GET /auth/me whether a session cookie is live; for a visitor it is not (401), or
    // without an API there is no answer (502), and the browser logs that expected refusal as a failed load.
    // The app handles it (the login page shows); any other failed load still counts.
    if (message.location().url.endsWith('/api/v1/auth/me') && message.text().startsWith('Failed to load resource')) {
      return;
    }
    errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 375, height: 812 } as const;
