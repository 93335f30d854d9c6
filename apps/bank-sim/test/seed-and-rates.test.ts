// Goal: a seeded run repeats itself (references and outcomes), and the success rate's extremes hold.
// Method: banks with the same BANK_SEED, each on a fresh database, given the same request sequence; then
// rates 0.0 and 1.0.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { asOrder, createTestRun, newOrder, startBank, waitForSettled } from './setup/bank';
import type { TestBank, TestRun } from './setup/bank';
import { startReceiver } from './setup/receiver';
import type { Receiver } from './setup/receiver';

let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.stop();
});

interface SeededBank {
  bank: TestBank;
  run: TestRun;
}

async function startSeededBank(label: string, env: Record<string, string>): Promise<SeededBank> {
  const run = await createTestRun(label);
  return { bank: await startBank({ databaseUrl: run.bankDatabaseUrl, callbackUrl: receiver.url, env }), run };
}

async function stopSeededBank(seeded: SeededBank): Promise<void> {
  await seeded.bank.stop();
  await seeded.run.cleanup();
}

/** Sends the same sequence of orders (by position) and returns what the bank made of them once settled. */
async function runSequence(
  bank: TestBank,
): Promise<{ bankReference: string; status: string; errorMessage: string | null }[]> {
  const references: string[] = [];
  for (let index = 0; index < 8; index += 1) {
    const { body } = newOrder({
      reference: String(9000 + index),
      type: index % 2 === 0 ? 'deposit' : 'withdrawal',
    });
    const answer = await bank.post(body, { 'idempotency-key': `seeded-${index}` });
    references.push(asOrder(answer).bank_reference);
  }
  const settled = await Promise.all(references.map((reference) => waitForSettled(bank, reference)));
  return settled.map((order) => ({
    bankReference: order.bank_reference,
    status: order.status,
    errorMessage: order.error_message,
  }));
}

describe('BANK_SEED', () => {
  test('when two runs share a seed and a request sequence, then references and outcomes repeat', async () => {
    const env = { BANK_SEED: 'repeat-me', BANK_SUCCESS_RATE: '0.5' };
    const banks = await Promise.all([
      startSeededBank('seed_a', env),
      startSeededBank('seed_b', env),
      startSeededBank('seed_other', { ...env, BANK_SEED: 'another-seed' }),
    ]);
    try {
      const [runA, runB, runOther] = await Promise.all(banks.map((seeded) => runSequence(seeded.bank)));

      expect(runB).toEqual(runA);
      expect(new Set(runA!.map((order) => order.status))).toEqual(new Set(['success', 'failed']));
      expect(runOther!.map((order) => order.bankReference)).not.toEqual(runA!.map((order) => order.bankReference));
    } finally {
      await Promise.all(banks.map(stopSeededBank));
    }
  });
});

describe('BANK_SUCCESS_RATE', () => {
  test('when it is 0.0, then every order fails, deposits declined and withdrawals declined or insufficient_funds', async () => {
    const seeded = await startSeededBank('rate_zero', { BANK_SUCCESS_RATE: '0', BANK_SEED: 'zero-rate' });
    try {
      const settled = await runSequence(seeded.bank);

      expect(settled.every((order) => order.status === 'failed')).toBe(true);
      settled.forEach((order, index) => {
        const reasons = index % 2 === 0 ? ['declined'] : ['declined', 'insufficient_funds'];
        expect(reasons).toContain(order.errorMessage);
      });
      // This seed draws both withdrawal reasons within the run (the draws are fixed by the seed).
      expect(settled.some((order) => order.errorMessage === 'insufficient_funds')).toBe(true);
    } finally {
      await stopSeededBank(seeded);
    }
  });

  test('when it is 1.0, then every order succeeds', async () => {
    const seeded = await startSeededBank('rate_one', { BANK_SUCCESS_RATE: '1', BANK_SEED: 'rate-one' });
    try {
      const settled = await runSequence(seeded.bank);

      expect(settled.every((order) => order.status === 'success' && order.errorMessage === null)).toBe(true);
    } finally {
      await stopSeededBank(seeded);
    }
  });
});
