import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';

import { REPO_ROOT } from '@paygate/testkit';

/**
 * The one place the browser specs get an operator account. It uses the operator CLI that the operator API
 * ships with, exactly as an administrator would:
 *
 *   DATABASE_URL=... pnpm paygate operator create --email <email> --role viewer|operator
 *
 * with the password on standard input (one line), exiting 0 once the operator exists. (The same CLI is
 * backed by an `OperatorAdmin` helper in @paygate/db; going through the CLI keeps the spec on the public
 * surface.) With PAYGATE_E2E_EXTERNAL=1 and PAYGATE_E2E_OPERATOR_EMAIL/PASSWORD set, that operator is used
 * instead and nothing is created.
 */

export interface OperatorLogin {
  email: string;
  password: string;
  role: 'viewer' | 'operator';
}

const CLI_TIMEOUT_MS = 60_000;

export async function createOperator(
  databaseUrl: string | undefined,
  role: OperatorLogin['role'],
): Promise<OperatorLogin> {
  const givenEmail = process.env.PAYGATE_E2E_OPERATOR_EMAIL;
  const givenPassword = process.env.PAYGATE_E2E_OPERATOR_PASSWORD;
  if (process.env.PAYGATE_E2E_EXTERNAL === '1' && givenEmail !== undefined && givenPassword !== undefined) {
    return { email: givenEmail, password: givenPassword, role };
  }
  if (databaseUrl === undefined) throw new Error('DATABASE_URL must name the stack database to create an operator');
  const login: OperatorLogin = {
    email: `ops-${randomUUID().slice(0, 8)}@test.paygate`,
    password: `e2e-${randomBytes(18).toString('base64url')}`,
    role,
  };
  await runCli(['paygate', 'operator', 'create', '--email', login.email, '--role', role], login.password, databaseUrl);
  return login;
}

function runCli(args: string[], stdin: string, databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', args, {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(`${stdin}\n`);
    const timer = setTimeout(() => child.kill('SIGTERM'), CLI_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(`pnpm ${args.join(' ')} exited with ${String(code)} (the operator CLI is needed):\n${output}`),
        );
    });
  });
}
