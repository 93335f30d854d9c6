import { OPERATOR_PASSWORD_LENGTH_MAX, OPERATOR_PASSWORD_LENGTH_MIN } from '@paygate/contracts';
import type { OperatorsRepository } from '@paygate/db';
import { isOperatorRole, OPERATOR_ROLES } from '@paygate/domain';

import { generateOperatorPassword, hashOperatorPassword } from '../services/operator-passwords';
import type { CommandResult } from './args';
import { parseEmail, parseOptions, requireString, UsageError } from './args';

/** How long `operator create` waits for a password on a piped stdin before giving up (never on a TTY). */
const STDIN_TIMEOUT_MS = 30_000;

/**
 * `pnpm paygate operator create --email E --role viewer|operator`: an operator account for the console.
 * The password is read from standard input when it is piped (one line: `echo "$PW" | pnpm paygate ...`),
 * else a random one is generated and printed once. Only its scrypt hash is stored.
 */
export async function operatorCreate(
  operators: OperatorsRepository,
  args: string[],
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<CommandResult> {
  const options = parseOptions(args, { email: { type: 'string' }, role: { type: 'string' } });
  const email = parseEmail(requireString(options.email, '--email'));
  const role = requireString(options.role, '--role');
  if (!isOperatorRole(role)) throw new UsageError(`--role: must be one of ${OPERATOR_ROLES.join(', ')}`);
  const piped = stdin.isTTY ? undefined : await readPassword(stdin);
  if (piped !== undefined && piped.length < OPERATOR_PASSWORD_LENGTH_MIN) {
    throw new UsageError(`the password on stdin must have at least ${OPERATOR_PASSWORD_LENGTH_MIN} characters`);
  }
  if (piped !== undefined && piped.length > OPERATOR_PASSWORD_LENGTH_MAX) {
    throw new UsageError(`the password on stdin must have at most ${OPERATOR_PASSWORD_LENGTH_MAX} characters`);
  }
  const password = piped ?? generateOperatorPassword();
  const operator = await operators.create({ email, role, passwordHash: await hashOperatorPassword(password) });
  const json: Record<string, unknown> = {
    id: operator.id,
    email: operator.email,
    role: operator.role,
    created_at: operator.createdAt.toISOString(),
  };
  const human = [`created operator ${operator.id} ${operator.email} (${operator.role})`];
  if (piped === undefined) {
    json.password = password;
    human.push(`password (shown once, store it now): ${password}`);
  } else {
    human.push('password: the one given on stdin');
  }
  return { json, human };
}

export async function operatorList(operators: OperatorsRepository): Promise<CommandResult> {
  const all = await operators.list();
  return {
    json: all.map((operator) => ({
      id: operator.id,
      email: operator.email,
      role: operator.role,
      created_at: operator.createdAt.toISOString(),
      disabled: operator.disabledAt !== null,
    })),
    human:
      all.length === 0
        ? ['no operators yet: pnpm paygate operator create --email you@example.com --role operator']
        : all.map(
            (operator) =>
              `${String(operator.id).padStart(5)}  ${operator.email.padEnd(32)} ${operator.role}${operator.disabledAt ? '  (disabled)' : ''}`,
          ),
  };
}

/** The first line of a piped stdin, without its line ending; undefined when stdin is empty. */
async function readPassword(stdin: NodeJS.ReadStream): Promise<string | undefined> {
  const text = await new Promise<string>((resolve, reject) => {
    let data = '';
    const timer = setTimeout(() => {
      stdin.pause();
      reject(
        new UsageError('no password arrived on stdin: pipe one line, or run with </dev/null to have one generated'),
      );
    }, STDIN_TIMEOUT_MS);
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      data += chunk;
      if (data.length > OPERATOR_PASSWORD_LENGTH_MAX * 4) stdin.pause();
    });
    stdin.on('end', () => {
      clearTimeout(timer);
      resolve(data);
    });
    stdin.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  const line = text.split(/\r?\n/)[0] ?? '';
  return line.length === 0 ? undefined : line;
}
