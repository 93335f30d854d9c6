// Goal: expired idempotency keys, long-published outbox rows and the console's old records (bank attempts,
// replayed dead letters, ledger checks, ended operator sessions) are deleted in bounded batches, and nothing
// younger, nor a dead letter never replayed, nor the operator audit log, is touched. Method: a worker whose retention runs every 100 ms in batches of 2; rows are made old
// by moving their timestamps back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { waitFor } from '@paygate/testkit';

import { givenTransaction, givenUserWithWallet } from './setup/fixtures';
import type { TestWorld } from './setup/worker';
import { startWorld } from './setup/worker';

let world: TestWorld;

beforeAll(async () => {
  world = await startWorld('retention', {
    RETENTION_INTERVAL_MS: '100',
    RETENTION_BATCH_SIZE: '2',
    IDEMPOTENCY_TTL_HOURS: '24',
    OUTBOX_RETENTION_HOURS: '168',
    BANK_ATTEMPT_RETENTION_DAYS: '90',
    DEAD_LETTER_RETENTION_DAYS: '30',
    LEDGER_CHECK_RETENTION_DAYS: '30',
    OPERATOR_SESSION_RETENTION_DAYS: '7',
    USER_SESSION_RETENTION_DAYS: '7',
  });
});

afterAll(async () => {
  await world.stop();
});

async function countWhere(sql: string, ids: number[]): Promise<number> {
  const { rows } = await world.pool.query<{ count: string }>(sql, [ids.map(String)]);
  return Number(rows[0]?.count);
}

