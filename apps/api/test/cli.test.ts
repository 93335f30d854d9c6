// Goal: an operator can script `pnpm paygate`: with --json every command prints exactly one JSON document
// on stdout and nothing else, an error is one JSON object on stderr, and the exit code says what happened
// (0 ok, 1 failure, 2 usage, 3 not found, 4 already exists), as the help documents. Method: run the CLI
// from source with tsx as a child process against this run's database, as a person would, and use what it
// prints: the key it issues logs in, the webhook it signs is accepted by the API.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';

import { SettlementRepository } from '@paygate/db';

import type { TestApi } from './setup/api';
import { call, givenUser, postDeposit, startApi, WEBHOOK_SECRET } from './setup/api';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function paygate(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      {
        cwd: API_DIR,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          DATABASE_URL: inject('run').databaseUrl,
          WEBHOOK_SECRET,
          ...env,
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
    // Standard input as a pipe that ends: what a script gives, e.g. `echo "$PW" | pnpm paygate ...`.
    child.stdin?.end(stdin);
  });
}

/** Exactly one JSON document and nothing else (one line, as `| jq` and JSON.parse expect). */
function onlyJson(text: string): unknown {
  expect(text.endsWith('\n')).toBe(true);
  expect(text.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(text);
}

const email = () => `cli-${randomUUID().slice(0, 12)}@test.paygate`;

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('pnpm paygate help', () => {
  test('when asked for help, then the commands and every exit code are listed', async () => {
    const run = await paygate(['help']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    for (const line of ['user create', 'user list', 'key rotate', 'webhook sign', '--json', 'Exit codes:']) {
      expect(run.stdout).toContain(line);
    }
    expect(run.stdout).toMatch(
      / {2}0 {2}done\n {2}1 {2}failed.*\n {2}2 {2}usage.*\n {2}3 {2}not found.*\n {2}4 {2}already exists/,
    );
  });

  test('when asked for help --json, then one JSON document with the commands and exit codes', async () => {
    const run = await paygate(['help', '--json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const help = onlyJson(run.stdout) as { commands: { command: string }[]; exit_codes: Record<string, string> };
    expect(help.commands.map((command) => command.command)).toEqual(
      expect.arrayContaining(['user create', 'user list', 'key issue', 'key rotate', 'key revoke', 'webhook sign']),
    );
    expect(Object.keys(help.exit_codes)).toEqual(['0', '1', '2', '3', '4']);
  });
});

describe('pnpm paygate user and key', () => {
  test('when a user is created with --json, then stdout is only the JSON, and its key logs in', async () => {
    const address = email();
    const run = await paygate(['user', 'create', '--email', address, '--balance', '12.50', '--json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const created = onlyJson(run.stdout) as { id: number; email: string; api_key: string; balance: string };
    expect(created).toEqual({
      id: expect.any(Number),
      email: address,
      api_key: expect.stringMatching(/^pgk_/),
      balance: '12.50',
      currency: 'USD',
    });
    const login = await call(api.baseUrl, '/api/v1/auth/login', { body: { email: address, api_key: created.api_key } });
    expect(login.status).toBe(200);
    expect(login.body.id).toBe(created.id);
  });

  test('when a user is created without --json, then a person reads what happened and the key', async () => {
    const address = email();
    const run = await paygate(['user', 'create', '--email', address]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^created user \\d+ ${address} with 0\\.00 USD\\nAPI key \\(shown once, store it now\\): pgk_\\S+\\n$`,
      ),
    );
  });

  test('when the email is taken, then exit 4 and, with --json, one JSON error on stderr and nothing on stdout', async () => {
    const user = await givenUser();
    const run = await paygate(['user', 'create', '--email', user.email, '--json']);
    expect(run.status).toBe(4);
    expect(run.stdout).toBe('');
    expect(onlyJson(run.stderr)).toEqual({
      error: 'already_exists',
      message: `a user with email ${user.email} already exists`,
      exit_code: 4,
    });
    const plain = await paygate(['user', 'create', '--email', user.email]);
    expect(plain.status).toBe(4);
    expect(plain.stderr).toBe(`error: a user with email ${user.email} already exists\n`);
  });

  test('when users are listed with --json, then one JSON array that holds the new user', async () => {
    const user = await givenUser('3.00');
    const run = await paygate(['user', 'list', '--limit', '10000', '--json']);
    expect(run.status).toBe(0);
    const users = onlyJson(run.stdout) as { id: number; email: string; balance: string }[];
    expect(users).toContainEqual(
      expect.objectContaining({ id: user.id, email: user.email, balance: '3.00', available_balance: '3.00' }),
    );
  });

  test('when a key is rotated with --json, then the new key works and the old one no longer does', async () => {
    const user = await givenUser('1.00');
    const run = await paygate(['key', 'rotate', '--email', user.email, '--json']);
    expect(run.status).toBe(0);
    const rotated = onlyJson(run.stdout) as { user_id: number; api_key: string; revoked: number };
    expect(rotated).toEqual({ user_id: user.id, api_key: expect.stringMatching(/^pgk_/), revoked: 1 });
    const balance = `/api/v1/users/${user.id}/balance`;
    expect((await call(api.baseUrl, balance, { headers: { 'x-api-key': rotated.api_key } })).status).toBe(200);
    expect((await call(api.baseUrl, balance, { headers: { 'x-api-key': user.apiKey } })).status).toBe(401);
    const revoked = onlyJson((await paygate(['key', 'revoke', '--user-id', String(user.id), '--json'])).stdout);
    expect(revoked).toEqual({ user_id: user.id, revoked: 1 });
  });

  test.each([
    [['key', 'issue', '--user-id', '999999999'], 3, 'not_found'],
    [['key', 'issue', '--email', 'nobody-at-all@test.paygate'], 3, 'not_found'],
    [['key', 'issue'], 2, 'usage'],
    [['user', 'create', '--email', 'not-an-email'], 2, 'usage'],
    [['user', 'create', '--email', 'x@test.paygate', '--balance', '-1'], 2, 'usage'],
    [['user', 'frobnicate'], 2, 'usage'],
    [['user', 'list', '--unknown-flag'], 2, 'usage'],
  ])('when running %j with --json, then exit %i and one JSON error %s on stderr', async (args, code, kind) => {
    const run = await paygate([...args, '--json']);
    expect(run.status).toBe(code);
    expect(run.stdout).toBe('');
    expect(onlyJson(run.stderr)).toEqual({ error: kind, message: expect.any(String), exit_code: code });
  });

  test('when the configuration is invalid, then exit 1 naming the variable, and nothing on stdout', async () => {
    const run = await paygate(['user', 'list', '--json'], { DATABASE_URL: 'mysql://nope' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(onlyJson(run.stderr)).toEqual({
      error: 'failure',
      message: expect.stringContaining('DATABASE_URL'),
      exit_code: 1,
    });
  });
});

describe('pnpm paygate webhook sign', () => {
  test('when a webhook is signed with --json, then url, body and curl are fields, and the API applies the body', async () => {
    const user = await givenUser();
    const deposit = await postDeposit(api, user, '7.25');
    await new SettlementRepository(api.pool).startProcessing({
      transactionId: deposit.body.id,
      cause: 'test.worker',
      requestId: null,
    });
    const run = await paygate([
      'webhook',
      'sign',
      '--transaction-id',
      String(deposit.body.id),
      '--status',
      'success',
      '--api-url',
      api.baseUrl,
      '--json',
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const signed = onlyJson(run.stdout) as { url: string; body: Record<string, unknown>; curl: string };
    expect(signed.url).toBe(`${api.baseUrl}/webhooks/bank-callback`);
    expect(signed.body).toMatchObject({
      transaction_id: deposit.body.id,
      status: 'success',
      amount: '7.25',
      currency: 'USD',
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(signed.curl).toBe(
      `curl -sS -X POST '${signed.url}' -H 'Content-Type: application/json' -d '${JSON.stringify(signed.body)}'`,
    );
    const applied = await call(api.baseUrl, '/webhooks/bank-callback', { body: signed.body });
    expect(applied.body).toMatchObject({ received: true, outcome: 'applied' });
    const human = await paygate([
      'webhook',
      'sign',
      '--transaction-id',
      String(deposit.body.id),
      '--status',
      'success',
    ]);
    expect(human.stdout).toMatch(/^curl -sS -X POST '.*\/webhooks\/bank-callback' .*'\n$/);
  });

  test('when the transaction does not exist, then exit 3 (not found)', async () => {
    const run = await paygate(['webhook', 'sign', '--transaction-id', '999999999', '--status', 'success', '--json']);
    expect(run.status).toBe(3);
    expect(onlyJson(run.stderr)).toEqual({ error: 'not_found', message: 'no transaction 999999999', exit_code: 3 });
  });
});

describe('pnpm paygate operator', () => {
  test('when a password is piped in, then the operator is created with it and can log in to the operator API', async () => {
    const address = email();
    const password = `piped-${randomUUID()}`;
    const run = await paygate(
      ['operator', 'create', '--email', address, '--role', 'operator', '--json'],
      {},
      `${password}\n`,
    );
    expect(run.status).toBe(0);
    const created = onlyJson(run.stdout) as Record<string, unknown>;
    expect(created).toMatchObject({ email: address, role: 'operator' });
    expect(created).not.toHaveProperty('password');
    const login = await call(api.baseUrl, '/api/v1/admin/auth/login', { body: { email: address, password } });
    expect(login.status).toBe(200);
    const { rows } = await api.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM operators WHERE email = $1',
      [address],
    );
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.password_hash).not.toContain(password);
  });

  test('when nothing is piped in, then a password is generated, shown once, and works', async () => {
    const address = email();
    const run = await paygate(['operator', 'create', '--email', address, '--role', 'viewer']);
    expect(run.status).toBe(0);
    const password = /password \(shown once, store it now\): (\S+)/.exec(run.stdout)?.[1];
    expect(password).toBeDefined();
    const login = await call(api.baseUrl, '/api/v1/admin/auth/login', { body: { email: address, password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ role: 'viewer' });
    const list = await paygate(['operator', 'list', '--json']);
    expect(onlyJson(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ email: address })]));
  });

  test('when the role is unknown, the password too short, or the email taken, then a clear error and exit 2 or 4', async () => {
    const address = email();
    const badRole = await paygate(['operator', 'create', '--email', address, '--role', 'admin', '--json']);
    expect(badRole.status).toBe(2);
    expect(onlyJson(badRole.stderr)).toMatchObject({
      error: 'usage',
      message: '--role: must be one of viewer, operator',
    });
    const short = await paygate(['operator', 'create', '--email', address, '--role', 'viewer'], {}, 'short\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
    expect((await paygate(['operator', 'create', '--email', address, '--role', 'viewer'])).status).toBe(0);
    const again = await paygate(['operator', 'create', '--email', address, '--role', 'viewer']);
    expect(again.status).toBe(4);
    expect(again.stderr).toContain('already exists');
  });
});
