// Goal: the SQL money functions enforce exactly the rules @paygate/domain states: the lifecycle
// (canTransition) and the double-entry ledger with holds (placeHold, settleDeposit, postHold, voidHold).
// Method: fast-check draws random sequences of creates (with repeated and reused idempotency keys), starts,
// bank outcomes (webhooks, duplicated, some for transactions not started yet), gateway failures and races of
// two operations at once. Each sequence runs through the real use cases on PostgreSQL and through a pure
// model built from the domain functions; after every step the statuses, balances and holds must agree. A
// race may serialise either way, so after a race the model keeps the order the database chose.
import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, inject, test } from 'vitest';

import type { Pool } from '@paygate/db';
import { auditLedger, createPool, SettlementRepository, TransactionsRepository } from '@paygate/db';
import type { Ledger, TransactionStatus, TransactionType } from '@paygate/domain';
import {
  canTransition,
  canonicalJson,
  checkInvariants,
  emptyLedger,
  formatAmount,
  holdsFunds,
  isTerminal,
  placeHold,
  postHold,
  settleDeposit,
  voidHold,
} from '@paygate/domain';

import { applyBankWebhook, createTransaction, failTransaction, startProcessing } from '../src';

const SECRET = 'differential-test-secret-0123456789';
const USER_COUNT = 3;
const KEY_COUNT = 6;
const CLEARING = 'clearing';

const pool: Pool = createPool({
  connectionString: inject('run').databaseUrl,
  applicationName: 'payments-differential',
  poolSizeMax: 6,
  statementTimeoutMs: 10_000,
  connectionTimeoutMs: 10_000,
  idleTimeoutMs: 1_000,
});
const transactions = new TransactionsRepository(pool);
const settlement = new SettlementRepository(pool);
afterAll(() => pool.end());

// --- operations ---

type Step =
  | { kind: 'create'; user: number; type: TransactionType; amountMinor: bigint; key: number }
  | { kind: 'start'; pick: number }
  | { kind: 'bank'; pick: number; status: 'success' | 'failed'; copies: number }
  | { kind: 'fail'; pick: number };
type Operation = Step | { kind: 'race'; first: Step; second: Step };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    user: fc.integer({ min: 0, max: USER_COUNT - 1 }),
    type: fc.constantFrom<TransactionType>('deposit', 'withdrawal'),
    amountMinor: fc.bigInt({ min: 1n, max: 40_000n }),
    key: fc.integer({ min: 0, max: KEY_COUNT - 1 }),
  }),
  fc.record({ kind: fc.constant('start' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('bank' as const),
    pick: fc.nat(),
    status: fc.constantFrom<'success' | 'failed'>('success', 'failed'),
    copies: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({ kind: fc.constant('fail' as const), pick: fc.nat() }),
);
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 4, arbitrary: stepArbitrary },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('race' as const), first: stepArbitrary, second: stepArbitrary }),
  },
);

// --- the model: the domain's rules, applied purely ---

interface ModelTransaction {
  user: number;
  key: number;
  type: TransactionType;
  amountMinor: bigint;
  status: TransactionStatus;
}

interface Model {
  ledger: Ledger;
  /** Transactions in creation order; a step's `pick` chooses among them. */
  transactions: ModelTransaction[];
  /** What each (user, key) first decided: the amount and type it was used with. */
  keys: Map<string, { type: TransactionType; amountMinor: bigint }>;
}

function walletOf(user: number): string {
  return `wallet-${user}`;
}

function newModel(openingMinor: bigint[]): Model {
  let ledger = emptyLedger([
    { id: CLEARING, kind: 'clearing', balanceMinor: 0n, heldMinor: 0n },
    ...openingMinor.map((_, user) => ({
      id: walletOf(user),
      kind: 'wallet' as const,
      balanceMinor: 0n,
      heldMinor: 0n,
    })),
  ]);
  openingMinor.forEach((amountMinor, user) => {
    if (amountMinor > 0n)
      ledger = settleDeposit(ledger, { walletId: walletOf(user), clearingId: CLEARING, amountMinor });
  });
  return { ledger, transactions: [], keys: new Map() };
}

