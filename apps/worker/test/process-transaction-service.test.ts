// Goal: the decisions at the retry horizon that are hard to provoke with a real bank: when the horizon has
// passed and even the status query fails, a transaction whose attempts timed out (the bank may hold the
// order) is left processing for the reconciler, and one that was never sent is failed with a plain sentence
// for the user and the technical detail for operators. Method: TransactionProcessor on the real database,
// a clock set past the horizon, and a bank client whose fetch times out on POST and cannot connect on GET.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';

import type { Pool } from '@paygate/db';
import { createPool, SettlementRepository, WorkerRecords } from '@paygate/db';
import { CircuitBreaker } from '@paygate/domain';
import { BankClient } from '@paygate/payments';

import { createLogger } from '../src/infra/logger';
import { TransactionProcessor } from '../src/services/process-transaction';
import { RetryPolicy } from '../src/services/retry-policy';
import { givenTransaction, givenUserWithWallet, transactionOf, walletOf } from './setup/fixtures';

let pool: Pool;

beforeAll(() => {
  // This suite's own database, with no worker on it: the transactions here are driven by hand.
  pool = createPool({
    connectionString: inject('runs').service.databaseUrl,
    applicationName: 'worker-test-service',
    poolSizeMax: 4,
    statementTimeoutMs: 10_000,
    connectionTimeoutMs: 5_000,
    idleTimeoutMs: 1_000,
  });
});

afterAll(async () => {
  await pool.end();
});

const HORIZON_MS = 60_000;

function processorWith(
  fetchFailure: (init: RequestInit | undefined) => Error,
  options: { isPastHorizon: boolean } = { isPastHorizon: true },
): TransactionProcessor {
  const breaker = new CircuitBreaker({ failureCountThreshold: 100, cooldownMs: 1_000 }, Date.now);
  const fetchStub: typeof fetch = (_url, init) => Promise.reject(fetchFailure(init));
  const clockOffsetMs = options.isPastHorizon ? HORIZON_MS + 1_000 : 0;
  return new TransactionProcessor({
    settlement: new SettlementRepository(pool),
    records: new WorkerRecords(pool),
    workerId: 'service-test-worker',
    bank: new BankClient({
      baseUrl: 'http://bank.invalid',
      apiKey: 'test-bank-api-key-0123456789',
      timeoutMs: 100,
      responseBytesMax: 1_024,
      fetch: fetchStub,
    }),
    breaker,
    retryPolicy: new RetryPolicy(HORIZON_MS, 10, 100),
    logger: createLogger('silent'),
    nowMs: () => Date.now() + clockOffsetMs,
  });
}

const timeout = (): Error =>
  Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
const refused = (): Error =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

describe('TransactionProcessor at the retry horizon', () => {
  test('when an earlier attempt timed out and the status query fails too, then the transaction is left processing', async () => {
    const { userId } = await givenUserWithWallet(pool, 1_000n);
    const id = await givenTransaction(pool, userId, 'withdrawal', 1_000n);
    const processor = processorWith((init) => (init?.method === 'POST' ? timeout() : refused()));

    const outcome = await processor.process({
      transactionId: id,
      attemptIndex: 2,
      ambiguousAttemptCount: 1,
      lastFailure: 'timeout: no answer within 100 ms',
      requestId: 'req-ambiguous',
    });

    expect(outcome.kind).toBe('left_for_reconciler');
    expect((await transactionOf(pool, id)).status).toBe('processing');
    expect(await walletOf(pool, userId)).toEqual({ balanceMinor: 1_000n, heldMinor: 1_000n });
  });

  test('when no attempt could have reached the bank, then it fails with a plain reason, the detail for operators and its hold voided', async () => {
    const { userId } = await givenUserWithWallet(pool, 1_000n);
    const id = await givenTransaction(pool, userId, 'withdrawal', 1_000n);
    const processor = processorWith(() => refused());

    const outcome = await processor.process({
      transactionId: id,
      attemptIndex: 7,
      ambiguousAttemptCount: 0,
      lastFailure: 'connection refused (ECONNREFUSED)',
      requestId: null,
    });

    expect(outcome).toMatchObject({ kind: 'failed', errorCode: 'bank_unavailable' });
    expect(await transactionOf(pool, id)).toMatchObject({
      status: 'failed',
      errorCode: 'bank_unavailable',
      errorMessage:
        'The bank could not be reached for too long, so this withdrawal was cancelled. No money moved, and the held amount is available again. You can try again.',
    });
    const { rows } = await pool.query<{ detail: string }>(
      "SELECT detail FROM transaction_events WHERE transaction_id = $1 AND to_status = 'failed'",
      [id],
    );
    expect(rows[0]?.detail).toBe(
      'The bank could not be reached: 7 attempt(s) over 1 min since the first submission; last failure: connection refused (ECONNREFUSED).',
    );
    expect(await walletOf(pool, userId)).toEqual({ balanceMinor: 1_000n, heldMinor: 0n });
  });

  test('when the horizon is ahead, then a timeout asks for a retry and counts as ambiguous', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    const id = await givenTransaction(pool, userId, 'deposit', 500n);
    const processor = processorWith(() => timeout(), { isPastHorizon: false });

    const outcome = await processor.process({
      transactionId: id,
      attemptIndex: 0,
      ambiguousAttemptCount: 0,
      lastFailure: null,
      requestId: null,
    });

    expect(outcome).toMatchObject({ kind: 'retry', failureKind: 'timeout', ambiguousAttemptCount: 1 });
    expect([10, 20, 40, 80, 100]).toContain((outcome as { delayMs: number }).delayMs);
  });

  test('when the breaker is open, then the bank is not called and the message waits without an attempt', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    const id = await givenTransaction(pool, userId, 'deposit', 500n);
    let callCount = 0;
    const processor = processorWith(
      () => {
        callCount += 1;
        return refused();
      },
      { isPastHorizon: false },
    );
    // processorWith's breaker opens after 100 consecutive failures; the 101st message meets it open.
    const outcomes = [];
    for (let attemptIndex = 0; attemptIndex < 101; attemptIndex += 1) {
      outcomes.push(
        await processor.process({
          transactionId: id,
          attemptIndex,
          ambiguousAttemptCount: 0,
          lastFailure: null,
          requestId: null,
        }),
      );
    }
    expect(callCount).toBe(100);
    const waited = outcomes.at(-1);
    expect(waited).toMatchObject({ kind: 'wait_for_breaker' });
    expect((await transactionOf(pool, id)).status).toBe('processing');
    // The console's record: 100 calls refused at the connection, then a wait with no call.
    const { rows } = await pool.query<{ operation: string; outcome: string; retry_delay_ms: number | null }>(
      'SELECT operation, outcome, retry_delay_ms FROM bank_attempts WHERE transaction_id = $1 ORDER BY id',
      [id],
    );
    expect(rows).toHaveLength(101);
    expect(rows.slice(0, 100).every((row) => row.operation === 'submit' && row.outcome === 'network_error')).toBe(true);
    expect(rows[100]).toEqual({
      operation: 'breaker_wait',
      outcome: 'breaker_open',
      retry_delay_ms: waited?.kind === 'wait_for_breaker' ? waited.delayMs : -1,
    });
  });
});
