// Goal: the SQL money paths keep every invariant under concurrency and repetition.
// Method: drive paygate_create_transaction / settle / webhook functions through the repositories on the
// real PostgreSQL, many at once where it matters, and audit the whole ledger afterwards.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';

import type { BankWebhookRecord, CreateTransactionInput, Pool } from '../src';
import { auditLedger, SettlementRepository, TransactionsRepository } from '../src';
import { createdId, givenUserWithWallet, testPool } from './setup/fixtures';

const pool = testPool(25);
const transactions = new TransactionsRepository(pool);
const settlement = new SettlementRepository(pool);
afterAll(() => pool.end());

function command(userId: number, overrides: Partial<CreateTransactionInput> = {}): CreateTransactionInput {
  return {
    userId,
    type: 'withdrawal',
    amountMinor: 1_000n,
    currency: 'USD',
    idempotencyKey: randomUUID(),
    method: 'POST',
    path: '/api/v1/withdrawals',
    fingerprint: 'fingerprint-a',
    requestId: 'req-test',
    idempotencyTtlHours: 24,
    ...overrides,
  };
}

async function wallet(pool: Pool, walletId: number) {
  const { rows } = await pool.query<{ balance: string; held: string }>(
    'SELECT balance, held FROM accounts WHERE id = $1',
    [walletId],
  );
  return { balanceMinor: BigInt(rows[0]?.balance ?? -1), heldMinor: BigInt(rows[0]?.held ?? -1) };
}

describe('holds under concurrency', () => {
  test('when 50 holds of 10.00 race on a wallet of 100.00, then exactly 10 are placed and available is 0.00', async () => {
    const { userId, walletId } = await givenUserWithWallet(pool, 10_000n, 'race');
    const results = await Promise.all(Array.from({ length: 50 }, () => transactions.create(command(userId))));
    const outcomes = results.map((result) => result.outcome);
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === 'insufficient_balance')).toHaveLength(40);
    expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 10_000n, heldMinor: 10_000n });
    const count = await pool.query('SELECT 1 FROM transactions WHERE user_id = $1', [userId]);
    expect(count.rowCount).toBe(10);
    expect(await auditLedger(pool)).toEqual([]);
  });

  test('when a withdrawal is refused, then the stored outcome says how much was available, and a replay says the same', async () => {
    const { userId } = await givenUserWithWallet(pool, 550n, 'poor');
    const refused = command(userId, { amountMinor: 1_000n });
    const result = await transactions.create(refused);
    const refusal = { availableMinor: 550n, requestedMinor: 1_000n, currency: 'USD', requestId: 'req-test' };
    expect(result).toEqual({ outcome: 'insufficient_balance', isReplay: false, refusal });
    // Money arrives meanwhile: the replay still answers what was decided, with the first request's id.
    await pool.query("UPDATE accounts SET balance = balance + 100000 WHERE user_id = $1 AND kind = 'wallet'", [userId]);
    expect(await transactions.create({ ...refused, requestId: 'req-retry' })).toEqual({
      outcome: 'insufficient_balance',
      isReplay: true,
      refusal,
    });
    await pool.query("UPDATE accounts SET balance = balance - 100000 WHERE user_id = $1 AND kind = 'wallet'", [userId]);
  });
});

