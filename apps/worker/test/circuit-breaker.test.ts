// Goal: after BREAKER_FAILURE_THRESHOLD consecutive bank failures the breaker opens, the bank is not called
// while it is open (the attempt still counts and waits at least the cool-down), and one successful trial
// closes it again. Method: a worker with threshold 3 and a 600 ms cool-down; the bank answers 503 until the
// test sees paygate_worker_breaker_state = 2 on /metrics, then behaves.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { givenTransaction, givenUserWithWallet, waitFor, waitForStatus } from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld('breaker', {
    BREAKER_FAILURE_THRESHOLD: '3',
    BREAKER_COOLDOWN_MS: '600',
    RETRY_COUNT_MAX: '5',
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
    const postCountWhenOpened = world.bank.postsFor(id).length;
    await world.bank.control({ reset: true });

    const settled = await waitForStatus(world.pool, id, ['success', 'failed']);

    expect(postCountWhenOpened).toBe(3);
    expect(settled.status).toBe('success');
    // Attempt 3 met the open breaker and never reached the bank; attempt 4 was the half-open trial.
    expect(world.probe.tappedFor(id).map((message) => message.headers['x-attempt'])).toEqual([0, 1, 2, 3, 4]);
    expect(world.bank.postsFor(id)).toHaveLength(4);
    expect(await world.metric('paygate_worker_retries_total', { kind: 'breaker_open' })).toBe(1);
    expect(world.probe.tappedFor(id)[4]?.headers['x-retry-reason']).toMatch(/^circuit breaker open/);
    expect(await world.metric('paygate_worker_breaker_state')).toBe(0);
  });
});
