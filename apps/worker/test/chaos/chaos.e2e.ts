// Goal: under a storm of concurrent deposits and withdrawals, client retries with the same keys, bank
// failures, 503s and timeouts, duplicated webhooks, and repeated SIGKILLs of the workers and of the bank,
// no cent is lost, invented or moved twice. Method: drive the real stack (2 API and 2 worker processes,
// one bank) with seeded randomness, wait for quiescence, then check every invariant from the database and
// through the API, and ask the second judge, the bank: every transaction's final status must equal the
// bank's own record of its order, and the bank must hold no order the gateway did not place. Any
// violation fails. Size: CHAOS_SIZE=ci (default, bounded for CI) or large, or CHAOS_OPS=<n>; CHAOS_SEED
// fixes the run.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, test } from 'vitest';

import type { Pool } from '@paygate/db';
import { formatAmount } from '@paygate/domain';
import { sleep, waitFor } from '@paygate/testkit';

import type { Answer, SystemUser } from '../e2e/support';
import { api, auditLedger, statusCounts, useSystem } from '../e2e/support';

const SIZES = {
  ci: { users: 12, operations: 300, concurrency: 12, kills: 2, bankKills: 1 },
  large: { users: 50, operations: 5_000, concurrency: 32, kills: 6, bankKills: 3 },
} as const;
const sizeName = process.env.CHAOS_SIZE === 'large' ? 'large' : 'ci';
const size = SIZES[sizeName];
const OPERATIONS = Number(process.env.CHAOS_OPS ?? size.operations);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded generator, so a failing run can be replayed with its CHAOS_SEED. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sent {
  key: string;
  type: 'deposit' | 'withdrawal';
  amountMinor: bigint;
  user: SystemUser;
  answers: Answer[];
}

const system = useSystem('chaos', {
  apiCount: 2,
  workerCount: 2,
  env: {
    bank: {
      BANK_MIN_DELAY_MS: '5',
      BANK_MAX_DELAY_MS: '150',
      BANK_SUCCESS_RATE: '0.85',
      BANK_UNAVAILABLE_RATE: '0.08',
      BANK_TIMEOUT_RATE: '0.02',
      BANK_HANG_MS: '1500',
      BANK_SEED: String(SEED),
    },
    api: {
      RATE_LIMIT_GLOBAL_PER_MIN: '10000000',
      RATE_LIMIT_BALANCE_PER_MIN: '10000000',
      RATE_LIMIT_TRANSACTIONS_PER_MIN: '10000000',
      LOG_LEVEL: 'warn',
    },
    worker: {
      BANK_TIMEOUT_MS: '800',
      RECONCILE_PROCESSING_AFTER_MS: '2500',
      RETRY_HORIZON_MS: '600000',
      LOG_LEVEL: 'warn',
    },
  },
});