describe('idempotency at the database', () => {
  test('when the same key and fingerprint come again, then the first answer is replayed and nothing is created', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    const first = await transactions.create(command(userId, { type: 'deposit', idempotencyKey: 'same-key' }));
    const again = await transactions.create(command(userId, { type: 'deposit', idempotencyKey: 'same-key' }));
    expect(first).toMatchObject({ outcome: 'created', isReplay: false });
    expect(again).toEqual({ ...first, isReplay: true });
    const otherBody = await transactions.create(
      command(userId, { type: 'deposit', idempotencyKey: 'same-key', fingerprint: 'fingerprint-b' }),
    );
    expect(otherBody.outcome).toBe('key_reused');
    const otherUser = await givenUserWithWallet(pool, 0n);
    expect(
      (await transactions.create(command(otherUser.userId, { type: 'deposit', idempotencyKey: 'same-key' }))).outcome,
    ).toBe('created');
  });

  test('when the first request with a key still holds it, then a second is told in_progress at once', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    const key = randomUUID();
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${userId}:${key}`]);
      const started = Date.now();
      const result = await transactions.create(command(userId, { type: 'deposit', idempotencyKey: key }));
      expect(result.outcome).toBe('in_progress');
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  test('when a key is older than its TTL, then it is free again', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    const first = await transactions.create(command(userId, { type: 'deposit', idempotencyKey: 'old-key' }));
    await pool.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1", [
      userId,
    ]);
    const later = await transactions.create(
      command(userId, { type: 'deposit', idempotencyKey: 'old-key', fingerprint: 'other' }),
    );
    expect(later.outcome).toBe('created');
    expect(createdId(later)).not.toBe(createdId(first));
  });

  test('when 100 identical requests race, then one transaction exists and the rest replay or wait', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        transactions.create(command(userId, { type: 'deposit', idempotencyKey: 'racing-key' })),
      ),
    );
    const outcomes = new Set(results.map((result) => result.outcome));
    expect([...outcomes].every((outcome) => ['created', 'in_progress'].includes(outcome))).toBe(true);
    expect(new Set(results.map(createdId).filter((id) => id !== null)).size).toBe(1);
    expect(results.filter((result) => result.outcome === 'created' && !result.isReplay)).toHaveLength(1);
    const count = await pool.query('SELECT 1 FROM transactions WHERE user_id = $1', [userId]);
    expect(count.rowCount).toBe(1);
  });
});

describe('settlement', () => {
  test('when a deposit and a withdrawal succeed, then balances move once and the ledger sums to zero', async () => {
    const { userId, walletId } = await givenUserWithWallet(pool, 10_000n, 'settle');
    const deposit = await transactions.create(command(userId, { type: 'deposit', amountMinor: 2_500n }));
    const withdrawal = await transactions.create(command(userId, { amountMinor: 4_000n }));
    for (const id of [createdId(deposit), createdId(withdrawal)]) {
      const transactionId = id ?? 0;
      const first = await settlement.startProcessing({ transactionId, cause: 'test', requestId: null });
      expect(first).toMatchObject({
        moved: true,
        submission: { transaction: { id: transactionId, status: 'processing' } },
      });
      expect(first?.submission.orderKey).toMatch(/^[0-9a-f-]{36}$/);
      const second = await settlement.startProcessing({ transactionId, cause: 'test', requestId: null });
      // The order key is minted once: every retry and redelivery places the same order at the bank.
      expect(second).toMatchObject({ moved: false, submission: { orderKey: first?.submission.orderKey } });
      const settle = {
        transactionId,
        status: 'success' as const,
        bankReference: `BNK-${transactionId}`,
        errorCode: null,
        errorMessage: null,
        detail: null,
        cause: 'test',
        requestId: null,
      };
      expect((await settlement.settle(settle)).outcome).toBe('applied');
      expect((await settlement.settle(settle)).outcome).toBe('ignored');
      expect((await settlement.settle({ ...settle, status: 'failed' })).outcome).toBe('ignored');
    }
    expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 8_500n, heldMinor: 0n });
    expect(await auditLedger(pool)).toEqual([]);
  });

  test('when a withdrawal fails, then its hold is released and no money moves', async () => {
    const { userId, walletId } = await givenUserWithWallet(pool, 5_000n);
    const withdrawal = await transactions.create(command(userId, { amountMinor: 5_000n }));
    const transactionId = createdId(withdrawal) ?? 0;
    expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 5_000n, heldMinor: 5_000n });
    await settlement.startProcessing({ transactionId, cause: 'test', requestId: null });
    const failed = await settlement.settle({
      transactionId,
      status: 'failed',
      bankReference: null,
      errorCode: 'bank_declined',
      errorMessage: 'declined',
      detail: 'HTTP 402 declined',
      cause: 'test',
      requestId: null,
    });
    expect(failed.outcome).toBe('applied');
    expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 5_000n, heldMinor: 0n });
    const found = await transactions.findWithEvents(userId, transactionId);
    expect(found?.transaction).toMatchObject({
      status: 'failed',
      errorCode: 'bank_declined',
      errorMessage: 'declined',
    });
    expect(found?.events.map((event) => `${event.fromStatus ?? '-'}>${event.toStatus}`)).toEqual([
      '->pending',
      'pending>processing',
      'processing>failed',
    ]);
  });

  test('when the same webhook races 20 times, then it is applied exactly once', async () => {
    const { userId, walletId } = await givenUserWithWallet(pool, 0n);
    const deposit = await transactions.create(command(userId, { type: 'deposit', amountMinor: 700n }));
    const transactionId = createdId(deposit) ?? 0;
    const seedForm = webhook(transactionId, { bankReference: 'BNK-RACE' });
    expect((await settlement.applyBankWebhook(seedForm)).outcome).toBe('not_ready');
    const started = await settlement.startProcessing({ transactionId, cause: 'test', requestId: null });
    const record = webhook(transactionId, {
      bankReference: 'BNK-RACE',
      orderKey: started?.submission.orderKey ?? null,
      amountMinor: 700n,
      currency: 'USD',
    });
    const outcomes = (await Promise.all(Array.from({ length: 20 }, () => settlement.applyBankWebhook(record)))).map(
      (result) => result.outcome,
    );
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(19);
    // Bound by the order key before the worker stored the bank's answer: the reference is taken from it.
    expect((await transactions.findById(transactionId))?.bankReference).toBe('BNK-RACE');
    const conflicting = await settlement.applyBankWebhook({ ...record, status: 'failed' });
    expect(conflicting.outcome).toBe('conflict');
    expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 700n, heldMinor: 0n });
    expect((await settlement.applyBankWebhook({ ...record, transactionId: 999_999_999 })).outcome).toBe('not_found');
    expect(await auditLedger(pool)).toEqual([]);
  });

  test.each([
    ['another order key', { orderKey: '00000000-0000-4000-8000-000000000000' }, 'order_key_mismatch'],
    ['another bank reference', { bankReference: 'BNK-OTHER' }, 'bank_reference_mismatch'],
    ['another amount', { amountMinor: 100_000_000n }, 'amount_mismatch'],
    ['another currency', { currency: 'EUR' }, 'currency_mismatch'],
    ['the seed form with another reference', { orderKey: null, bankReference: 'BNK-OTHER' }, 'bank_reference_mismatch'],
  ] as const)(
    'when a signed webhook names %s, then it is refused, kept and changes nothing',
    async (_name, change, reason) => {
      const { userId, walletId } = await givenUserWithWallet(pool, 1_000n);
      const withdrawal = await transactions.create(command(userId, { amountMinor: 600n }));
      const transactionId = createdId(withdrawal) ?? 0;
      const started = await settlement.startProcessing({ transactionId, cause: 'test', requestId: null });
      await settlement.recordBankReference(transactionId, 'BNK-OURS');
      const genuine = webhook(transactionId, {
        bankReference: 'BNK-OURS',
        orderKey: started?.submission.orderKey ?? null,
        amountMinor: 600n,
        currency: 'USD',
        status: 'failed',
      });
      const forged = { ...genuine, ...change, payload: { forged: true, reason } };
      for (let repeat = 0; repeat < 3; repeat += 1) {
        expect(await settlement.applyBankWebhook(forged)).toEqual({
          outcome: 'mismatch',
          status: 'processing',
          reason,
        });
      }
      expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 1_000n, heldMinor: 600n });
      const kept = await pool.query(
        'SELECT reason, received_count, source_address FROM rejected_webhooks WHERE transaction_id = $1',
        [transactionId],
      );
      expect(kept.rows).toEqual([{ reason, received_count: 3, source_address: '203.0.113.9' }]);
      expect((await settlement.applyBankWebhook(genuine)).outcome).toBe('applied');
      expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 1_000n, heldMinor: 0n });
    },
  );

  test('when the seed form names the stored bank reference, then it settles', async () => {
    const { userId, walletId } = await givenUserWithWallet(pool, 0n);
    const deposit = await transactions.create(command(userId, { type: 'deposit', amountMinor: 250n }));
    const transactionId = createdId(deposit) ?? 0;
    await settlement.startProcessing({ transactionId, cause: 'test', requestId: null });
    const seedForm = webhook(transactionId, { bankReference: 'BNK-SEED' });
    expect((await settlement.applyBankWebhook(seedForm)).outcome).toBe('not_ready');
    await settlement.recordBankReference(transactionId, 'BNK-SEED');
    expect((await settlement.applyBankWebhook(seedForm)).outcome).toBe('applied');
    expect(await wallet(pool, walletId)).toEqual({ balanceMinor: 250n, heldMinor: 0n });
  });

  test('when the ledger is tampered with, then the audit names the broken invariant', async () => {
    const { walletId } = await givenUserWithWallet(pool, 100n, 'tamper');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [walletId]);
      const violations = await auditLedger(client as unknown as Pool);
      expect(violations.map((violation) => violation.invariant).sort()).toEqual([
        'balance_equals_postings',
        'ledger_sums_to_zero',
      ]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

function webhook(transactionId: number, fields: Partial<BankWebhookRecord> = {}): BankWebhookRecord {
  return {
    transactionId,
    bankReference: 'BNK-1',
    status: 'success',
    errorCode: null,
    errorMessage: null,
    detail: null,
    orderKey: null,
    amountMinor: null,
    currency: null,
    signedAt: null,
    payload: { transaction_id: transactionId },
    sourceAddress: '203.0.113.9',
    requestId: null,
    ...fields,
  };
}

describe('listing', () => {
  test('when paging with the cursor, then every transaction appears once, newest first', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n, 'pages');
    for (let index = 0; index < 7; index += 1)
      await transactions.create(command(userId, { type: 'deposit', amountMinor: BigInt(index + 1) }));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const { decodeCursor } = await import('@paygate/domain');
      const page = await transactions.list(
        { userId },
        { limit: 3, offset: 0, cursor: cursor ? decodeCursor(cursor) : undefined },
      );
      expect(page.total).toBe(7);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    const filtered = await transactions.list({ userId, type: 'withdrawal' }, { limit: 10, offset: 0 });
    expect(filtered).toMatchObject({ items: [], total: 0, hasMore: false, nextCursor: null });
  });
});
