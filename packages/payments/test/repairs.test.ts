// Goal: the operator's repairs go through the same money paths as the rest of the system, are audited in
// the same transaction, refuse what does not apply (a final payment above all) saying why, and never move
// money twice: a stuck processing payment is reconciled from the bank's order; a failed-by-operator
// withdrawal releases its hold exactly once; a repair racing a settlement lets one of them win, and the
// ledger still sums to zero. Method: the use cases on this run's PostgreSQL and the bank simulator
// in-process (its own database), with its webhooks applied by the same use case the API runs; payments
// created, started and submitted the way the API and the worker do it.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

import type { BankSim } from '@paygate/bank-sim';
import { startBankSim } from '@paygate/bank-sim';
import { loadConfig as loadBankConfig } from '@paygate/bank-sim/config';
import type { Pool } from '@paygate/db';
import {
  auditLedger,
  createPool,
  OperatorsRepository,
  RepairsRepository,
  SettlementRepository,
  TransactionsRepository,
  WorkerRecords,
} from '@paygate/db';
import type { TransactionType } from '@paygate/domain';
import { formatAmount } from '@paygate/domain';
import { waitFor } from '@paygate/testkit';

import type { OperatorActor } from '../src';
import {
  applyBankWebhook,
  BankClient,
  failByOperator,
  reconcileNow,
  replayDeadLetter,
  retrySubmission,
  startProcessing,
} from '../src';

const WEBHOOK_SECRET = 'payments-repairs-webhook-secret-0123456789';
const BANK_API_KEY = 'payments-repairs-bank-api-key-0123456789';

const pool: Pool = createPool({
  connectionString: inject('run').databaseUrl,
  applicationName: 'payments-repairs',
  poolSizeMax: 8,
  statementTimeoutMs: 10_000,
  connectionTimeoutMs: 10_000,
  idleTimeoutMs: 1_000,
});
const settlement = new SettlementRepository(pool);
const repairs = new RepairsRepository(pool);
const attempts = new WorkerRecords(pool);
let bankSim: BankSim;
let bankServer: Server;
let receiver: Server;
let bank: BankClient;
let bankUrl: string;
let operatorId: number;
let wakeCount = 0;
const wakeOutbox = () => {
  wakeCount += 1;
};

beforeAll(async () => {
  receiver = await listen(
    createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        void applyBankWebhook(settlement, JSON.parse(body) as unknown, {
          secret: WEBHOOK_SECRET,
          toleranceS: 300,
          nowS: Math.floor(Date.now() / 1000),
          requestId: randomUUID(),
          sourceAddress: null,
        }).then(
          (answer) => response.writeHead(answer.kind === 'accepted' ? 200 : 409).end(),
          () => response.writeHead(500).end(),
        );
      });
    }),
  );
  const bankDatabaseUrl = inject('run').bankDatabaseUrl;
  if (bankDatabaseUrl === undefined) throw new Error('the run has no bank database');
  bankSim = await startBankSim({
    config: loadBankConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WEBHOOK_SECRET,
      BANK_API_KEY,
      BANK_DATABASE_URL: bankDatabaseUrl,
      BANK_CALLBACK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
      BANK_SWEEP_INTERVAL_MS: '50',
      BANK_MIN_DELAY_MS: '0',
      BANK_MAX_DELAY_MS: '0',
      BANK_SUCCESS_RATE: '1',
      BANK_SEED: 'payments-repairs',
    }),
  });
  bankServer = await listen(createServer(bankSim.app));
  bankUrl = `http://127.0.0.1:${(bankServer.address() as AddressInfo).port}`;
  bank = new BankClient({ baseUrl: bankUrl, apiKey: BANK_API_KEY, timeoutMs: 2_000, responseBytesMax: 64 * 1024 });
  const operator = await new OperatorsRepository(pool).create({
    email: `ops-${randomUUID().slice(0, 8)}@test.paygate`,
    role: 'operator',
    passwordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==',
  });
  operatorId = operator.id;
});

afterAll(async () => {
  await close(bankServer);
  await bankSim.close();
  await close(receiver);
  await pool.end();
});

