// Goal: the exploits found at the bank boundary now fail to do harm. Only the gateway can order at the
// bank; a correctly signed webhook that names another order changes nothing; the gateway's order keys
// cannot be squatted; a bank outage shorter than the retry horizon ends in success; a bank killed between
// accepting orders and sending their webhooks forgets nothing. Method: api, worker and bank-sim as real
// processes on real PostgreSQL, RabbitMQ and Redis; the attacker is a plain HTTP client; the state is read
// back through the public API, the gateway's database and the ledger audit.
import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';

import type { System, SystemUser } from './support';
import { waitFor } from '@paygate/testkit';

import { auditLedger, balanceOf, deposit, metricValue, settled, statusCounts, useSystem, withdraw } from './support';

/** A plain HMAC over the documented canonical form (keys sorted, no whitespace), as an attacker holding the secret would. */
function signed(payload: Record<string, unknown>, secret: string): Record<string, unknown> {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1))));
  return { ...payload, signature: createHmac('sha256', secret).update(canonical).digest('hex') };
}

async function postWebhook(
  system: System,
  body: unknown,
): Promise<{ status: number; body: { error?: string; outcome?: string } }> {
  const response = await fetch(`${system.stack.apiUrl}/webhooks/bank-callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: string; outcome?: string } };
}

async function bankCall(
  system: System,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${system.stack.bankUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, text: await response.text() };
}

async function transactionRow(system: System, id: number) {
  const { rows } = await system.pool.query<{
    status: string;
    bank_order_key: string | null;
    bank_reference: string | null;
  }>('SELECT status, bank_order_key, bank_reference FROM transactions WHERE id = $1', [id]);
  return rows[0];
}

describe('the bank boundary', () => {
  const system = useSystem('e2e_boundary', { env: { bank: { BANK_MIN_DELAY_MS: '5', BANK_MAX_DELAY_MS: '30' } } });

  test('when anyone but the gateway calls the bank, then 401 and no order exists', async () => {
    const order = { reference: '1', type: 'deposit', amount: '0.01', currency: 'USD' };
    const credentials: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-the-key' },
      { authorization: `Basic ${system().stack.bankApiKey}` },
    ];
    for (const headers of credentials) {
      expect(
        (await bankCall(system(), '/v1/payments', { body: order, headers: { ...headers, 'idempotency-key': '26' } }))
          .status,
      ).toBe(401);
      expect((await bankCall(system(), '/v1/payments/26', { headers })).status).toBe(401);
      expect((await bankCall(system(), '/control', { body: { mode: 'always_fail' }, headers })).status).toBe(401);
    }
    // Not even the gateway's own credential finds an order under the squatted key: none was created.
    const lookup = await bankCall(system(), '/v1/payments/26', {
      headers: { authorization: `Bearer ${system().stack.bankApiKey}` },
    });
    expect(lookup.status).toBe(404);
  });

  test('when an order names its own callback URL, then the bank refuses it', async () => {
    const answer = await bankCall(system(), '/v1/payments', {
      body: {
        reference: '1',
        type: 'deposit',
        amount: '0.01',
        currency: 'USD',
        callback_url: 'http://attacker.invalid/hook',
      },
      headers: { authorization: `Bearer ${system().stack.bankApiKey}`, 'idempotency-key': randomUUID() },
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).toMatch(/callback/i);
  });

  test("when the gateway orders, then the bank's key is the transaction's UUID order key, not its id", async () => {
    const user = await system().createUser('0.00');
    const created = await deposit(system().stack, user, '1.00');
    expect((await settled(system().stack, user, 'deposits', created.body.id)).status).toBe('success');
    const row = await transactionRow(system(), created.body.id);
    expect(row?.bank_order_key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const atBank = await bankCall(system(), `/v1/payments/${row?.bank_order_key ?? ''}`, {
      headers: { authorization: `Bearer ${system().stack.bankApiKey}` },
    });
    expect(JSON.parse(atBank.text)).toMatchObject({
      order_key: row?.bank_order_key,
      reference: String(created.body.id),
      status: 'success',
    });
    expect(
      (
        await bankCall(system(), `/v1/payments/${created.body.id}`, {
          headers: { authorization: `Bearer ${system().stack.bankApiKey}` },
        })
      ).status,
    ).toBe(404);
  });

  test('when a signed success names a declined 1,000,000.00 deposit with another order, then 409 and no money is created', async () => {
    const victim = await system().createUser('0.00');
    await system().stack.controlBank({ mode: 'always_fail' });
    const big = await deposit(system().stack, victim, '1000000.00');
    expect((await settled(system().stack, victim, 'deposits', big.body.id)).status).toBe('failed');
    await system().stack.controlBank({ reset: true });
    const forged = signed(
      {
        transaction_id: big.body.id,
        bank_reference: 'BNK-ATTACKER0001',
        status: 'success',
        error_message: null,
        order_key: randomUUID(),
        amount: '0.01',
        currency: 'USD',
        timestamp: Math.floor(Date.now() / 1000),
      },
      system().stack.webhookSecret,
    );
    const answer = await postWebhook(system(), forged);
    expect(answer).toMatchObject({ status: 409, body: { error: 'webhook_mismatch' } });
    expect((await settled(system().stack, victim, 'deposits', big.body.id)).status).toBe('failed');
    expect(await balanceOf(system().stack, victim)).toMatchObject({ balance: '0.00', available_balance: '0.00' });
    const kept = await system().pool.query('SELECT reason FROM rejected_webhooks WHERE transaction_id = $1', [
      big.body.id,
    ]);
    expect(kept.rows).toEqual([{ reason: 'order_key_mismatch' }]);
    expect(await auditLedger(system().pool)).toEqual([]);
  });

  test('when a signed failure for another order names a withdrawal in flight, then 409 and its hold stays', async () => {
    const user = await system().createUser('100.00');
    await system().stack.controlBank({ min_delay_ms: 60_000, max_delay_ms: 60_000 });
    const created = await withdraw(system().stack, user, '40.00');
    await waitFor(
      async () => (await transactionRow(system(), created.body.id))?.bank_reference != null || undefined,
      'the bank to accept the withdrawal',
      { timeoutMs: 60_000 },
    );
    const row = await transactionRow(system(), created.body.id);
    const base = {
      transaction_id: created.body.id,
      status: 'failed',
      error_message: 'declined',
      currency: 'USD',
      timestamp: Math.floor(Date.now() / 1000),
    };
    const attempts = [
      { ...base, bank_reference: row?.bank_reference, order_key: randomUUID(), amount: '40.00' },
      { ...base, bank_reference: 'BNK-OTHERORDER01', order_key: row?.bank_order_key, amount: '40.00' },
      { ...base, bank_reference: row?.bank_reference, order_key: row?.bank_order_key, amount: '0.01' },
      {
        ...base,
        bank_reference: row?.bank_reference,
        order_key: row?.bank_order_key,
        amount: '40.00',
        currency: 'EUR',
      },
      { transaction_id: created.body.id, bank_reference: 'BNK-OTHERORDER01', status: 'failed' },
    ];
    for (const payload of attempts) {
      expect(await postWebhook(system(), signed(payload, system().stack.webhookSecret))).toMatchObject({
        status: 409,
        body: { error: 'webhook_mismatch' },
      });
    }
    expect((await transactionRow(system(), created.body.id))?.status).toBe('processing');
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '100.00', available_balance: '60.00' });
    const metrics = await fetch(`${system().stack.apiUrl}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/paygate_webhook_rejected_total\{reason="order_key_mismatch"\} [1-9]/);
    expect(metrics).toMatch(/paygate_webhook_rejected_total\{reason="amount_mismatch"\} [1-9]/);
    await system().stack.controlBank({ reset: true });
  });
});

