// Goal: on SIGTERM the API stops taking requests, finishes the ones in flight, and exits cleanly.
// Method: hold the wallet's row lock so a withdrawal is mid-flight (seen waiting on the lock in
// pg_stat_activity), send SIGTERM, see the server refuse connections, release the lock.
import http from 'node:http';

import { afterAll, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

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
      await waitFor(async () => {
        const { rows } = await helper!.pool.query<{ count: string }>(
          "SELECT count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        return Number(rows[0]?.count) > 0 ? true : undefined;
      }, 'the withdrawal to wait on the wallet lock');
      processApi.child.kill('SIGTERM');
      await waitFor(
        async () => ((await isRefused(`${processApi.baseUrl}/health`)) ? true : undefined),
        'the server to stop taking connections',
      );
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

describe('graceful shutdown with open event streams', () => {
  test('when SIGTERM arrives while event streams are open, then they end at once and the exit does not wait for the grace period', async () => {
    helper ??= await startApi();
    const graceMs = 30_000;
    const processApi = await spawnApi(testEnv({ LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(graceMs) }));
    const user = await givenUser('1.00');
    try {
      const response = await fetch(`${processApi.baseUrl}/api/v1/events`, { headers: { 'x-api-key': user.apiKey } });
      expect(response.status).toBe(200);
      const reader = response.body?.getReader();
      const ended = (async () => {
        for (;;) {
          const chunk = await reader?.read().catch(() => ({ done: true }));
          if (!chunk || chunk.done) return true;
        }
      })();
      const signalledAt = Date.now();
      processApi.child.kill('SIGTERM');
      expect(await ended).toBe(true);
      expect(await processApi.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(graceMs);
    } finally {
      await processApi.stop('SIGKILL');
    }
  });
});

/** Whether a new connection (never a kept-alive one) to the server is refused. */
function isRefused(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      resolve(false);
    });
    request.on('error', () => resolve(true));
  });
}
