import type { NodeEnv } from './variables';

/**
 * Shared secrets and the rules for them. The development defaults let a fresh clone run with nothing set;
 * production refuses them, and refuses any secret an attacker could guess or brute-force offline from one
 * captured signature.
 */

/** HMAC key of the bank's webhooks (api and bank-sim). */
export const DEV_WEBHOOK_SECRET = 'dev-webhook-secret-change-me';
/** The gateway's merchant credential at the bank (worker and bank-sim). */
export const DEV_BANK_API_KEY = 'dev-bank-api-key-change-me';

/** Key that encrypts the signing secrets of outgoing webhook endpoints at rest (api and worker). */
export const DEV_WEBHOOK_ENDPOINT_SECRET_KEY = 'dev-webhook-endpoint-secret-key-change-me';

/** Outside production a secret only has to be non-trivial; tests and development use readable ones. */
export const SECRET_LENGTH_MIN = 16;
/** In production: 32 characters is 128+ bits for any random generator's output (hex or base64). */
export const PRODUCTION_SECRET_LENGTH_MIN = 32;
/** Distinct characters a production secret must have: hex output has up to 16, "aaaa..." has 1. */
export const PRODUCTION_SECRET_DISTINCT_CHARACTER_COUNT_MIN = 8;

/** What is wrong with a secret for this environment (empty when nothing is). */
export function secretProblems(value: string, nodeEnv: NodeEnv, developmentDefault: string): string[] {
  if (nodeEnv !== 'production') {
    return value.length < SECRET_LENGTH_MIN ? [`must be at least ${SECRET_LENGTH_MIN} characters`] : [];
  }
  if (value === developmentDefault) return ['the development default is refused when NODE_ENV=production'];
  const problems: string[] = [];
  if (value.length < PRODUCTION_SECRET_LENGTH_MIN) {
    problems.push(`must be at least ${PRODUCTION_SECRET_LENGTH_MIN} characters when NODE_ENV=production`);
  }
  if (!hasVariety(value)) {
    problems.push(
      `must be random (at least ${PRODUCTION_SECRET_DISTINCT_CHARACTER_COUNT_MIN} distinct characters, not a repeated pattern) when NODE_ENV=production; e.g. openssl rand -hex 32`,
    );
  }
  return problems;
}

/** True when the secret is not one character or a short pattern repeated ("abcabcabc..."). */
export function hasVariety(value: string): boolean {
  if (new Set(value).size < PRODUCTION_SECRET_DISTINCT_CHARACTER_COUNT_MIN) return false;
  return !isRepetition(value);
}

function isRepetition(value: string): boolean {
  for (let unitLength = 1; unitLength <= value.length / 2; unitLength += 1) {
    if (value.length % unitLength !== 0) continue;
    const unit = value.slice(0, unitLength);
    if (unit.repeat(value.length / unitLength) === value) return true;
  }
  return false;
}

/** The rules above in words, for the description of every secret variable (and so of .env.example). */
export const SECRET_RULES_DESCRIPTION =
  `At least ${SECRET_LENGTH_MIN} characters. With NODE_ENV=production the development default is refused, ` +
  `and the secret must be at least ${PRODUCTION_SECRET_LENGTH_MIN} characters of random output ` +
  `(${PRODUCTION_SECRET_DISTINCT_CHARACTER_COUNT_MIN} or more distinct characters, no repeated pattern), ` +
  'e.g. `openssl rand -hex 32`.';