describe('reconcile now', () => {
  test('when the bank settled a stuck processing withdrawal whose webhook never came, then it is settled once, audited with the reason, and the question is on record', async () => {
    await controlBank({ drop_webhooks: true });
    const { userId } = await givenWallet(10_000n);
    const id = await givenSubmitted(userId, 'withdrawal', 4_000n);
    await waitFor(async () => ((await bankOrderOf(id))?.status === 'success' ? true : undefined), 'the bank settles');

    const result = await reconcileNow({ repairs, bank, attempts }, { transactionId: id, actor: actor('webhook lost') });

    expect(result).toMatchObject({ kind: 'done', action: 'reconcile', outcome: 'settled_success', paymentId: id });
    expect(await statusOf(id)).toBe('success');
    expect(await walletOf(userId)).toEqual({ balance: 6_000n, held: 0n });
    expect(await auditRowsOf(id)).toEqual([
      expect.objectContaining({ action: 'reconcile', outcome: 'settled_success', reason: 'webhook lost' }),
    ]);
    expect(await bankAttemptRowsOf(id)).toEqual([
      expect.objectContaining({ operation: 'status', outcome: 'ok', worker_id: 'operator-console' }),
    ]);
    const events = await pool.query('SELECT cause FROM transaction_events WHERE transaction_id = $1 ORDER BY id', [id]);
    expect(events.rows.at(-1)).toEqual({ cause: 'operator.reconcile' });

    // Again: the payment is final now; refused, audited, nothing moves.
    const again = await reconcileNow({ repairs, bank, attempts }, { transactionId: id, actor: actor('again') });
    expect(again).toMatchObject({ kind: 'refused', outcome: 'already_final' });
    expect(await walletOf(userId)).toEqual({ balance: 6_000n, held: 0n });
    expect(await auditLedger(pool)).toEqual([]);
    await controlBank({ drop_webhooks: false });
  });

  test('when the payment was never sent, the bank has no order, or there is no such payment, then nothing changes and the answer says why', async () => {
    const { userId } = await givenWallet(1_000n);
    const pending = await givenPayment(userId, 'withdrawal', 500n);
    expect(
      await reconcileNow({ repairs, bank, attempts }, { transactionId: pending, actor: actor('look') }),
    ).toMatchObject({ kind: 'refused', outcome: 'no_order' });
    const started = await givenPayment(userId, 'withdrawal', 300n);
    await startProcessing(settlement, { transactionId: started, requestId: null });
    expect(
      await reconcileNow({ repairs, bank, attempts }, { transactionId: started, actor: actor('look') }),
    ).toMatchObject({ kind: 'refused', outcome: 'no_order' });
    expect(await statusOf(started)).toBe('processing');
    expect(await walletOf(userId)).toEqual({ balance: 1_000n, held: 800n });
    expect(
      await reconcileNow({ repairs, bank, attempts }, { transactionId: 1_999_999_999, actor: actor('look') }),
    ).toMatchObject({ kind: 'not_found' });
    expect((await auditRowsOf(pending)).map((row) => row.outcome)).toEqual(['no_order']);
  });
});

