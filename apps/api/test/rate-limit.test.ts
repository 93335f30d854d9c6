// Goal: per-user and global limits hold exactly, across API instances, with the documented headers, and
// the API keeps serving when Redis is gone. Method: real Redis; two real API processes for the shared case.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { TestApi } from './setup/api';
import { getAs, givenUser, postDeposit, startApi, testEnv } from './setup/api';
import type { ApiProcess } from './setup/process';
import { spawnApi } from './setup/process';

let api: TestApi;
beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_BALANCE_PER_MIN: '10', RATE_LIMIT_TRANSACTIONS_PER_MIN: '20' });
});
afterAll(() => api.close());

describe('rate limits', () => {
  test('when 11 balance calls come at once, then 10 x 200 then 429 with Retry-After and the seed body', async () => {
    const user = await givenUser();
    const answers = [];
    for (let call = 0; call < 11; call += 1) answers.push(await getAs(api, user, `/api/v1/users/${user.id}/balance`));
    expect(answers.map((answer) => answer.status)).toEqual([...Array<number>(10).fill(200), 429]);
    const first = answers[0]!;
    expect(first.headers.get('x-ratelimit-limit')).toBe('10');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('9');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(first.headers.get('ratelimit-policy')).toBe('"balance";q=10;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"balance";r=9;t=\d+$/);
    const refused = answers[10]!;
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please try again later.',
      retry_after: retryAfter,
      request_id: expect.any(String),
    });
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  test('when one user is limited, then another user is not', async () => {
    const [busy, calm] = [await givenUser(), await givenUser()];
    for (let call = 0; call < 10; call += 1) await getAs(api, busy, `/api/v1/users/${busy.id}/balance`);
    expect((await getAs(api, busy, `/api/v1/users/${busy.id}/balance`)).status).toBe(429);
    expect((await getAs(api, calm, `/api/v1/users/${calm.id}/balance`)).status).toBe(200);
  });

  test('when history and lists are called 21 times, then the 21st is refused (one shared window of 20)', async () => {
    const user = await givenUser();
    const paths = [`/api/v1/users/${user.id}/transactions`, '/api/v1/deposits', '/api/v1/withdrawals'];
    const statuses: number[] = [];
    for (let call = 0; call < 21; call += 1) statuses.push((await getAs(api, user, paths[call % 3]!)).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  test('when the global limit is reached, then every user is refused', async () => {
    const tight = await startApi({ RATE_LIMIT_GLOBAL_PER_MIN: '5' });
    try {
      const [first, second] = [await givenUser('10.00'), await givenUser('10.00')];
      const statuses: number[] = [];
      for (let call = 0; call < 3; call += 1) statuses.push((await postDeposit(tight, first, '1.00')).status);
      for (let call = 0; call < 3; call += 1)
        statuses.push((await getAs(tight, second, `/api/v1/users/${second.id}/balance`)).status);
      expect(statuses).toEqual([202, 202, 202, 200, 200, 429]);
    } finally {
      await tight.close();
    }
  });

  test('when Redis cannot be reached, then the API fails open, logs a warning and counts it; fail-closed answers 503', async () => {
    const open = await startApi({ REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'warn' });
    const closed = await startApi({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_FAIL_OPEN: 'false' });
    try {
      const user = await givenUser('1.00');
      expect((await getAs(open, user, `/api/v1/users/${user.id}/balance`)).status).toBe(200);
      expect(open.logLines.some((line) => line.includes('rate limiter unavailable'))).toBe(true);
      const metrics = await fetch(`${open.baseUrl}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/paygate_api_rate_limiter_errors_total\{decision="allowed"\} [1-9]/);
      const refused = await getAs(closed, user, `/api/v1/users/${user.id}/balance`);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toBe('service_unavailable');
    } finally {
      await Promise.all([open.close(), closed.close()]);
    }
  });
});

describe('rate limits across API processes', () => {
  let processes: ApiProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
  });

  test('when 20 balance calls are spread over two API processes sharing Redis, then exactly 10 pass', async () => {
    const env = testEnv({ RATE_LIMIT_BALANCE_PER_MIN: '10', LOG_LEVEL: 'warn' });
    processes = await Promise.all([spawnApi(env), spawnApi(env)]);
    const user = await givenUser();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        getAs({ baseUrl: processes[index % 2]!.baseUrl } as TestApi, user, `/api/v1/users/${user.id}/balance`),
      ),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(10);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(10);
  });
});
