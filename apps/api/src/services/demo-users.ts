/**
 * The demo users of `pnpm db:seed` and their well-known keys (listed in CREDENTIALS.md and the Postman
 * environment, so a newcomer can try the API at once). Every demo key starts with DEMO_API_KEY_PREFIX,
 * which is how the API recognises one and refuses it in production, even when its hash is in the database.
 */

export const DEMO_API_KEY_PREFIX = 'pgk_demo_';

export const DEMO_USERS = [
  { email: 'alice@example.com', openingBalanceMinor: 100_000n, demoKey: 'pgk_demo_alice_0a1b2c3d4e5f6a7b8c9d' },
  { email: 'bob@example.com', openingBalanceMinor: 50_000n, demoKey: 'pgk_demo_bob_1b2c3d4e5f6a7b8c9d0e' },
  { email: 'charlie@example.com', openingBalanceMinor: 0n, demoKey: 'pgk_demo_charlie_2c3d4e5f6a7b8c9d0e1f' },
] as const;

export function isDemoApiKey(apiKey: string): boolean {
  return apiKey.startsWith(DEMO_API_KEY_PREFIX);
}
