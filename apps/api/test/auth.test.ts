// Goal: only a valid, unrevoked key gets in; login checks email and key together, in Paygate's form and the
// seed's, and answers what the seed's clients read.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { LoginAnswerWire } from '@paygate/contracts';

import type { TestApi } from './setup/api';
import { adminFor, call, getAs, givenUser, startApi } from './setup/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('API key authentication', () => {
  test('when the key is invalid or missing, then 401 unauthorized', async () => {
    const user = await givenUser();
    const wrong = await call(api.baseUrl, `/api/v1/users/${user.id}/balance`, {
      headers: { 'x-api-key': 'pgk_not-a-real-key' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'unauthorized', request_id: expect.any(String) });
    expect((await call(api.baseUrl, `/api/v1/users/${user.id}/balance`)).status).toBe(401);
  });

  test('when the key comes as a Bearer token, then it works like X-API-Key', async () => {
    const user = await givenUser('1.00');
    const answer = await call(api.baseUrl, `/api/v1/users/${user.id}/balance`, {
      headers: { authorization: `Bearer ${user.apiKey}` },
    });
    expect(answer.status).toBe(200);
  });

  test('when a key is revoked or rotated, then it stops working and the new one works', async () => {
    const user = await givenUser();
    expect((await getAs(api, user, `/api/v1/users/${user.id}/balance`)).status).toBe(200);
    const rotated = await adminFor().rotateKey(user.id);
    expect((await getAs(api, user, `/api/v1/users/${user.id}/balance`)).status).toBe(401);
    expect((await getAs(api, { ...user, apiKey: rotated.apiKey }, `/api/v1/users/${user.id}/balance`)).status).toBe(
      200,
    );
    await adminFor().revokeKeys(user.id);
    expect((await getAs(api, { ...user, apiKey: rotated.apiKey }, `/api/v1/users/${user.id}/balance`)).status).toBe(
      401,
    );
  });
});

describe('POST /api/v1/auth/login', () => {
  test('when email and key match, then 200 with the user and what the seed answered (user_id, api_key, message)', async () => {
    const user = await givenUser();
    const answer = await call(api.baseUrl, '/api/v1/auth/login', {
      body: { email: user.email.toUpperCase(), api_key: user.apiKey },
    });
    expect(answer.status).toBe(200);
    expect(LoginAnswerWire.parse(answer.body)).toEqual({
      id: user.id,
      email: user.email,
      currency: 'USD',
      created_at: expect.any(String),
      user_id: user.id,
      api_key: user.apiKey,
      message: 'Login successful',
    });
  });

  test("when the seed's form {username, password} is sent, then the same answer as {email, api_key}", async () => {
    const user = await givenUser();
    const paygate = await call(api.baseUrl, '/api/v1/auth/login', {
      body: { email: user.email, api_key: user.apiKey },
    });
    const seed = await call(api.baseUrl, '/api/v1/auth/login', {
      body: { username: ` ${user.email.toUpperCase()} `, password: user.apiKey },
    });
    expect(seed.status).toBe(200);
    expect(seed.text).toBe(paygate.text);
  });

  test("when the seed's form has a wrong password or username, then the same 401 as Paygate's form; a missing field is 422 naming it", async () => {
    const [user, other] = [await givenUser(), await givenUser()];
    const answers = await Promise.all([
      call(api.baseUrl, '/api/v1/auth/login', { body: { username: user.email, password: 'pgk_wrong' } }),
      call(api.baseUrl, '/api/v1/auth/login', { body: { username: other.email, password: user.apiKey } }),
      call(api.baseUrl, '/api/v1/auth/login', { body: { username: 'alice', password: user.apiKey } }),
      call(api.baseUrl, '/api/v1/auth/login', { body: { email: user.email, api_key: 'pgk_wrong' } }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401]);
    expect(new Set(answers.map((answer) => answer.body.message)).size).toBe(1);
    const missing = await call(api.baseUrl, '/api/v1/auth/login', { body: { username: user.email } });
    expect(missing.status).toBe(422);
    expect(missing.body.details).toEqual([expect.objectContaining({ field: 'password' })]);
  });

  test("when the email is another user's or the key is wrong, then the same 401", async () => {
    const [user, other] = [await givenUser(), await givenUser()];
    const wrongEmail = await call(api.baseUrl, '/api/v1/auth/login', {
      body: { email: other.email, api_key: user.apiKey },
    });
    const wrongKey = await call(api.baseUrl, '/api/v1/auth/login', {
      body: { email: user.email, api_key: 'pgk_wrong' },
    });
    expect(wrongEmail.status).toBe(401);
    expect(wrongKey.status).toBe(401);
    expect(wrongEmail.body.message).toBe(wrongKey.body.message);
  });

  test('when someone guesses keys, then the login rate limit stops them', async () => {
    const limited = await startApi({ RATE_LIMIT_LOGIN_PER_MIN: '3' });
    try {
      const user = await givenUser();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        statuses.push(
          (
            await call(limited.baseUrl, '/api/v1/auth/login', {
              body: { email: user.email, api_key: `pgk_guess${attempt}` },
            })
          ).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
