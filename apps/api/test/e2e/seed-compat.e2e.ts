/**
 * A client written against the seed (SEED.md: its README, endpoints and webhook form) replayed against the
 * real stack (built api, worker and bank-sim as processes): it logs in with {username, password} and reads
 * user_id and message, probes /health for "healthy" and service, reads message from /, deposits,
 * withdraws, is refused for insufficient balance, retries with the same Idempotency-Key, reads its balance
 * and history, meets the 10/min balance limit, and settles a deposit with a webhook in the seed's form
 * (no order key, amount, currency or timestamp), signed as the seed's README does in Python:
 * json.dumps(payload, separators=(',', ':'), sort_keys=True), HMAC-SHA256, hex. Everything waits on states
 * (the deposit's status, the stored bank reference), never on a guessed time.
 */
import { createHmac, randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

import { UserAdmin } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import type { Stack } from '@paygate/testkit';
import { startStack } from '@paygate/testkit';

let stack: Stack;
let prisma: ReturnType<typeof createPrismaClient>;

beforeAll(async () => {
  const run = inject('run');
  stack = await startStack({
    run,
    env: {
      bank: { BANK_MIN_DELAY_MS: '50', BANK_MAX_DELAY_MS: '150', BANK_SUCCESS_RATE: '1' },
      // The reconciler must not settle the deposit whose webhook the test sends itself.
      worker: { AMQP_QUEUE_EXPIRES_MS: '60000', RECONCILE_PROCESSING_AFTER_MS: '3600000' },
    },
  });
  prisma = createPrismaClient(run.databaseUrl, 2);
});

afterAll(async () => {
  await stack.stop();
  await prisma.$disconnect();
  await deleteExchanges(inject('run').amqpUrl, inject('run').amqpPrefix);
});

interface SeedUser {
  id: number;
  email: string;
  apiKey: string;
}

async function givenUser(openingBalanceMinor: bigint): Promise<SeedUser> {
  const created = await new UserAdmin(prisma).createUser({
    email: `seed-${randomUUID().slice(0, 12)}@test.paygate`,
    openingBalanceMinor,
    currency: 'USD',
  });
  return { id: created.id, email: created.email, apiKey: created.apiKey };
}

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seed's client reads JSON by field name.
  body: any;
}