describe(`chaos (${OPERATIONS} operations, ${size.users} users, ${size.concurrency} clients, 2 APIs, 2 workers, ${size.kills} worker kills, ${size.bankKills} bank kills, seed ${SEED})`, () => {
  test('when the storm is over, then every invariant holds', async () => {
    await system().stack.controlBank({ duplicate_webhooks: true });
    const random = seeded(SEED);
    const users: { user: SystemUser; openingMinor: bigint }[] = [];
    for (let index = 0; index < size.users; index += 1) {
      const openingMinor = BigInt(Math.floor(random() * 50_000));
      users.push({ user: await system().createUser(formatAmount(openingMinor)), openingMinor });
    }

    const sent: Sent[] = [];
    let next = 0;
    const client = async () => {
      while (next < OPERATIONS) {
        next += 1;
        const { user } = users[Math.floor(random() * users.length)] ?? users[0]!;
        const type = random() < 0.5 ? 'deposit' : 'withdrawal';
        const amountMinor = BigInt(1 + Math.floor(random() * 20_000));
        const entry: Sent = { key: randomUUID(), type, amountMinor, user, answers: [] };
        sent.push(entry);
        const path = type === 'deposit' ? '/api/v1/deposits' : '/api/v1/withdrawals';
        // Clients spread over both API instances; a retry may land on the other one.
        const send = () =>
          api(system().stack, user, path, {
            body: { amount: formatAmount(amountMinor) },
            key: entry.key,
            apiUrl: pick(random, system().stack.apiUrls),
          });
        // A third of the clients "lose" the answer and retry with the same key, sometimes concurrently.
        const retry = random();
        if (retry < 0.15) entry.answers.push(...(await Promise.all([send(), send()])));
        else {
          entry.answers.push(await send());
          if (retry < 0.33) entry.answers.push(await send());
        }
      }
    };
    // The kills are spread over the load; the pauses only space them out, nothing waits on them for a state.
    const workerKiller = async () => {
      for (let kill = 0; kill < size.kills; kill += 1) {
        await sleep(500 + random() * 1_500);
        const worker = pick(random, system().stack.workers);
        await worker.kill('SIGKILL');
        await sleep(random() * 300);
        await worker.start();
      }
    };
    const bankKiller = async () => {
      for (let kill = 0; kill < size.bankKills; kill += 1) {
        await sleep(1_000 + random() * 2_000);
        await system().stack.bank.kill('SIGKILL');
        await sleep(random() * 500);
        await system().stack.bank.start();
      }
    };
    const started = Date.now();
    await Promise.all([...Array.from({ length: size.concurrency }, client), workerKiller(), bankKiller()]);
    const loadMs = Date.now() - started;

    await waitFor(
      async () => {
        const counts = await statusCounts(system().pool);
        return (counts.pending ?? 0) + (counts.processing ?? 0) === 0 ? true : undefined;
      },
      'every transaction to become terminal',
      { timeoutMs: 600_000, intervalMs: 200 },
    );
    const quiescentMs = Date.now() - started;

    // 1. No answer was a 5xx, and every 202 under one key names one and the same transaction.
    const allAnswers = sent.flatMap((entry) => entry.answers);
    const serverErrors = allAnswers.filter((answer) => answer.status >= 500);
    const accepted = new Map<string, Set<number>>();
    for (const entry of sent) {
      for (const answer of entry.answers) {
        expect([202, 400, 409]).toContain(answer.status);
        if (answer.status === 202)
          accepted.set(entry.key, (accepted.get(entry.key) ?? new Set()).add(answer.body.id as number));
      }
    }
    const keysWithTwoTransactions = [...accepted.values()].filter((ids) => ids.size !== 1).length;

    // 2. Every transaction in the database came from a 202, once per key, and is terminal.
    const { rows: transactions } = await system().pool.query<{
      id: string;
      idempotency_key: string;
      user_id: string;
      type: string;
      status: string;
      amount: string;
    }>('SELECT id, idempotency_key, user_id, type, status, amount FROM transactions');
    const dbKeys = new Map<string, number>();
    for (const row of transactions) dbKeys.set(row.idempotency_key, (dbKeys.get(row.idempotency_key) ?? 0) + 1);
    const transactionsWithout202 = transactions.filter((row) => !accepted.has(row.idempotency_key)).length;
    const acceptedWithoutTransaction = [...accepted.keys()].filter((key) => !dbKeys.has(key)).length;
    const duplicatedKeys = [...dbKeys.values()].filter((count) => count > 1).length;
    const nonTerminal = transactions.filter((row) => row.status !== 'success' && row.status !== 'failed').length;

    // 3. Each wallet = opening + successful deposits - successful withdrawals, through the API too.
    let walletMismatches = 0;
    for (const { user, openingMinor } of users) {
      const mine = transactions.filter((row) => Number(row.user_id) === user.id && row.status === 'success');
      const expected = mine.reduce(
        (sum, row) => sum + (row.type === 'deposit' ? 1n : -1n) * BigInt(row.amount),
        openingMinor,
      );
      const balance = (await api(system().stack, user, `/api/v1/users/${user.id}/balance`)).body;
      if (balance.balance !== formatAmount(expected) || balance.available_balance !== formatAmount(expected))
        walletMismatches += 1;
    }

    // 4. The ledger: sums to zero, cached balances equal postings, available >= 0, settled at most once.
    const audit = await auditLedger(system().pool);
    const terminalEvents = await system().pool.query<{ count: string }>(
      "SELECT count(*) AS count FROM (SELECT transaction_id FROM transaction_events WHERE to_status IN ('success', 'failed') GROUP BY transaction_id HAVING count(*) > 1) twice",
    );
    const settledTwice = Number(terminalEvents.rows[0]?.count ?? 0);
    const counts = await statusCounts(system().pool);

    // 5. The second judge: the bank's own books.
    const bank = await bankJudgement(system().pool, system().run.bankDatabaseUrl ?? '');

    const report = {
      seed: SEED,
      operations: OPERATIONS,
      requests: allAnswers.length,
      answers: Object.fromEntries(
        [202, 400, 409].map((status) => [status, allAnswers.filter((answer) => answer.status === status).length]),
      ),
      transactions: counts,
      workerKills: size.kills,
      bankKills: size.bankKills,
      bankOrders: bank.orderCount,
      loadSeconds: Math.round(loadMs / 100) / 10,
      quiescentSeconds: Math.round(quiescentMs / 100) / 10,
      checks: {
        serverErrors: serverErrors.length,
        keysWithTwoTransactions,
        transactionsWithout202,
        acceptedWithoutTransaction,
        duplicatedKeys,
        nonTerminal,
        walletMismatches,
        ledgerViolations: audit.length,
        settledTwice,
        bankDisagrees: bank.disagreements.length,
        bankOrdersNotPlaced: bank.ordersNotPlaced,
      },
    };
    console.log(`chaos report: ${JSON.stringify(report, null, 2)}`);
    expect(report.checks).toEqual({
      serverErrors: 0,
      keysWithTwoTransactions: 0,
      transactionsWithout202: 0,
      acceptedWithoutTransaction: 0,
      duplicatedKeys: 0,
      nonTerminal: 0,
      walletMismatches: 0,
      ledgerViolations: 0,
      settledTwice: 0,
      bankDisagrees: 0,
      bankOrdersNotPlaced: 0,
    });
    expect(bank.disagreements).toEqual([]);
    expect(audit).toEqual([]);
    expect((counts.success ?? 0) + (counts.failed ?? 0)).toBeGreaterThan(OPERATIONS / 3);
  });
});

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)] ?? items[0];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
}