describe('a bank outage shorter than the retry horizon', () => {
  const system = useSystem('e2e_outage', {
    env: {
      worker: {
        RETRY_BASE_MS: '50',
        RETRY_CAP_MS: '400',
        RETRY_HORIZON_MS: '600000',
        BREAKER_FAILURE_THRESHOLD: '5',
        BREAKER_COOLDOWN_MS: '300',
      },
    },
  });

  test('when the bank answers 503 for more than 10 retry intervals, then every transaction ends in success', async () => {
    const user: SystemUser = await system().createUser('100.00');
    await system().stack.controlBank({ mode: 'always_503' });
    const created = [
      await deposit(system().stack, user, '1.00'),
      await withdraw(system().stack, user, '2.00'),
      await deposit(system().stack, user, '3.00'),
      await withdraw(system().stack, user, '4.00'),
    ];
    // Wait for the outage to have lasted more than 10 retry intervals for every transaction: each interval
    // is a retry or a wait for the breaker's probe.
    const intervals = async () =>
      ((await metricValue(system().stack.workerMetricsUrl, 'paygate_worker_retries_total')) ?? 0) +
      ((await metricValue(system().stack.workerMetricsUrl, 'paygate_worker_breaker_waits_total')) ?? 0);
    await waitFor(
      async () => (await intervals()) > 10 * created.length || undefined,
      'more than 10 retry intervals per transaction',
      { timeoutMs: 120_000 },
    );
    expect((await statusCounts(system().pool)).failed ?? 0).toBe(0);
    await system().stack.controlBank({ reset: true });
    for (const [index, answer] of created.entries()) {
      expect(
        (await settled(system().stack, user, index % 2 === 0 ? 'deposits' : 'withdrawals', answer.body.id, 120_000))
          .status,
      ).toBe('success');
    }
    expect(await statusCounts(system().pool)).toEqual({ success: 4 });
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '98.00', available_balance: '98.00' });
    expect(await auditLedger(system().pool)).toEqual([]);
  });
});