describe('retention', () => {
  test('when idempotency keys pass their TTL and outbox rows their retention, then only those are deleted', async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, index) => givenTransaction(world.pool, userId, 'deposit', 100n + BigInt(index))),
    );
    const [old, fresh] = [ids.slice(0, 3), ids.slice(3)];
    await waitFor(
      async () =>
        (await countWhere(
          'SELECT count(*) FROM outbox WHERE published_at IS NULL AND transaction_id = ANY($1::bigint[])',
          ids,
        )) === 0
          ? true
          : undefined,
      'the relay to publish every row',
    );
    await world.pool.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE transaction_id = ANY($1::bigint[])",
      [old],
    );
    await world.pool.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '23 hours' WHERE transaction_id = ANY($1::bigint[])",
      [fresh],
    );
    await world.pool.query(
      "UPDATE outbox SET published_at = now() - interval '169 hours' WHERE transaction_id = ANY($1::bigint[])",
      [old.map(String)],
    );

    await waitFor(
      async () =>
        (await countWhere('SELECT count(*) FROM idempotency_keys WHERE transaction_id::text = ANY($1)', old)) === 0
          ? true
          : undefined,
      'expired keys to go',
    );
    await waitFor(
      async () =>
        (await countWhere('SELECT count(*) FROM outbox WHERE transaction_id = ANY($1::bigint[])', old)) === 0
          ? true
          : undefined,
      'old outbox rows to go',
    );

    expect(await countWhere('SELECT count(*) FROM idempotency_keys WHERE transaction_id::text = ANY($1)', fresh)).toBe(
      3,
    );
    expect(await countWhere('SELECT count(*) FROM outbox WHERE transaction_id = ANY($1::bigint[])', fresh)).toBe(3);
    expect(await countWhere('SELECT count(*) FROM transactions WHERE id::text = ANY($1)', ids)).toBe(6);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'idempotency_key' })).toBe(3);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'outbox' })).toBe(3);
  });

  test("when the console's records grow old, then old attempts, replayed letters, checks and ended sessions go and the audit stays", async () => {
    const { userId } = await givenUserWithWallet(world.pool, 0n);
    const transactionId = await givenTransaction(world.pool, userId, 'deposit', 500n);
    const ids = async (sql: string, params: unknown[] = []): Promise<string[]> =>
      (await world.pool.query<{ id: string }>(sql, params)).rows.map((row) => row.id);
    const attempt = (age: string) =>
      ids(
        `INSERT INTO bank_attempts (transaction_id, operation, attempt_index, started_at, outcome)
         VALUES ($1, 'submit', 0, now() - $2::interval, 'accepted') RETURNING id`,
        [transactionId, age],
      );
    const letter = (deadLetteredAge: string, replayedAge: string | null) =>
      ids(
        `INSERT INTO dead_letters (transaction_id, reason, payload, dead_lettered_at, replayed_at, replay_outcome)
         VALUES ($1, 'bank_rejected: test', '{}'::jsonb, now() - $2::interval, now() - $3::interval,
                 CASE WHEN $3::interval IS NULL THEN NULL ELSE 'requeued' END) RETURNING id`,
        [transactionId, deadLetteredAge, replayedAge],
      );
    const check = (age: string) =>
      ids(
        `INSERT INTO ledger_checks (checked_at, is_balanced, violation_count, summary)
         VALUES (now() - $1::interval, true, 0, '{}'::jsonb) RETURNING id`,
        [age],
      );
    const [operatorId] = await ids(
      `INSERT INTO operators (email, role, password_hash) VALUES ($1, 'operator', 'scrypt$test') RETURNING id`,
      [`retention-${Date.now()}@example.com`],
    );
    const session = (expiresAge: string, revokedAge: string | null) =>
      ids(
        `INSERT INTO operator_sessions (operator_id, token_hash, created_at, expires_at, revoked_at)
         VALUES ($1, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() - interval '60 days',
                 now() - $2::interval, now() - $3::interval) RETURNING id`,
        [operatorId, expiresAge, revokedAge],
      );
    await world.pool.query(
      `INSERT INTO operator_audit (operator_id, action, payment_id, reason, outcome, at)
       VALUES ($1, 'retry', $2, 'old audit entry', 'requeued', now() - interval '400 days')`,
      [operatorId, transactionId],
    );

    await attempt('91 days');
    await attempt('92 days');
    await attempt('93 days');
    await attempt('89 days');
    await letter('60 days', '31 days');
    await letter('60 days', '29 days');
    // Never replayed: it waits for an operator however old it is.
    await letter('400 days', null);
    await check('31 days');
    await check('32 days');
    await check('33 days');
    await check('29 days');
    await session('8 days', null);
    await session('-1 day', '9 days');
    await session('6 days', null);
    await session('-1 day', null);
    const [keyId] = await ids(
      `INSERT INTO api_keys (user_id, key_prefix, key_hash) VALUES ($1, 'pgk_reten', encode(sha256(gen_random_uuid()::text::bytea), 'hex'))
       RETURNING id`,
      [userId],
    );
    const userSession = (expiresAge: string, revokedAge: string | null) =>
      ids(
        `INSERT INTO user_sessions (user_id, api_key_id, token_hash, created_at, expires_at, revoked_at)
         VALUES ($1, $2, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() - interval '60 days',
                 now() - $3::interval, now() - $4::interval) RETURNING id`,
        [userId, keyId, expiresAge, revokedAge],
      );
    await userSession('8 days', null);
    await userSession('-1 day', '9 days');
    await userSession('6 days', null);
    await userSession('-1 day', null);

    await waitFor(
      async () =>
        (await world.metric('paygate_worker_retention_deleted_total', { kind: 'operator_session' })) === 2 &&
        (await world.metric('paygate_worker_retention_deleted_total', { kind: 'user_session' })) === 2 &&
        (await world.metric('paygate_worker_retention_deleted_total', { kind: 'bank_attempt' })) === 3
          ? true
          : undefined,
      "the console's old records to go",
    );

    expect(
      (
        await ids("SELECT id FROM bank_attempts WHERE transaction_id = $1 AND started_at < now() - interval '1 day'", [
          transactionId,
        ])
      ).length,
    ).toBe(1);
    expect((await ids('SELECT id FROM dead_letters WHERE transaction_id = $1', [transactionId])).length).toBe(2);
    expect((await ids("SELECT id FROM ledger_checks WHERE checked_at < now() - interval '1 day'")).length).toBe(1);
    expect((await ids('SELECT id FROM operator_sessions WHERE operator_id = $1', [operatorId])).length).toBe(2);
    expect((await ids('SELECT id FROM operator_audit WHERE operator_id = $1', [operatorId])).length).toBe(1);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'bank_attempt' })).toBe(3);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'dead_letter' })).toBe(1);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'ledger_check' })).toBe(3);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'operator_session' })).toBe(2);
    expect(await world.metric('paygate_worker_retention_deleted_total', { kind: 'user_session' })).toBe(2);
    expect((await ids('SELECT id FROM user_sessions WHERE user_id = $1', [userId])).length).toBe(2);
  });
});
