// `pnpm paygate <command>`: the operator's tool for users, API keys and hand-made webhooks.
import type { PrismaClient } from '@paygate/db/prisma';
import { createPrismaClient } from '@paygate/db/prisma';
import { UserAdmin, UserAlreadyExistsError, UserNotFoundError } from '@paygate/db';
import { formatAmount } from '@paygate/domain';

import { ConfigError, configErrorLine } from '../config';
import {
  parseCurrency,
  parseEmail,
  parseOpeningBalance,
  parseOptions,
  parsePositiveInt,
  requireString,
  UsageError,
} from './args';
import { cliConfig } from './cli-config';
import { signWebhookCommand } from './webhook-sign';

const HELP = `Usage: pnpm paygate <command> [options]

  user create --email E [--balance 100.00] [--currency USD] [--json]
                                  create a user with a wallet and an API key (shown once)
  user list [--limit 100] [--json]
                                  list users with balances and active key prefixes
  key issue  (--email E | --user-id N) [--json]    add an API key for a user
  key rotate (--email E | --user-id N) [--json]    issue a new key and revoke the others
  key revoke (--email E | --user-id N) [--key K | --prefix P] [--json]
                                  revoke one key, or all keys of the user
  webhook sign --transaction-id N --status success|failed [--bank-reference R]
               [--error-message M] [--api-url URL] [--seed-form]
                                  print a signed bank callback for the order the gateway placed,
                                  as a ready curl command (--seed-form: the seed's payload form)
  help                            this text`;

type Output = (line: string) => void;

async function main(argv: string[], print: Output): Promise<void> {
  const [group, action, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
    print(HELP);
    return;
  }
  const config = cliConfig();
  const prisma = createPrismaClient(config.database.url, 2);
  try {
    if (group === 'webhook' && action === 'sign') return await signWebhookCommand(rest, config, prisma, print);
    const admin = new UserAdmin(prisma);
    if (group === 'user' && action === 'create') return await userCreate(admin, rest, print);
    if (group === 'user' && action === 'list') return await userList(admin, rest, print);
    if (group === 'key' && (action === 'issue' || action === 'rotate' || action === 'revoke'))
      return await keyCommand(admin, action, rest, print);
    throw new UsageError(`unknown command: ${[group, action].filter(Boolean).join(' ')} (try: pnpm paygate help)`);
  } finally {
    await disconnect(prisma);
  }
}

async function userCreate(admin: UserAdmin, args: string[], print: Output): Promise<void> {
  const options = parseOptions(args, {
    email: { type: 'string' },
    balance: { type: 'string' },
    currency: { type: 'string' },
    json: { type: 'boolean' },
  });
  const email = parseEmail(requireString(options.email, '--email'));
  const openingBalanceMinor = options.balance === undefined ? 0n : parseOpeningBalance(options.balance);
  const currency = options.currency === undefined ? 'USD' : parseCurrency(options.currency);
  const user = await admin.createUser({ email, openingBalanceMinor, currency });
  print(`created user ${user.id} ${user.email} with ${formatAmount(user.balanceMinor)} ${user.currency}`);
  print(`API key (shown once, store it now): ${user.apiKey}`);
  if (options.json)
    print(
      JSON.stringify({
        id: user.id,
        email: user.email,
        api_key: user.apiKey,
        balance: formatAmount(user.balanceMinor),
      }),
    );
}

async function userList(admin: UserAdmin, args: string[], print: Output): Promise<void> {
  const options = parseOptions(args, { limit: { type: 'string' }, json: { type: 'boolean' } });
  const limit = options.limit === undefined ? 100 : parsePositiveInt(options.limit, '--limit', 10_000);
  const users = await admin.listUsers(limit);
  if (options.json) {
    print(
      JSON.stringify(
        users.map((user) => ({
          id: user.id,
          email: user.email,
          balance: formatAmount(user.balanceMinor),
          available_balance: formatAmount(user.balanceMinor - user.heldMinor),
          currency: user.currency,
          active_keys: user.activeKeyPrefixes,
          created_at: user.createdAt.toISOString(),
        })),
      ),
    );
    return;
  }
  if (users.length === 0) print('no users yet (pnpm db:seed creates the demo users)');
  for (const user of users) {
    const keys =
      user.activeKeyPrefixes.length === 0
        ? 'no active key'
        : user.activeKeyPrefixes.map((prefix) => `${prefix}…`).join(', ');
    print(
      `${String(user.id).padStart(5)}  ${user.email.padEnd(32)} ${formatAmount(user.balanceMinor).padStart(16)} ${user.currency ?? '   '}  held ${formatAmount(user.heldMinor)}  keys: ${keys}`,
    );
  }
}

async function keyCommand(
  admin: UserAdmin,
  action: 'issue' | 'rotate' | 'revoke',
  args: string[],
  print: Output,
): Promise<void> {
  const options = parseOptions(args, {
    email: { type: 'string' },
    'user-id': { type: 'string' },
    key: { type: 'string' },
    prefix: { type: 'string' },
    json: { type: 'boolean' },
  });
  const userId = await resolveUser(admin, options.email, options['user-id']);
  if (action === 'revoke') {
    if (options.key !== undefined && options.prefix !== undefined)
      throw new UsageError('give --key or --prefix, not both');
    const revoked = await admin.revokeKeys(userId, options.key ?? options.prefix);
    print(`revoked ${revoked} key${revoked === 1 ? '' : 's'} of user ${userId}`);
    if (options.json) print(JSON.stringify({ user_id: userId, revoked }));
    return;
  }
  if (options.key !== undefined || options.prefix !== undefined)
    throw new UsageError(`--key and --prefix only go with key revoke`);
  const issued =
    action === 'issue' ? { ...(await admin.issueKey(userId)), revokedCount: 0 } : await admin.rotateKey(userId);
  print(`new API key for user ${userId} (shown once, store it now): ${issued.apiKey}`);
  if (action === 'rotate') print(`revoked ${issued.revokedCount} previous key${issued.revokedCount === 1 ? '' : 's'}`);
  if (options.json) print(JSON.stringify({ user_id: userId, api_key: issued.apiKey, revoked: issued.revokedCount }));
}

async function resolveUser(admin: UserAdmin, email: string | undefined, userId: string | undefined): Promise<number> {
  if ((email === undefined) === (userId === undefined))
    throw new UsageError('give exactly one of --email or --user-id');
  if (userId !== undefined) return parsePositiveInt(userId, '--user-id');
  const found = await admin.findUserIdByEmail(parseEmail(email ?? ''));
  if (found === undefined) throw new UserNotFoundError(`with email ${email ?? ''}`);
  return found;
}

async function disconnect(prisma: PrismaClient): Promise<void> {
  await prisma.$disconnect().catch(() => undefined);
}

main(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
  const known =
    error instanceof UsageError ||
    error instanceof UserAlreadyExistsError ||
    error instanceof UserNotFoundError ||
    error instanceof ConfigError;
  const message =
    error instanceof ConfigError ? configErrorLine(error) : error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `error: ${known ? message.split('\n').join('; ') : `unexpected failure: ${message.split('\n')[0] ?? ''}`}\n`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