describe('fail with a reason', () => {
  test('when an operator fails a withdrawal the bank never received, then its hold is released exactly once and a second fail is refused', async () => {
    const { userId } = await givenWallet(2_000n);
    const id = await givenPayment(userId, 'withdrawal', 1_500n);
    await startProcessing(settlement, { transactionId: id, requestId: null });
    expect(await walletOf(userId)).toEqual({ balance: 2_000n, held: 1_500n });
    const deps = { repairs, bank, attempts, quietMs: 0 };

    const failed = await failByOperator(deps, { transactionId: id, actor: actor('customer cancelled by phone') });

    expect(failed).toMatchObject({ kind: 'done', action: 'fail', outcome: 'failed' });
    expect(await walletOf(userId)).toEqual({ balance: 2_000n, held: 0n });
    const row = await pool.query<{ status: string; error_code: string; error_message: string }>(
      'SELECT status, error_code, error_message FROM transactions WHERE id = $1',
      [id],
    );
    expect(row.rows[0]).toEqual({
      status: 'failed',
      error_code: 'operator_failed',
      error_message:
        'This withdrawal was cancelled by our support team. No money moved, and the held amount is available again.',
    });
    const detail = await pool.query<{ detail: string }>(
      "SELECT detail FROM transaction_events WHERE transaction_id = $1 AND to_status = 'failed'",
      [id],
    );
    expect(detail.rows[0]?.detail).toContain('customer cancelled by phone');

    const again = await failByOperator(deps, { transactionId: id, actor: actor('twice') });
    expect(again).toMatchObject({ kind: 'refused', outcome: 'already_final' });
    expect(await walletOf(userId)).toEqual({ balance: 2_000n, held: 0n });
    expect((await auditRowsOf(id)).map((entry) => entry.outcome)).toEqual(['failed', 'already_final']);
    expect(await auditLedger(pool)).toEqual([]);
  });

  test('when the bank holds the order, or a worker touched it moments ago, then the fail is refused and the hold stays', async () => {
    await controlBank({ drop_webhooks: true, min_delay_ms: 60_000, max_delay_ms: 60_000 });
    const { userId } = await givenWallet(3_000n);
    const submitted = await givenSubmitted(userId, 'withdrawal', 1_000n, { recordReference: false });
    const held = await failByOperator(
      { repairs, bank, attempts, quietMs: 0 },
      { transactionId: submitted, actor: actor('try') },
    );
    expect(held).toMatchObject({ kind: 'refused', outcome: 'bank_holds_order' });

    const justStarted = await givenPayment(userId, 'withdrawal', 500n);
    await startProcessing(settlement, { transactionId: justStarted, requestId: null });
    const inFlight = await failByOperator(
      { repairs, bank, attempts, quietMs: 60_000 },
      { transactionId: justStarted, actor: actor('try') },
    );
    expect(inFlight).toMatchObject({ kind: 'refused', outcome: 'submission_in_flight' });
    expect(await statusOf(submitted)).toBe('processing');
    expect(await statusOf(justStarted)).toBe('processing');
    expect(await walletOf(userId)).toEqual({ balance: 3_000n, held: 1_500n });
    await controlBank({ reset: true });
  });
});

describe('retry submission and dead-letter replay', () => {
  test('when a pending payment is retried, then one outbox message is added and the outbox woken; a second retry adds none; a final payment is refused', async () => {
    const { userId } = await givenWallet(0n);
    const id = await givenPayment(userId, 'deposit', 700n);
    await pool.query('UPDATE outbox SET published_at = now() WHERE transaction_id = $1', [id]);
    const wakesBefore = wakeCount;

    const first = await retrySubmission({ repairs, wakeOutbox }, { transactionId: id, actor: actor('message lost') });
    const second = await retrySubmission({ repairs, wakeOutbox }, { transactionId: id, actor: actor('again') });

    expect(first).toMatchObject({ kind: 'done', outcome: 'requeued' });
    expect(second).toMatchObject({ kind: 'done', outcome: 'already_queued' });
    expect(wakeCount).toBe(wakesBefore + 1);
    const outbox = await pool.query('SELECT published_at FROM outbox WHERE transaction_id = $1 ORDER BY id', [id]);
    expect(outbox.rows.map((row: { published_at: Date | null }) => row.published_at === null)).toEqual([false, true]);

    await settlement.settle({
      transactionId: (await startProcessing(settlement, { transactionId: id, requestId: null }), id),
      status: 'success',
      bankReference: `BNK-${randomUUID()}`,
      errorCode: null,
      errorMessage: null,
      detail: null,
      cause: 'test',
      requestId: null,
    });
    const final = await retrySubmission({ repairs, wakeOutbox }, { transactionId: id, actor: actor('late') });
    expect(final).toMatchObject({ kind: 'refused', outcome: 'already_final' });
    expect((await pool.query('SELECT 1 FROM outbox WHERE transaction_id = $1', [id])).rowCount).toBe(2);
  });

  test('when dead letters are replayed, then a pending payment is re-driven, a final one is not (saying why), and each letter is handled once', async () => {
    const { userId } = await givenWallet(1_000n);
    const pending = await givenPayment(userId, 'withdrawal', 100n);
    await pool.query('UPDATE outbox SET published_at = now() WHERE transaction_id = $1', [pending]);
    const failed = await givenPayment(userId, 'withdrawal', 200n);
    await startProcessing(settlement, { transactionId: failed, requestId: null });
    await failByOperator({ repairs, bank, attempts, quietMs: 0 }, { transactionId: failed, actor: actor('setup') });
    const pendingLetter = await givenDeadLetter(pending);
    const failedLetter = await givenDeadLetter(failed);

    const redriven = await replayDeadLetter(
      { repairs, wakeOutbox },
      { deadLetterId: pendingLetter, actor: actor('bank fixed') },
    );
    const refused = await replayDeadLetter(
      { repairs, wakeOutbox },
      { deadLetterId: failedLetter, actor: actor('bank fixed') },
    );
    const twice = await replayDeadLetter(
      { repairs, wakeOutbox },
      { deadLetterId: pendingLetter, actor: actor('again') },
    );

    expect(redriven).toMatchObject({ kind: 'done', outcome: 'requeued', paymentId: pending });
    expect(refused).toMatchObject({ kind: 'refused', outcome: 'already_final', paymentId: failed });
    expect(refused.message).toMatch(/failed, so it is not sent again/);
    expect(twice).toMatchObject({ kind: 'refused', outcome: 'already_replayed' });
    const letters = await pool.query<{ id: string; replay_outcome: string; replayed_by: string }>(
      'SELECT id, replay_outcome, replayed_by FROM dead_letters WHERE id = ANY($1) ORDER BY id',
      [[pendingLetter, failedLetter]],
    );
    expect(letters.rows.map((row) => row.replay_outcome)).toEqual(['requeued', 'already_final']);
    expect(letters.rows.every((row) => Number(row.replayed_by) === operatorId)).toBe(true);
    const audit = await pool.query<{ dead_letter_id: string; outcome: string }>(
      "SELECT dead_letter_id, outcome FROM operator_audit WHERE action = 'replay_dead_letter' AND dead_letter_id = ANY($1) ORDER BY id",
      [[pendingLetter, failedLetter]],
    );
    expect(audit.rows.map((row) => row.outcome)).toEqual(['requeued', 'already_final', 'already_replayed']);
    expect(
      await replayDeadLetter({ repairs, wakeOutbox }, { deadLetterId: 1_999_999_999, actor: actor('x') }),
    ).toMatchObject({
      kind: 'not_found',
    });
  });
});

