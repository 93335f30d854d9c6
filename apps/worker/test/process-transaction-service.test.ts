// Goal: the last-attempt decisions that are hard to provoke with a real bank: when every submission failed
// and even the status query fails, a transaction whose attempts timed out (the bank may hold the order) is
// left processing for the reconciler, and one that was never sent is failed. Method: TransactionProcessor on
// the real database, with a bank client whose fetch times out on POST and cannot connect on GET.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';

import type { Pool } from '@paygate/db';
import { createPool, SettlementRepository, TransactionsRepository } from '@paygate/db';
import { CircuitBreaker } from '@paygate/domain';

import { createLogger } from '../src/infra/logger';
import { createMetrics } from '../src/metrics';
import { BankClient } from '../src/services/bank-client';
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

function processorWith(fetchFailure: (init: RequestInit | undefined) => Error): TransactionProcessor {
  const breaker = new CircuitBreaker({ failureCountThreshold: 100, cooldownMs: 1_000 }, Date.now);
  const metrics = createMetrics({ breakerState: () => breaker.state });
  const fetchStub: typeof fetch = (_url, init) => Promise.reject(fetchFailure(init));
  return new TransactionProcessor({
    transactions: new TransactionsRepository(pool),
    settlement: new SettlementRepository(pool),
    bank: new BankClient({
      baseUrl: 'http://bank.invalid',
      timeoutMs: 100,
      responseBytesMax: 1_024,
      metrics,
      fetch: fetchStub,
    }),
    breaker,
    retryPolicy: new RetryPolicy(2, 10, 100),
    callbackUrl: 'http://api.invalid/webhooks/bank-callback',
    logger: createLogger('silent'),
  });
}

const timeout = (): Error =>
  Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
const refused = (): Error =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

describe('TransactionProcessor, last attempt', () => {
  test('when an earlier attempt timed out and the status query fails too, then the transaction is left processing', async () => {
    const { userId } = await givenUserWithWallet(pool, 1_000n);
    const id = await givenTransaction(pool, userId, 'withdrawal', 1_000n);
    const processor = processorWith((init) => (init?.method === 'POST' ? timeout() : refused()));

    const outcome = await processor.process({
      transactionId: id,
      attemptIndex: 2,
      ambiguousAttemptCount: 1,
      requestId: 'req-ambiguous',
    });

    expect(outcome.kind).toBe('left_for_reconciler');
    expect((await transactionOf(pool, id)).status).toBe('processing');
    expect(await walletOf(pool, userId)).toEqual({ balanceMinor: 1_000n, heldMinor: 1_000n });
  });

  test('when no attempt could have reached the bank, then the last failure fails the transaction and voids its hold', async () => {
    const { userId } = await givenUserWithWallet(pool, 1_000n);
    const id = await givenTransaction(pool, userId, 'withdrawal', 1_000n);
    const processor = processorWith(() => refused());

    const outcome = await processor.process({
      transactionId: id,
      attemptIndex: 2,
      ambiguousAttemptCount: 0,
      requestId: null,
    });

    expect(outcome).toMatchObject({ kind: 'failed', errorCode: 'bank_unavailable' });
    expect(await transactionOf(pool, id)).toMatchObject({
      status: 'failed',
      errorCode: 'bank_unavailable',
      errorMessage: 'The bank could not be reached after 3 attempts; last error: connection refused (ECONNREFUSED).',
    });
    expect(await walletOf(pool, userId)).toEqual({ balanceMinor: 1_000n, heldMinor: 0n });
  });

  test('when attempts remain, then a timeout asks for a retry and counts as ambiguous', async () => {
    const { userId } = await givenUserWithWallet(pool, 0n);
    const id = await givenTransaction(pool, userId, 'deposit', 500n);
    const processor = processorWith(() => timeout());

    const outcome = await processor.process({
      transactionId: id,
      attemptIndex: 0,
      ambiguousAttemptCount: 0,
      requestId: null,
    });

    expect(outcome).toMatchObject({ kind: 'retry', failureKind: 'timeout', ambiguousAttemptCount: 1 });
    expect([10, 20, 40, 80, 100]).toContain((outcome as { delayMs: number }).delayMs);
  });
});
