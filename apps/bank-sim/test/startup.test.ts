// Goal: a bank with a bad configuration does not start: it exits 1 and says why, naming the variable
// (and, for NODE_ENV, the allowed values). Method: the real entry point as a child process.
import { describe, expect, test } from 'vitest';

import { runChildBankToExit } from './setup/child-bank';

describe('bank start-up', () => {
  test('when NODE_ENV is prod, then it exits 1 naming the allowed values', async () => {
    const exit = await runChildBankToExit({ NODE_ENV: 'prod' });

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('NODE_ENV: must be one of development, test, production');
  }, 60_000);

  test('when production keeps the development secrets, then it exits 1 naming both', async () => {
    const exit = await runChildBankToExit({ NODE_ENV: 'production' });

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('WEBHOOK_SECRET: the development default is refused');
    expect(exit.stderr).toContain('BANK_API_KEY: the development default is refused');
  }, 60_000);
});
