import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Operators' passwords, hashed with scrypt (RFC 7914) and stored as "scrypt$N$r$p$<salt>$<hash>" (base64),
 * so the cost can rise later without breaking stored hashes. N = 2^15, r = 8 (32 MiB, about 0.1 s on a CI core) is
 * OWASP's floor for scrypt; a login is rare and rate limited, so that cost is spent where it protects.
 */

const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Node refuses scrypt above maxmem; 128 * N * r * 2 bytes leaves room for the stored costs we accept. */
const MAX_MEMORY_BYTES = 128 * 2 ** 16 * 16;
const FORMAT = /^scrypt\$(\d{1,7})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]{4,64})\$([A-Za-z0-9+/=]{4,128})$/;

/** A random password for `pnpm paygate operator create` when none is given: 24 characters, 143 bits. */
export function generateOperatorPassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function hashOperatorPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, COST.N, COST.r, COST.p, HASH_BYTES);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Constant time in the password; a malformed stored hash never matches. */
export async function verifyOperatorPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [, n, r, p, saltText, hashText] = match;
  const expected = Buffer.from(hashText ?? '', 'base64');
  let actual: Buffer;
  try {
    actual = await derive(
      password,
      Buffer.from(saltText ?? '', 'base64'),
      Number(n),
      Number(r),
      Number(p),
      expected.length,
    );
  } catch {
    // Costs that scrypt refuses (N not a power of two, over maxmem): a damaged row, not a match.
    return false;
  }
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash of nothing anyone knows, verified against when the email is unknown, so that a login for an
 * unknown email costs what a wrong password costs and the answer time does not tell which it was.
 */
export const DECOY_PASSWORD_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${Buffer.alloc(SALT_BYTES).toString('base64')}$${Buffer.alloc(HASH_BYTES).toString('base64')}`;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, { N, r, p, maxmem: MAX_MEMORY_BYTES }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}