async function request(
  method: string,
  path: string,
  options: { apiKey?: string; key?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers['X-API-Key'] = options.apiKey;
  if (options.key !== undefined) headers['Idempotency-Key'] = options.key;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Polls a read until it satisfies the predicate: waits on the system's state, with a deadline. */
async function until(read: () => Promise<Answer>, done: (answer: Answer) => boolean, what: string): Promise<Answer> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await read();
    if (done(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(answer.body)} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The seed README's Python: json.dumps(payload, separators=(',', ':'), sort_keys=True), then hex HMAC-SHA256. */
function seedSignature(payload: Record<string, unknown>, secret: string): string {
  const sorted = Object.fromEntries(Object.entries(payload).sort(([left], [right]) => (left < right ? -1 : 1)));
  return createHmac('sha256', secret).update(JSON.stringify(sorted)).digest('hex');
}

describe("a client of the seed, unchanged, against Paygate's stack", () => {
  test('when it probes / and /health, then it reads message, version, "healthy" and service', async () => {
    const root = await request('GET', '/');
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({ message: expect.any(String), version: expect.any(String) });
    const health = await request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'healthy', service: expect.any(String) });
  });

  test('when it logs in with {username, password} (or {email, api_key}), then it reads user_id, message and api_key', async () => {
    const user = await givenUser(0n);
    for (const body of [
      { username: user.email, password: user.apiKey },
      { email: user.email, api_key: user.apiKey },
    ]) {
      const login = await request('POST', '/api/v1/auth/login', { body });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({
        user_id: user.id,
        message: 'Login successful',
        api_key: user.apiKey,
        email: user.email,
      });
    }
    const wrong = await request('POST', '/api/v1/auth/login', {
      body: { username: user.email, password: 'pgk_wrong' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('unauthorized');
  });

  test('when it deposits, withdraws and reads balance and history, then the bank settles both and the money adds up', async () => {
    const user = await givenUser(100_000n); // 1000.00
    const deposit = await request('POST', '/api/v1/deposits', {
      apiKey: user.apiKey,
      key: randomUUID(),
      body: { amount: 100.5 },
    });
    expect(deposit.status).toBe(202);
    expect(deposit.body).toMatchObject({ status: 'pending', amount: '100.50', type: 'deposit', user_id: user.id });
    const settledDeposit = await until(
      () => request('GET', `/api/v1/deposits/${deposit.body.id}`, { apiKey: user.apiKey }),
      (answer) => answer.body.status === 'success',
      'deposit',
    );
    expect(settledDeposit.body.bank_reference).toEqual(expect.any(String));

    const withdrawal = await request('POST', '/api/v1/withdrawals', {
      apiKey: user.apiKey,
      key: randomUUID(),
      body: { amount: '50.00' },
    });
    expect(withdrawal.status).toBe(202);
    await until(
      () => request('GET', `/api/v1/withdrawals/${withdrawal.body.id}`, { apiKey: user.apiKey }),
      (answer) => answer.body.status === 'success',
      'withdrawal',
    );

    const balance = await request('GET', `/api/v1/users/${user.id}/balance`, { apiKey: user.apiKey });
    expect(balance.body).toEqual({
      user_id: user.id,
      balance: '1050.50',
      available_balance: '1050.50',
      currency: 'USD',
    });
    const history = await request('GET', `/api/v1/users/${user.id}/transactions`, { apiKey: user.apiKey });
    expect(history.body.items.map((item: { id: number }) => item.id)).toEqual([withdrawal.body.id, deposit.body.id]);
    expect(history.body.total).toBe(2);
    const deposits = await request('GET', `/api/v1/users/${user.id}/transactions?type=deposit`, {
      apiKey: user.apiKey,
    });
    expect(deposits.body.items.map((item: { type: string }) => item.type)).toEqual(['deposit']);
    for (const [path, id] of [
      ['/api/v1/deposits', deposit.body.id],
      ['/api/v1/withdrawals', withdrawal.body.id],
    ]) {
      expect(
        (await request('GET', String(path), { apiKey: user.apiKey })).body.items.map((item: { id: number }) => item.id),
      ).toEqual([id]);
    }
  });

  test('when it withdraws more than the balance, then 400 insufficient_balance and nothing is created', async () => {
    const user = await givenUser(0n);
    const refused = await request('POST', '/api/v1/withdrawals', {
      apiKey: user.apiKey,
      key: randomUUID(),
      body: { amount: '10.00' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('insufficient_balance');
    expect((await request('GET', `/api/v1/users/${user.id}/transactions`, { apiKey: user.apiKey })).body.total).toBe(0);
  });

  test('when it retries with the same Idempotency-Key, then the first answer comes back and nothing is created twice', async () => {
    const user = await givenUser(0n);
    const key = randomUUID();
    const first = await request('POST', '/api/v1/deposits', { apiKey: user.apiKey, key, body: { amount: '20.00' } });
    const again = await request('POST', '/api/v1/deposits', { apiKey: user.apiKey, key, body: { amount: '20.00' } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // A departure from the seed (README): another body under the same key is refused, not replayed.
    expect(
      (await request('POST', '/api/v1/deposits', { apiKey: user.apiKey, key, body: { amount: '30.00' } })).status,
    ).toBe(422);
    expect((await request('GET', '/api/v1/deposits', { apiKey: user.apiKey })).body.total).toBe(1);
  });

  test('when it reads the balance 11 times in a minute, then the 11th is 429 with Retry-After and retry_after', async () => {
    const user = await givenUser(0n);
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let index = 0; index < 11; index += 1) {
      last = await request('GET', `/api/v1/users/${user.id}/balance`, { apiKey: user.apiKey });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
    expect(last?.body).toMatchObject({
      error: 'rate_limit_exceeded',
      message: 'Too many requests. Please try again later.',
      retry_after: expect.any(Number),
    });
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test("when the bank's webhook comes in the seed's form for the stored bank reference, then it settles the deposit once", async () => {
    const user = await givenUser(0n);
    await stack.controlBank({ drop_webhooks: true });
    try {
      const deposit = await request('POST', '/api/v1/deposits', {
        apiKey: user.apiKey,
        key: randomUUID(),
        body: { amount: '5.00' },
      });
      expect(deposit.status).toBe(202);
      // The bank accepted the order and the worker stored its reference; the bank's own webhook is dropped.
      const processing = await until(
        () => request('GET', `/api/v1/deposits/${deposit.body.id}`, { apiKey: user.apiKey }),
        (answer) => answer.body.status === 'processing' && answer.body.bank_reference !== null,
        'bank reference',
      );
      const payload = {
        transaction_id: deposit.body.id,
        bank_reference: processing.body.bank_reference,
        status: 'success',
        error_message: null,
      };
      const webhook = { ...payload, signature: seedSignature(payload, stack.webhookSecret) };

      const forged = await request('POST', '/webhooks/bank-callback', {
        body: { ...webhook, signature: seedSignature(payload, 'not-the-secret') },
      });
      expect(forged.status).toBe(401);
      const applied = await request('POST', '/webhooks/bank-callback', { body: webhook });
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({ received: true, outcome: 'applied' });
      const replayed = await request('POST', '/webhooks/bank-callback', { body: webhook });
      expect(replayed.status).toBe(200);
      expect(replayed.body.outcome).toBe('duplicate');

      const settled = await request('GET', `/api/v1/deposits/${deposit.body.id}`, { apiKey: user.apiKey });
      expect(settled.body).toMatchObject({ status: 'success', bank_reference: processing.body.bank_reference });
      expect((await request('GET', `/api/v1/users/${user.id}/balance`, { apiKey: user.apiKey })).body.balance).toBe(
        '5.00',
      );
      // A departure from the seed: a webhook naming another bank reference settles nothing.
      const other = { ...payload, bank_reference: 'BNK-NOT-OURS' };
      expect(
        (
          await request('POST', '/webhooks/bank-callback', {
            body: { ...other, signature: seedSignature(other, stack.webhookSecret) },
          })
        ).status,
      ).toBe(409);
    } finally {
      await stack.controlBank({ reset: true });
    }
  });
});

/** The worker's exchanges do not expire like its queues; delete them so runs leave nothing behind. */
async function deleteExchanges(amqpUrl: string, prefix: string): Promise<void> {
  try {
    const connection = await amqp.connect(amqpUrl);
    const channel = await connection.createChannel();
    for (const suffix of ['transactions', 'transactions.retry', 'transactions.dlx'])
      await channel.deleteExchange(`${prefix}.${suffix}`);
    await connection.close();
  } catch {
    // Left for the broker's operator; the names carry the run id.
  }
}
