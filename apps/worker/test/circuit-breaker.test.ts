// Goal: after BREAKER_FAILURE_THRESHOLD consecutive bank failures the breaker opens, the bank is not called
// while it is open (a message that meets it waits for the half-open probe and is not an attempt), and one
// successful trial closes it again. Method: a worker with threshold 3 and a 640 ms cool-down; the bank answers
// 503 until the test sees paygate_worker_breaker_state = 2 on /metrics, then behaves.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { givenTransaction, givenUserWithWallet, waitForStatus } from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld('breaker', {
    BREAKER_FAILURE_THRESHOLD: '3',
    BREAKER_COOLDOWN_MS: '640',
    RETRY_HORIZON_MS: '60000',
  });
});

afterAll(async () => {
  await world.stop();
});

describe('bank circuit breaker', () => {
  test('when the bank fails 3 times in a row, then the breaker opens, the bank is left alone, and a later trial closes it', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    expect(await world.metric('paygate_worker_breaker_state')).toBe(0);
    await world.bank.control({ mode: 'always_503' });
    const id = await givenTransaction(world.pool, userId, 'deposit', 4_200n);

    await waitFor(
      async () => ((await world.metric('paygate_worker_breaker_state')) === 2 ? true : undefined),
      'the breaker to open',
    );
    const postCountWhenOpened = (await world.postsFor(id)).length;
    await waitFor(
      async () => (((await world.metric('paygate_worker_breaker_waits_total')) ?? 0) >= 1 ? true : undefined),
      'a message to wait for the breaker',
    );
    await world.bank.control({ reset: true });

    const settled = await waitForStatus(world.pool, id, ['success', 'failed']);

    expect(postCountWhenOpened).toBe(3);
    expect(settled.status).toBe('success');
    const postCount = (await world.postsFor(id)).length;
    const attempts = world.probe.tappedFor(id).map((message) => Number(message.headers['x-attempt']));
    // Every copy's x-attempt counts the bank calls made before it: a wait for the breaker is not one, so
    // attempt 3 comes round again (at least once) without a call, and the half-open trial is the next call.
    expect(attempts.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(attempts.filter((attempt) => attempt === 3).length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...attempts)).toBe(postCount - 1);
    const waitCopy = world.probe
      .tappedFor(id)
      .find((message, index) => index > 3 && message.headers['x-attempt'] === 3);
    expect(waitCopy?.headers['x-retry-reason']).toMatch(/HTTP 503/);
    expect(await world.metric('paygate_worker_breaker_state')).toBe(0);
  });
});