describe('repairs racing settlements', () => {
  // Goal: whichever commits first wins; the other sees a final payment. Method: start both at once, many times.
  test('when an operator fails a withdrawal while the bank outcome is applied, then exactly one of them settles it and the ledger balances', async () => {
    const { userId } = await givenWallet(100_000n);
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round += 1) {
      const id = await givenPayment(userId, 'withdrawal', 1_000n);
      await startProcessing(settlement, { transactionId: id, requestId: null });
      const [operator, webhook] = await Promise.all([
        failByOperator({ repairs, bank, attempts, quietMs: 0 }, { transactionId: id, actor: actor(`race ${round}`) }),
        settlement.settle({
          transactionId: id,
          status: 'success',
          bankReference: `BNK-race-${randomUUID()}`,
          errorCode: null,
          errorMessage: null,
          detail: null,
          cause: 'test.race',
          requestId: null,
        }),
      ]);
      const status = await statusOf(id);
      if (operator.kind === 'done') {
        expect(status).toBe('failed');
        expect(webhook.outcome).toBe('ignored');
      } else {
        expect(status).toBe('success');
        expect(webhook.outcome).toBe('applied');
      }
      outcomes.push(status ?? 'missing');
      const postings = await pool.query('SELECT 1 FROM ledger_postings WHERE transaction_id = $1', [id]);
      expect(postings.rowCount).toBe(status === 'success' ? 1 : 0);
    }
    const successCount = outcomes.filter((status) => status === 'success').length;
    expect(await walletOf(userId)).toEqual({ balance: 100_000n - BigInt(successCount) * 1_000n, held: 0n });
    expect(await auditLedger(pool)).toEqual([]);
  });

  test('when reconcile now and the bank webhook settle the same order at once, then it is settled once', async () => {
    await controlBank({ drop_webhooks: true });
    const { userId } = await givenWallet(0n);
    const id = await givenSubmitted(userId, 'deposit', 2_500n);
    await waitFor(async () => ((await bankOrderOf(id))?.status === 'success' ? true : undefined), 'the bank settles');
    await controlBank({ drop_webhooks: false });

    const [reconciled] = await Promise.all([
      reconcileNow({ repairs, bank, attempts }, { transactionId: id, actor: actor('race') }),
      waitFor(async () => ((await statusOf(id)) === 'success' ? true : undefined), 'settled'),
    ]);

    expect(['settled_success', 'already_final']).toContain(reconciled.kind === 'not_found' ? '' : reconciled.outcome);
    expect(await walletOf(userId)).toEqual({ balance: 2_500n, held: 0n });
    const postings = await pool.query('SELECT 1 FROM ledger_postings WHERE transaction_id = $1', [id]);
    expect(postings.rowCount).toBe(1);
    expect(await auditLedger(pool)).toEqual([]);
  });
});