function picked<T>(items: T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

/** One step applied to the model, by the domain's rules only. */
function applyToModel(model: Model, step: Step): Model {
  switch (step.kind) {
    case 'create': {
      const keyName = `${step.user}:${step.key}`;
      // A key already used: the same request is a replay, another one is refused; neither changes anything.
      if (model.keys.has(keyName)) return model;
      const keys = new Map(model.keys).set(keyName, { type: step.type, amountMinor: step.amountMinor });
      let { ledger } = model;
      if (step.type === 'withdrawal') {
        const held = placeHold(ledger, walletOf(step.user), step.amountMinor);
        if (!held.ok) return { ...model, keys };
        ledger = held.ledger;
      }
      const created: ModelTransaction = {
        user: step.user,
        key: step.key,
        type: step.type,
        amountMinor: step.amountMinor,
        status: 'pending',
      };
      return { ledger, keys, transactions: [...model.transactions, created] };
    }
    case 'start':
      return transition(model, step.pick, 'processing');
    case 'bank':
      return transition(model, step.pick, step.status);
    case 'fail':
      return transition(model, step.pick, 'failed');
  }
}

function transition(model: Model, pick: number, to: TransactionStatus): Model {
  const target = picked(model.transactions, pick);
  if (target === undefined || !canTransition(target.status, to)) return model;
  let { ledger } = model;
  const movement = { walletId: walletOf(target.user), clearingId: CLEARING, amountMinor: target.amountMinor };
  if (isTerminal(to)) {
    if (target.type === 'deposit' && to === 'success') ledger = settleDeposit(ledger, movement);
    if (target.type === 'withdrawal' && to === 'success') ledger = postHold(ledger, movement);
    if (target.type === 'withdrawal' && to === 'failed')
      ledger = voidHold(ledger, movement.walletId, movement.amountMinor);
  }
  const transactions = model.transactions.map((transaction) =>
    transaction === target ? { ...transaction, status: to } : transaction,
  );
  return { ...model, ledger, transactions };
}

// --- the system: the same steps through the real use cases ---

interface World {
  userIds: number[];
  /** The database id of each model transaction, by its (user, key). */
  ids: Map<string, number>;
}

async function applyToSystem(world: World, model: Model, step: Step): Promise<void> {
  switch (step.kind) {
    case 'create': {
      const userId = world.userIds[step.user] ?? 0;
      try {
        const outcome = await createTransaction(
          { transactions, idempotencyTtlHours: 24 },
          {
            userId,
            walletCurrency: 'USD',
            type: step.type,
            amountMinor: step.amountMinor,
            currency: 'USD',
            idempotencyKey: `${userId}-key-${step.key}`,
            path: step.type === 'deposit' ? '/api/v1/deposits' : '/api/v1/withdrawals',
            requestId: randomUUID(),
          },
        );
        if (outcome.kind === 'created') world.ids.set(`${step.user}:${step.key}`, outcome.transaction.id);
      } catch (error) {
        // A reused key or a concurrent duplicate: a refusal, which changes nothing (the model agrees).
        if (!(error instanceof Error && 'code' in error)) throw error;
      }
      return;
    }
    case 'start': {
      const id = idOf(world, model, step.pick);
      if (id !== undefined) await startProcessing(settlement, { transactionId: id, requestId: null });
      return;
    }
    case 'bank': {
      const id = idOf(world, model, step.pick);
      if (id === undefined) return;
      const body = await bankWebhookFor(id, step.status);
      for (let copy = 0; copy < step.copies; copy += 1) {
        await applyBankWebhook(settlement, body, {
          secret: SECRET,
          toleranceS: 300,
          nowS: Math.floor(Date.now() / 1000),
          requestId: 'differential',
          sourceAddress: null,
        });
      }
      return;
    }
    case 'fail': {
      const target = picked(model.transactions, step.pick);
      const id = idOf(world, model, step.pick);
      if (id === undefined || target === undefined) return;
      await failTransaction(settlement, {
        transactionId: id,
        type: target.type,
        code: 'bank_rejected',
        detail: 'differential test',
        cause: 'test.fail',
        requestId: null,
      });
    }
  }
}

function idOf(world: World, model: Model, pick: number): number | undefined {
  const target = picked(model.transactions, pick);
  return target === undefined ? undefined : world.ids.get(`${target.user}:${target.key}`);
}

/** What our bank would send for the order the gateway placed (or, for a transaction never started, the seed's form). */
async function bankWebhookFor(id: number, status: 'success' | 'failed'): Promise<Record<string, unknown>> {
  const { rows } = await pool.query<{ order_key: string | null; amount: string; currency: string }>(
    'SELECT bank_order_key::text AS order_key, amount, currency FROM transactions WHERE id = $1',
    [id],
  );
  const row = rows[0];
  const payload: Record<string, unknown> =
    row?.order_key == null
      ? { transaction_id: id, bank_reference: `BNK-D${id}`, status }
      : {
          transaction_id: id,
          bank_reference: `BNK-D${id}`,
          status,
          error_message: status === 'failed' ? 'declined' : null,
          order_key: row.order_key,
          amount: formatAmount(BigInt(row.amount)),
          currency: row.currency,
          timestamp: Math.floor(Date.now() / 1000),
        };
  return { ...payload, signature: createHmac('sha256', SECRET).update(canonicalJson(payload)).digest('hex') };
}

// --- comparing ---

interface Observed {
  wallets: { balanceMinor: bigint; heldMinor: bigint }[];
  statuses: Map<string, { status: string; type: string; amountMinor: bigint }>;
}

async function observe(world: World): Promise<Observed> {
  const { rows: wallets } = await pool.query<{ user_id: string; balance: string; held: string }>(
    "SELECT user_id, balance, held FROM accounts WHERE kind = 'wallet' AND user_id = ANY($1::bigint[])",
    [world.userIds],
  );
  const { rows: rows } = await pool.query<{
    user_id: string;
    idempotency_key: string;
    status: string;
    type: string;
    amount: string;
  }>('SELECT user_id, idempotency_key, status, type, amount FROM transactions WHERE user_id = ANY($1::bigint[])', [
    world.userIds,
  ]);
  const userIndex = (userId: string) => world.userIds.indexOf(Number(userId));
  return {
    wallets: world.userIds.map((userId) => {
      const wallet = wallets.find((row) => Number(row.user_id) === userId);
      return { balanceMinor: BigInt(wallet?.balance ?? -1), heldMinor: BigInt(wallet?.held ?? -1) };
    }),
    statuses: new Map(
      rows.map((row) => [
        `${userIndex(row.user_id)}:${row.idempotency_key.split('-key-')[1] ?? ''}`,
        { status: row.status, type: row.type, amountMinor: BigInt(row.amount) },
      ]),
    ),
  };
}

function expected(model: Model): Observed {
  return {
    wallets: Array.from({ length: USER_COUNT }, (_, user) => {
      const account = model.ledger.accounts.get(walletOf(user));
      return { balanceMinor: account?.balanceMinor ?? -1n, heldMinor: account?.heldMinor ?? -1n };
    }),
    statuses: new Map(
      model.transactions.map((transaction) => [
        `${transaction.user}:${transaction.key}`,
        { status: transaction.status, type: transaction.type, amountMinor: transaction.amountMinor },
      ]),
    ),
  };
}

function agrees(observed: Observed, model: Model): boolean {
  const want = expected(model);
  const sameWallets = observed.wallets.every((wallet, index) => {
    const wanted = want.wallets[index];
    return wanted !== undefined && wallet.balanceMinor === wanted.balanceMinor && wallet.heldMinor === wanted.heldMinor;
  });
  if (!sameWallets || observed.statuses.size !== want.statuses.size) return false;
  for (const [key, value] of want.statuses) {
    const seen = observed.statuses.get(key);
    if (seen?.status !== value.status || seen.type !== value.type || seen.amountMinor !== value.amountMinor)
      return false;
  }
  return true;
}

function describeState(state: Observed): unknown {
  return {
    wallets: state.wallets.map((wallet) => `${wallet.balanceMinor}/${wallet.heldMinor}`),
    transactions: Object.fromEntries(
      [...state.statuses].map(([key, value]) => [key, `${value.type} ${value.amountMinor} ${value.status}`]),
    ),
  };
}

async function givenUsers(openingMinor: bigint[]): Promise<number[]> {
  const ids: number[] = [];
  for (const amountMinor of openingMinor) {
    const { rows } = await pool.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
      `diff-${randomUUID()}@test.paygate`,
    ]);
    const userId = Number(rows[0]?.id);
    await pool.query("SELECT paygate_open_wallet($1, 'USD', $2)", [userId, amountMinor.toString()]);
    ids.push(userId);
  }
  return ids;
}

