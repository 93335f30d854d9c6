// `pnpm paygate <command>`: the operator's tool for users, API keys and hand-made webhooks. Every command
// takes --json: then stdout carries exactly one JSON document (and nothing else), and an error is one
// JSON object on stderr. Exit codes are in the help.
import type { PrismaClient } from '@paygate/db/prisma';
import { createPrismaClient } from '@paygate/db/prisma';
import {
  createPool,
  OperatorAlreadyExistsError,
  OperatorsRepository,
  UserAdmin,
  UserAlreadyExistsError,
  UserNotFoundError,
} from '@paygate/db';
import { formatAmount } from '@paygate/domain';

import type { ApiConfig } from '../config';
import { ConfigError, configErrorLine } from '../config';
import type { CommandResult } from './args';
import {
  NotFoundError,
  parseCurrency,
  parseEmail,
  parseOpeningBalance,
  parseOptions,
  parsePositiveInt,
  requireString,
  UsageError,
} from './args';
import { cliConfig } from './cli-config';
import { operatorCreate, operatorList } from './operator';
import { signWebhookCommand } from './webhook-sign';

export const EXIT_CODES = {
  ok: { code: 0, meaning: 'done' },
  failure: { code: 1, meaning: 'failed: invalid configuration, database unreachable, or an unexpected error' },
  usage: { code: 2, meaning: 'usage error: unknown command, missing or invalid option' },
  not_found: { code: 3, meaning: 'not found: no such user or transaction' },
  already_exists: { code: 4, meaning: 'already exists: a user (or operator) with that email' },
} as const;
type ErrorKind = Exclude<keyof typeof EXIT_CODES, 'ok'>;

const COMMANDS = [
  {
    command: 'user create',
    options: '--email E [--balance 100.00] [--currency USD]',
    description: 'create a user with a wallet and an API key (shown once)',
  },
  {
    command: 'user list',
    options: '[--limit 100]',
    description: 'list users with balances and active key prefixes',
  },
  { command: 'key issue', options: '(--email E | --user-id N)', description: 'add an API key for a user' },
  { command: 'key rotate', options: '(--email E | --user-id N)', description: 'issue a new key and revoke the others' },
  {
    command: 'key revoke',
    options: '(--email E | --user-id N) [--key K | --prefix P]',
    description: 'revoke one key, or all keys of the user',
  },
  {
    command: 'webhook sign',
    options:
      '--transaction-id N --status success|failed [--bank-reference R] [--error-message M] [--api-url URL] [--seed-form]',
    description:
      "print a signed bank callback for the order the gateway placed, as a ready curl command (--seed-form: the seed's payload form)",
  },
  {
    command: 'operator create',
    options: '--email E --role viewer|operator',
    description:
      'create an operator of the console; the password is read from a piped stdin (one line), else generated and shown once',
  },
  { command: 'operator list', options: '', description: 'list the operators of the console' },
  { command: 'help', options: '', description: 'this text' },
];

const HELP = [
  'Usage: pnpm paygate <command> [options] [--json]',
  '',
  ...COMMANDS.flatMap(({ command, options, description }) => [
    `  ${[command, options].filter(Boolean).join(' ')}`,
    `      ${description}`,
  ]),
  '',
  'Every command takes --json: stdout then carries exactly one JSON document, and an error is one JSON',
  'object {"error", "message", "exit_code"} on stderr. Nothing else is ever printed to stdout.',
  '',
  'Exit codes:',
  ...Object.values(EXIT_CODES).map(({ code, meaning }) => `  ${code}  ${meaning}`),
].join('\n');

async function main(argv: string[]): Promise<CommandResult> {
  const [group, action, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
    return {
      json: { usage: 'pnpm paygate <command> [options] [--json]', commands: COMMANDS, exit_codes: exitCodes() },
      human: [HELP],
    };
  }
  const config = cliConfig();
  if (group === 'operator') return operatorCommand(config, action, rest);
  const prisma = createPrismaClient(config.database.url, 2);
  try {
    if (group === 'webhook' && action === 'sign') return await signWebhookCommand(rest, config, prisma);
    const admin = new UserAdmin(prisma);
    if (group === 'user' && action === 'create') return await userCreate(admin, rest);
    if (group === 'user' && action === 'list') return await userList(admin, rest);
    if (group === 'key' && (action === 'issue' || action === 'rotate' || action === 'revoke'))
      return await keyCommand(admin, action, rest);
    throw new UsageError(`unknown command: ${[group, action].filter(Boolean).join(' ')} (try: pnpm paygate help)`);
  } finally {
    await disconnect(prisma);
  }
}

async function userCreate(admin: UserAdmin, args: string[]): Promise<CommandResult> {
  const options = parseOptions(args, {
    email: { type: 'string' },
    balance: { type: 'string' },
    currency: { type: 'string' },
  });
  const email = parseEmail(requireString(options.email, '--email'));
  const openingBalanceMinor = options.balance === undefined ? 0n : parseOpeningBalance(options.balance);
  const currency = options.currency === undefined ? 'USD' : parseCurrency(options.currency);
  const user = await admin.createUser({ email, openingBalanceMinor, currency });
  return {
    json: {
      id: user.id,
      email: user.email,
      api_key: user.apiKey,
      balance: formatAmount(user.balanceMinor),
      currency: user.currency,
    },
    human: [
      `created user ${user.id} ${user.email} with ${formatAmount(user.balanceMinor)} ${user.currency}`,
      `API key (shown once, store it now): ${user.apiKey}`,
    ],
  };
}

