import { randomBytes } from 'node:crypto';

import { assert, hashApiKey } from '@paygate/domain';

import type { PrismaClient } from '../prisma';
import { toId } from './rows';

/**
 * Operator actions behind `pnpm paygate`: users, their wallets and their API keys. Keys are random,
 * returned once, and stored only as a SHA-256 hash plus a short prefix that lets an operator tell keys
 * apart without being able to use one.
 */

export const API_KEY_PREFIX = 'pgk_';
const KEY_PREFIX_SHOWN_LENGTH = API_KEY_PREFIX.length + 6;

export interface IssuedKey {
  apiKey: string;
  keyPrefix: string;
}

export interface CreatedUser {
  id: number;
  email: string;
  apiKey: string;
  balanceMinor: bigint;
  currency: string;
}

export interface UserSummary {
  id: number;
  email: string;
  currency: string | null;
  balanceMinor: bigint;
  heldMinor: bigint;
  activeKeyPrefixes: string[];
  createdAt: Date;
}

export class UserAlreadyExistsError extends Error {
  constructor(readonly email: string) {
    super(`a user with email ${email} already exists`);
    this.name = 'UserAlreadyExistsError';
  }
}

export class UserNotFoundError extends Error {
  constructor(readonly reference: string) {
    super(`no user ${reference}`);
    this.name = 'UserNotFoundError';
  }
}

export function generateApiKey(): IssuedKey {
  const apiKey = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { apiKey, keyPrefix: apiKey.slice(0, KEY_PREFIX_SHOWN_LENGTH) };
}

export class UserAdmin {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates the user, a wallet (with an opening balance posted from clearing) and a first key, atomically. */
  async createUser(input: {
    email: string;
    openingBalanceMinor: bigint;
    currency: string;
    apiKey?: string;
  }): Promise<CreatedUser> {
    assert(input.openingBalanceMinor >= 0n, 'opening balance must not be negative');
    const email = input.email.trim().toLowerCase();
    const key =
      input.apiKey === undefined
        ? generateApiKey()
        : { apiKey: input.apiKey, keyPrefix: input.apiKey.slice(0, KEY_PREFIX_SHOWN_LENGTH) };
    assert(
      key.apiKey.startsWith(API_KEY_PREFIX) && /^[\x21-\x7e]{20,128}$/.test(key.apiKey),
      'an API key is pgk_ plus at least 16 printable characters',
    );
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email } });
        await tx.$queryRaw`SELECT paygate_open_wallet(${user.id}, ${input.currency}, ${input.openingBalanceMinor})`;
        await tx.apiKey.create({
          data: { userId: user.id, keyHash: hashApiKey(key.apiKey), keyPrefix: key.keyPrefix },
        });
        return {
          id: toId(user.id.toString()),
          email,
          apiKey: key.apiKey,
          balanceMinor: input.openingBalanceMinor,
          currency: input.currency,
        };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new UserAlreadyExistsError(email);
      throw error;
    }
  }

  async findUserIdByEmail(email: string): Promise<number | undefined> {
    const user = await this.prisma.user.findUnique({
      where: { email: email.trim().toLowerCase() },
      select: { id: true },
    });
    return user ? toId(user.id.toString()) : undefined;
  }

  /** Adds a key; the user's other keys keep working. */
  async issueKey(userId: number): Promise<IssuedKey> {
    await this.requireUser(userId);
    const key = generateApiKey();
    await this.prisma.apiKey.create({
      data: { userId: BigInt(userId), keyHash: hashApiKey(key.apiKey), keyPrefix: key.keyPrefix },
    });
    return key;
  }

  /** Issues a new key and revokes every other active key of the user, atomically. */
  async rotateKey(userId: number): Promise<IssuedKey & { revokedCount: number }> {
    await this.requireUser(userId);
    const key = generateApiKey();
    return this.prisma.$transaction(async (tx) => {
      const revoked = await tx.apiKey.updateMany({
        where: { userId: BigInt(userId), revokedAt: null },
        data: { revokedAt: new Date() },
      });
      await tx.apiKey.create({
        data: { userId: BigInt(userId), keyHash: hashApiKey(key.apiKey), keyPrefix: key.keyPrefix },
      });
      return { ...key, revokedCount: revoked.count };
    });
  }

  /** Revokes one key (by the full key or its shown prefix) or, with neither, every key of the user. */
  async revokeKeys(userId: number, keyOrPrefix?: string): Promise<number> {
    await this.requireUser(userId);
    const where =
      keyOrPrefix === undefined
        ? { userId: BigInt(userId), revokedAt: null }
        : keyOrPrefix.length > KEY_PREFIX_SHOWN_LENGTH
          ? { userId: BigInt(userId), revokedAt: null, keyHash: hashApiKey(keyOrPrefix) }
          : { userId: BigInt(userId), revokedAt: null, keyPrefix: keyOrPrefix };
    const revoked = await this.prisma.apiKey.updateMany({ where, data: { revokedAt: new Date() } });
    return revoked.count;
  }

  async listUsers(limit: number): Promise<UserSummary[]> {
    const users = await this.prisma.user.findMany({
      orderBy: { id: 'asc' },
      take: limit,
      include: {
        accounts: { where: { kind: 'wallet' }, orderBy: { id: 'asc' }, take: 1 },
        apiKeys: { where: { revokedAt: null }, orderBy: { id: 'asc' } },
      },
    });
    return users.map((user) => {
      const wallet = user.accounts[0];
      return {
        id: toId(user.id.toString()),
        email: user.email,
        currency: wallet?.currency ?? null,
        balanceMinor: wallet?.balance ?? 0n,
        heldMinor: wallet?.held ?? 0n,
        activeKeyPrefixes: user.apiKeys.map((key) => key.keyPrefix),
        createdAt: user.createdAt,
      };
    });
  }

  async countUsers(): Promise<number> {
    return this.prisma.user.count();
  }

  private async requireUser(userId: number): Promise<void> {
    const found = await this.prisma.user.findUnique({ where: { id: BigInt(userId) }, select: { id: true } });
    if (!found) throw new UserNotFoundError(`with id ${userId}`);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}
