// Goal: per-user, per-client, system and login limits hold exactly, across API instances, with the
// documented headers; no client can lock another out; and the API keeps serving (login still limited, in
// process) when Redis is gone. Method: real Redis, a closed port for Redis down, X-Forwarded-For from
// loopback (trusted by default) to play many addresses; two real API processes for the shared case.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import type { TestApi } from './setup/api';
import { call, getAs, givenUser, postDeposit, startApi, testEnv } from './setup/api';
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

  test('when one user spends the whole client window, then that user gets 429 and another user and an anonymous client do not', async () => {
    const tight = await startApi({ RATE_LIMIT_GLOBAL_PER_MIN: '5' });
    try {
      const [busy, calm] = [await givenUser('10.00'), await givenUser('10.00')];
      const statuses: number[] = [];
      for (let call = 0; call < 3; call += 1) statuses.push((await postDeposit(tight, busy, '1.00')).status);
      for (let call = 0; call < 3; call += 1)
        statuses.push((await getAs(tight, busy, `/api/v1/users/${busy.id}/balance`)).status);
      expect(statuses).toEqual([202, 202, 202, 200, 200, 429]);
      const refused = await postDeposit(tight, busy, '1.00');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('ratelimit-policy')).toBe('"global";q=5;w=60');
      expect((await getAs(tight, calm, `/api/v1/users/${calm.id}/balance`)).status).toBe(200);
      expect((await postDeposit(tight, calm, '1.00')).status).toBe(202);
      expect((await call(tight.baseUrl, `/api/v1/users/${calm.id}/balance`)).status).toBe(401);
    } finally {
      await tight.close();
    }
  });

  test('when a user sends any kind of /api/v1 request (create, get one, list, 404, 405), then each counts against the client window', async () => {
    const tight = await startApi({ RATE_LIMIT_GLOBAL_PER_MIN: '6' });
    try {
      const user = await givenUser('10.00');
      const created = await postDeposit(tight, user, '1.00');
      const answers = [
        created,
        await getAs(tight, user, `/api/v1/deposits/${created.body.id}`),
        await getAs(tight, user, '/api/v1/withdrawals'),
        await getAs(tight, user, '/api/v1/refunds'),
        await call(tight.baseUrl, '/api/v1/deposits', { method: 'DELETE', headers: { 'x-api-key': user.apiKey } }),
        await getAs(tight, user, `/api/v1/users/${user.id}/transactions`),
        await getAs(tight, user, `/api/v1/deposits/${created.body.id}`),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([202, 200, 200, 404, 405, 200, 429]);
      // Lists show their own window in the headers (the route's limit comes first); the others the client's.
      expect([0, 1, 3, 4].map((index) => answers[index]!.headers.get('x-ratelimit-remaining'))).toEqual([
        '5',
        '4',
        '2',
        '1',
      ]);
      expect(answers[3]!.headers.get('ratelimit-policy')).toBe('"global";q=6;w=60');
    } finally {
      await tight.close();
    }
  });

  test('when anonymous clients fail to authenticate, then each address has its own window (X-Forwarded-For trusted from loopback)', async () => {
    const tight = await startApi({ RATE_LIMIT_GLOBAL_PER_MIN: '3' });
    try {
      const user = await givenUser();
      const asAddress = (address: string) =>
        call(tight.baseUrl, '/api/v1/deposits', { headers: { 'x-api-key': 'pgk_guess', 'x-forwarded-for': address } });
      const guesses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) guesses.push((await asAddress('203.0.113.1')).status);
      expect(guesses).toEqual([401, 401, 401, 429]);
      expect((await asAddress('203.0.113.2')).status).toBe(401);
      expect((await getAs(tight, user, `/api/v1/users/${user.id}/balance`)).status).toBe(200);
    } finally {
      await tight.close();
    }
  });

  test("when API_TRUST_PROXY=false, then X-Forwarded-For is ignored and every forged address shares the socket's window", async () => {
    const tight = await startApi({ RATE_LIMIT_GLOBAL_PER_MIN: '3', API_TRUST_PROXY: 'false' });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        statuses.push(
          (await call(tight.baseUrl, '/api/v1/deposits', { headers: { 'x-forwarded-for': `198.51.100.${attempt}` } }))
            .status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await tight.close();
    }
  });

  test('when the system ceiling is reached, then every client is refused until the window frees; 0 turns it off', async () => {
    const ceiling = await startApi({ RATE_LIMIT_SYSTEM_PER_MIN: '4' });
    const unbounded = await startApi({ RATE_LIMIT_SYSTEM_PER_MIN: '0', RATE_LIMIT_GLOBAL_PER_MIN: '1000' });
    try {
      const users = [await givenUser(), await givenUser(), await givenUser()];
      const statuses: number[] = [];
      for (const user of [...users, ...users])
        statuses.push((await getAs(ceiling, user, `/api/v1/users/${user.id}/balance`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      const refused = await getAs(ceiling, users[2]!, `/api/v1/users/${users[2]!.id}/balance`);
      expect(refused.body).toMatchObject({ error: 'rate_limit_exceeded', retry_after: expect.any(Number) });
      const metrics = await fetch(`${ceiling.baseUrl}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/paygate_api_rate_limited_total\{scope="system"\} [1-9]/);
      for (let call = 0; call < 10; call += 1)
        expect((await getAs(unbounded, users[0]!, `/api/v1/users/${users[0]!.id}/balance`)).status).toBe(200);
    } finally {
      await Promise.all([ceiling.close(), unbounded.close()]);
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

describe('POST /api/v1/auth/login limits', () => {
  const login = (target: TestApi, email: string, apiKey: string, address: string) =>
    call(target.baseUrl, '/api/v1/auth/login', {
      headers: { 'x-forwarded-for': address },
      body: { email, api_key: apiKey },
    });

  test('when one address tries too often, then even a correct key is refused from there, and not from another address', async () => {
    const limited = await startApi({ RATE_LIMIT_LOGIN_PER_MIN: '3' });
    try {
      const user = await givenUser();
      const statuses = [
        (await login(limited, user.email, user.apiKey, '203.0.113.10')).status,
        (await login(limited, user.email, 'pgk_wrong_key_0000000000', '203.0.113.10')).status,
        (await login(limited, user.email, user.apiKey, '203.0.113.10')).status,
        (await login(limited, user.email, user.apiKey, '203.0.113.10')).status,
      ];
      expect(statuses).toEqual([200, 401, 200, 429]);
      expect((await login(limited, user.email, user.apiKey, '203.0.113.11')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test('when failures for one email pass the limit, then further failures get 429 from any address, but the correct key still logs in', async () => {
    const limited = await startApi({ RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN: '3' });
    try {
      const [victim, bystander] = [await givenUser(), await givenUser()];
      const failures: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        failures.push(
          (await login(limited, victim.email, `pgk_guess_${attempt}_000000000000`, `198.51.100.${attempt}`)).status,
        );
      }
      expect(failures).toEqual([401, 401, 401, 429, 429]);
      const refused = await login(limited, victim.email.toUpperCase(), 'pgk_guess_again_00000000000', '198.51.100.99');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('ratelimit-policy')).toBe('"login_failures";q=3;w=60');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.body).toEqual({
        error: 'rate_limit_exceeded',
        message: 'Too many requests. Please try again later.',
        retry_after: expect.any(Number),
        request_id: expect.any(String),
      });
      const loggedIn = await login(limited, victim.email, victim.apiKey, '198.51.100.200');
      expect(loggedIn.status).toBe(200);
      expect(loggedIn.body.id).toBe(victim.id);
      expect((await login(limited, bystander.email, 'pgk_wrong_key_0000000000', '198.51.100.1')).status).toBe(401);
    } finally {
      await limited.close();
    }
  });

  test('when the email belongs to nobody, then failures are limited the same way (the answers do not tell who exists)', async () => {
    const limited = await startApi({ RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN: '2' });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1)
        statuses.push((await login(limited, 'nobody@test.paygate', 'pgk_guess_000000000000', '192.0.2.1')).status);
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  test('when Redis is unreachable (fail open), then login falls back to in-process windows while other routes go unlimited', async () => {
    const redisDown = await startApi({
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_LOGIN_PER_MIN: '4',
      RATE_LIMIT_LOGIN_FAILURES_PER_EMAIL_PER_MIN: '2',
      RATE_LIMIT_BALANCE_PER_MIN: '2',
    });
    try {
      const user = await givenUser();
      const perEmail = [
        (await login(redisDown, user.email, 'pgk_guess_1_000000000000', '192.0.2.20')).status,
        (await login(redisDown, user.email, 'pgk_guess_2_000000000000', '192.0.2.21')).status,
        (await login(redisDown, user.email, 'pgk_guess_3_000000000000', '192.0.2.22')).status,
        (await login(redisDown, user.email, user.apiKey, '192.0.2.23')).status,
      ];
      expect(perEmail).toEqual([401, 401, 429, 200]);
      const perAddress: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1)
        perAddress.push((await login(redisDown, user.email, user.apiKey, '192.0.2.30')).status);
      expect(perAddress).toEqual([200, 200, 200, 200, 429]);
      for (let call = 0; call < 4; call += 1)
        expect((await getAs(redisDown, user, `/api/v1/users/${user.id}/balance`)).status).toBe(200);
      const metrics = await fetch(`${redisDown.baseUrl}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/paygate_api_rate_limiter_errors_total\{decision="local"\} [1-9]/);
      expect(metrics).toMatch(/paygate_api_rate_limiter_errors_total\{decision="allowed"\} [1-9]/);
    } finally {
      await redisDown.close();
    }
  });

  test('when Redis is unreachable and limits fail closed, then login answers 503 like every limited route', async () => {
    const closed = await startApi({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_FAIL_OPEN: 'false' });
    try {
      const user = await givenUser();
      const answer = await login(closed, user.email, user.apiKey, '192.0.2.40');
      expect(answer.status).toBe(503);
      expect(answer.body.error).toBe('service_unavailable');
    } finally {
      await closed.close();
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