async function userList(admin: UserAdmin, args: string[]): Promise<CommandResult> {
  const options = parseOptions(args, { limit: { type: 'string' } });
  const limit = options.limit === undefined ? 100 : parsePositiveInt(options.limit, '--limit', 10_000);
  const users = await admin.listUsers(limit);
  const json = users.map((user) => ({
    id: user.id,
    email: user.email,
    balance: formatAmount(user.balanceMinor),
    available_balance: formatAmount(user.balanceMinor - user.heldMinor),
    currency: user.currency,
    active_keys: user.activeKeyPrefixes,
    created_at: user.createdAt.toISOString(),
  }));
  if (users.length === 0) return { json, human: ['no users yet (pnpm db:seed creates the demo users)'] };
  const human = users.map((user) => {
    const keys =
      user.activeKeyPrefixes.length === 0
        ? 'no active key'
        : user.activeKeyPrefixes.map((prefix) => `${prefix}…`).join(', ');
    return `${String(user.id).padStart(5)}  ${user.email.padEnd(32)} ${formatAmount(user.balanceMinor).padStart(16)} ${user.currency ?? '   '}  held ${formatAmount(user.heldMinor)}  keys: ${keys}`;
  });
  return { json, human };
}

async function keyCommand(
  admin: UserAdmin,
  action: 'issue' | 'rotate' | 'revoke',
  args: string[],
): Promise<CommandResult> {
  const options = parseOptions(args, {
    email: { type: 'string' },
    'user-id': { type: 'string' },
    key: { type: 'string' },
    prefix: { type: 'string' },
  });
  const userId = await resolveUser(admin, options.email, options['user-id']);
  if (action === 'revoke') {
    if (options.key !== undefined && options.prefix !== undefined)
      throw new UsageError('give --key or --prefix, not both');
    const revoked = await admin.revokeKeys(userId, options.key ?? options.prefix);
    return {
      json: { user_id: userId, revoked },
      human: [`revoked ${revoked} key${revoked === 1 ? '' : 's'} of user ${userId}`],
    };
  }
  if (options.key !== undefined || options.prefix !== undefined)
    throw new UsageError(`--key and --prefix only go with key revoke`);
  const issued =
    action === 'issue' ? { ...(await admin.issueKey(userId)), revokedCount: 0 } : await admin.rotateKey(userId);
  const human = [`new API key for user ${userId} (shown once, store it now): ${issued.apiKey}`];
  if (action === 'rotate')
    human.push(`revoked ${issued.revokedCount} previous key${issued.revokedCount === 1 ? '' : 's'}`);
  return { json: { user_id: userId, api_key: issued.apiKey, revoked: issued.revokedCount }, human };
}

async function resolveUser(admin: UserAdmin, email: string | undefined, userId: string | undefined): Promise<number> {
  if ((email === undefined) === (userId === undefined))
    throw new UsageError('give exactly one of --email or --user-id');
  if (userId !== undefined) return parsePositiveInt(userId, '--user-id');
  const found = await admin.findUserIdByEmail(parseEmail(email ?? ''));
  if (found === undefined) throw new UserNotFoundError(`with email ${email ?? ''}`);
  return found;
}

async function operatorCommand(config: ApiConfig, action: string | undefined, args: string[]): Promise<CommandResult> {
  if (action !== 'create' && action !== 'list') {
    throw new UsageError(`unknown command: operator ${action ?? ''} (try: pnpm paygate help)`);
  }
  const pool = createPool({
    connectionString: config.database.url,
    applicationName: 'paygate-cli',
    poolSizeMax: 1,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectionTimeoutMs: config.database.connectionTimeoutMs,
    idleTimeoutMs: 1_000,
  });
  try {
    const operators = new OperatorsRepository(pool);
    return action === 'create' ? await operatorCreate(operators, args) : await operatorList(operators);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

async function disconnect(prisma: PrismaClient): Promise<void> {
  await prisma.$disconnect().catch(() => undefined);
}

function exitCodes(): Record<string, string> {
  return Object.fromEntries(Object.values(EXIT_CODES).map(({ code, meaning }) => [String(code), meaning]));
}

function classify(error: unknown): { kind: ErrorKind; message: string } {
  if (error instanceof UsageError) return { kind: 'usage', message: error.message };
  if (error instanceof UserNotFoundError || error instanceof NotFoundError)
    return { kind: 'not_found', message: error.message };
  if (error instanceof UserAlreadyExistsError || error instanceof OperatorAlreadyExistsError)
    return { kind: 'already_exists', message: error.message };
  if (error instanceof ConfigError) return { kind: 'failure', message: configErrorLine(error) };
  const text = error instanceof Error ? error.message : String(error);
  return { kind: 'failure', message: `unexpected failure: ${text.split('\n')[0] ?? ''}` };
}

/** --json may stand anywhere; it is taken out before the command's own options are parsed. */
const argv = process.argv.slice(2);
const json = argv.includes('--json');
main(argv.filter((arg) => arg !== '--json')).then(
  (result) => {
    if (json) process.stdout.write(`${JSON.stringify(result.json)}\n`);
    else process.stdout.write(`${result.human.join('\n')}\n`);
  },
  (error: unknown) => {
    const { kind, message } = classify(error);
    const oneLine = message.split('\n').join('; ');
    const exitCode = EXIT_CODES[kind].code;
    if (json) process.stderr.write(`${JSON.stringify({ error: kind, message: oneLine, exit_code: exitCode })}\n`);
    else process.stderr.write(`error: ${oneLine}\n`);
    process.exitCode = exitCode;
  },
);
