// Goal: on SIGTERM the API stops taking requests, finishes the ones in flight, and exits cleanly.
// Method: hold the wallet's row lock so a withdrawal is mid-flight, send SIGTERM, release the lock.
import { afterAll, describe, expect, test } from 'vitest';

import type { TestApi } from './setup/api';
import { givenUser, postWithdrawal, startApi, testEnv } from './setup/api';
import { spawnApi } from './setup/process';

let helper: TestApi | undefined;
afterAll(() => helper?.close());

describe('graceful shutdown', () => {
  test('when SIGTERM arrives during a request, then that request completes and the process exits 0', async () => {
    helper = await startApi();
    const processApi = await spawnApi(testEnv({ LOG_LEVEL: 'info' }));
    const user = await givenUser('10.00');
    const locker = await helper.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query("SELECT 1 FROM accounts WHERE user_id = $1 AND kind = 'wallet' FOR UPDATE", [user.id]);
      const inFlight = postWithdrawal({ baseUrl: processApi.baseUrl } as TestApi, user, '1.00');
      await new Promise((resolve) => setTimeout(resolve, 300));
      processApi.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const refused = await fetch(`${processApi.baseUrl}/health`).then(() => 'served', () => 'refused');
      expect(refused).toBe('refused');
      await locker.query('COMMIT');
      const answer = await inFlight;
      expect(answer.status).toBe(202);
      expect(await processApi.exited).toBe(0);
      expect(processApi.output.join('')).toContain('shutting down');
    } finally {
      locker.release();
      await processApi.stop('SIGKILL');
    }
  });
});