/** Every order in the simulator's books (apps/bank-sim's bank_orders), with the key it was placed under. */
const BANK_ORDERS_QUERY = 'SELECT idempotency_key AS order_key, status FROM bank_orders';

interface BankJudgement {
  orderCount: number;
  /** Transactions whose final status is not what the bank did with their order. */
  disagreements: { id: string; gateway: string; bank: string }[];
  /** Orders at the bank under a key the gateway never minted. */
  ordersNotPlaced: number;
}

/**
 * Reads the bank's books (its own database) beside the gateway's. A success here needs a successful order
 * there; a failure needs a failed order or none at all (the bank refused it, or never got it); and every
 * order there carries an order key one of our transactions holds.
 */
async function bankJudgement(gateway: Pool, bankDatabaseUrl: string): Promise<BankJudgement> {
  const bank = new pg.Client({ connectionString: bankDatabaseUrl });
  await bank.connect();
  try {
    const { rows: orders } = await bank.query<{ order_key: string; status: string }>(BANK_ORDERS_QUERY);
    const { rows: transactions } = await gateway.query<{ id: string; status: string; bank_order_key: string | null }>(
      'SELECT id, status, bank_order_key::text AS bank_order_key FROM transactions',
    );
    const orderByKey = new Map(orders.map((order) => [order.order_key, order.status]));
    const keys = new Set(transactions.map((row) => row.bank_order_key).filter((key): key is string => key !== null));
    const disagreements: BankJudgement['disagreements'] = [];
    for (const row of transactions) {
      const atBank = row.bank_order_key === null ? undefined : orderByKey.get(row.bank_order_key);
      const agrees = row.status === 'success' ? atBank === 'success' : atBank === undefined || atBank === 'failed';
      if (!agrees) disagreements.push({ id: row.id, gateway: row.status, bank: atBank ?? 'no order' });
    }
    return {
      orderCount: orders.length,
      disagreements,
      ordersNotPlaced: orders.filter((order) => !keys.has(order.order_key)).length,
    };
  } finally {
    await bank.end();
  }
}