describe('the bank killed between accepting orders and sending their webhooks', () => {
  const system = useSystem('e2e_bank_kill', {
    env: { bank: { BANK_MIN_DELAY_MS: '4000', BANK_MAX_DELAY_MS: '6000' } },
  });

  test('when the bank is SIGKILLed and started again, then every transaction settles exactly once', async () => {
    const user = await system().createUser('100.00');
    const created = [];
    for (let index = 0; index < 6; index += 1) {
      created.push(
        index % 2 === 0 ? await deposit(system().stack, user, '2.00') : await withdraw(system().stack, user, '3.00'),
      );
    }
    await waitFor(async () => {
      const { rows } = await system().pool.query<{ count: string }>(
        "SELECT count(*) AS count FROM transactions WHERE user_id = $1 AND status = 'processing' AND bank_reference IS NOT NULL",
        [user.id],
      );
      return Number(rows[0]?.count) === created.length ? true : undefined;
    }, 'the bank to accept every order');
    expect(await system().stack.bank.kill('SIGKILL')).toBeNull();
    expect((await statusCounts(system().pool)).processing).toBe(created.length);
    await system().stack.bank.start();
    for (const [index, answer] of created.entries()) {
      expect(
        (await settled(system().stack, user, index % 2 === 0 ? 'deposits' : 'withdrawals', answer.body.id, 120_000))
          .status,
      ).toBe('success');
    }
    expect(await balanceOf(system().stack, user)).toMatchObject({ balance: '97.00', available_balance: '97.00' });
    const postings = await system().pool.query(
      'SELECT 1 FROM ledger_postings p JOIN transactions t ON t.id = p.transaction_id WHERE t.user_id = $1',
      [user.id],
    );
    expect(postings.rowCount).toBe(created.length);
    expect(await auditLedger(system().pool)).toEqual([]);
  });
});