// --- helpers ---

function actor(reason: string): OperatorActor {
  return { operatorId, reason, requestId: `req-${randomUUID()}` };
}

async function givenWallet(openingMinor: bigint): Promise<{ userId: number }> {
  const user = await pool.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
    `repairs-${randomUUID().slice(0, 8)}@test.paygate`,
  ]);
  const userId = Number(user.rows[0]?.id);
  await pool.query("SELECT paygate_open_wallet($1, 'USD', $2)", [userId, openingMinor.toString()]);
  return { userId };
}

async function givenPayment(userId: number, type: TransactionType, amountMinor: bigint): Promise<number> {
  const created = await new TransactionsRepository(pool).create({
    userId,
    type,
    amountMinor,
    currency: 'USD',
    idempotencyKey: randomUUID(),
    method: 'POST',
    path: type === 'deposit' ? '/api/v1/deposits' : '/api/v1/withdrawals',
    fingerprint: randomUUID(),
    requestId: `req-${randomUUID()}`,
    idempotencyTtlHours: 24,
  });
  if (created.outcome !== 'created') throw new Error(`could not create a ${type}: ${created.outcome}`);
  return created.transaction.id;
}

/** Created, moved to processing and placed at the bank, as the worker does it. */
async function givenSubmitted(
  userId: number,
  type: TransactionType,
  amountMinor: bigint,
  options: { recordReference: boolean } = { recordReference: true },
): Promise<number> {
  const id = await givenPayment(userId, type, amountMinor);
  const started = await startProcessing(settlement, { transactionId: id, requestId: null });
  if (started.kind !== 'submit') throw new Error(`payment ${id} did not start: ${started.kind}`);
  const placed = await bank.submitOrder(
    { reference: String(id), type, amount: formatAmount(amountMinor), currency: 'USD' },
    started.submission.orderKey,
    null,
  );
  if (!placed.ok) throw new Error(`the bank refused payment ${id}`);
  if (options.recordReference) await settlement.recordBankReference(id, placed.value.bank_reference);
  return id;
}

async function givenDeadLetter(transactionId: number): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO dead_letters (transaction_id, reason, payload) VALUES ($1, 'bank_rejected: test', $2) RETURNING id",
    [transactionId, JSON.stringify({ transaction_id: transactionId })],
  );
  return Number(rows[0]?.id);
}

async function bankOrderOf(id: number): Promise<{ status: string } | undefined> {
  const { rows } = await pool.query<{ key: string }>(
    'SELECT bank_order_key::text AS key FROM transactions WHERE id = $1',
    [id],
  );
  const key = rows[0]?.key;
  if (key === undefined) return undefined;
  const found = await bank.findOrder(key, null);
  return found.ok && found.value !== null ? found.value : undefined;
}

async function statusOf(id: number): Promise<string | undefined> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM transactions WHERE id = $1', [id]);
  return rows[0]?.status;
}

async function walletOf(userId: number): Promise<{ balance: bigint; held: bigint }> {
  const { rows } = await pool.query<{ balance: string; held: string }>(
    "SELECT balance, held FROM accounts WHERE user_id = $1 AND kind = 'wallet'",
    [userId],
  );
  return { balance: BigInt(rows[0]?.balance ?? -1), held: BigInt(rows[0]?.held ?? -1) };
}

async function auditRowsOf(paymentId: number) {
  const { rows } = await pool.query<{ action: string; outcome: string; reason: string; operator_id: string }>(
    'SELECT action, outcome, reason, operator_id FROM operator_audit WHERE payment_id = $1 ORDER BY id',
    [paymentId],
  );
  return rows;
}

async function bankAttemptRowsOf(paymentId: number) {
  const { rows } = await pool.query<{ operation: string; outcome: string; worker_id: string }>(
    'SELECT operation, outcome, worker_id FROM bank_attempts WHERE transaction_id = $1 ORDER BY id',
    [paymentId],
  );
  return rows;
}

async function controlBank(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${bankUrl}/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BANK_API_KEY}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`bank control refused: ${response.status} ${await response.text()}`);
}

async function listen(server: Server): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