describe('the SQL money functions and the domain rules', () => {
  test('when random sequences of creates, starts, bank outcomes, duplicates and races run through both, then they agree after every step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 60_000n }), { minLength: USER_COUNT, maxLength: USER_COUNT }),
        fc.array(operationArbitrary, { minLength: 1, maxLength: 40 }),
        async (openingMinor, operations) => {
          const world: World = { userIds: await givenUsers(openingMinor), ids: new Map() };
          let model = newModel(openingMinor);
          for (const operation of operations) {
            if (operation.kind !== 'race') {
              await applyToSystem(world, model, operation);
              model = applyToModel(model, operation);
            } else {
              await Promise.all([
                applyToSystem(world, model, operation.first),
                applyToSystem(world, model, operation.second),
              ]);
              // Either serial order is correct; the database chose one, and the model follows it.
              const observed = await observe(world);
              const firstThenSecond = applyToModel(applyToModel(model, operation.first), operation.second);
              const secondThenFirst = applyToModel(applyToModel(model, operation.second), operation.first);
              model = agrees(observed, firstThenSecond) ? firstThenSecond : secondThenFirst;
            }
            const observed = await observe(world);
            if (!agrees(observed, model)) {
              expect({ after: operation, database: describeState(observed) }).toEqual({
                after: operation,
                database: describeState(expected(model)),
              });
            }
            expect(checkInvariants(model.ledger)).toEqual([]);
            // Holds exist exactly for the withdrawals the lifecycle says still hold funds.
            for (let user = 0; user < USER_COUNT; user += 1) {
              const heldMinor = model.transactions
                .filter((transaction) => transaction.user === user && holdsFunds(transaction.type, transaction.status))
                .reduce((sum, transaction) => sum + transaction.amountMinor, 0n);
              expect(model.ledger.accounts.get(walletOf(user))?.heldMinor).toBe(heldMinor);
            }
          }
        },
      ),
      { numRuns: Number(process.env.DIFFERENTIAL_RUNS ?? 100) },
    );
    expect(await auditLedger(pool)).toEqual([]);
  });
});
