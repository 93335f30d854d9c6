import { randomBytes } from 'node:crypto';

import { assert } from '@paygate/domain';

/**
 * The bank's only source of randomness: a small deterministic PRNG (sfc32, seeded through cyrb128), so two
 * runs with the same BANK_SEED and the same request sequence draw the same references, delays, outcomes and
 * scenarios. It is a simulator's dice, not a cryptographic generator.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both included. */
  integerBetween(min: number, max: number): number;
  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T;
}

/** A seed for runs where BANK_SEED is unset; main.ts logs it so the run can be repeated. */
export function randomSeed(): string {
  return randomBytes(8).toString('hex');
}

/**
 * An independent stream per label. Draws whose timing depends on the network (webhook retry jitter) use a
 * stream of their own, so they cannot shift the draws that follow the request sequence.
 */
export function createRandom(seed: string, label: string): Random {
  const [a, b, c, d] = cyrb128(`${seed}/${label}`);
  const next = sfc32(a, b, c, d);
  // The first draws of sfc32 still echo the seed; discarding a few is the usual warm-up.
  for (let index = 0; index < 12; index += 1) next();
  return {
    next,
    integerBetween(min, max) {
      assert(Number.isInteger(min) && Number.isInteger(max), 'integer bounds');
      assert(min <= max, 'min <= max');
      return min + Math.floor(next() * (max - min + 1));
    },
    pick(items) {
      assert(items.length > 0, 'pick needs a non-empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter), 32-bit state words, output scaled to [0, 1). */
function sfc32(seedA: number, seedB: number, seedC: number, seedD: number): () => number {
  let a = seedA >>> 0;
  let b = seedB >>> 0;
  let c = seedC >>> 0;
  let d = seedD >>> 0;
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
}

/** cyrb128: a fast string hash giving the four 32-bit words sfc32 needs. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1_779_033_703;
  let h2 = 3_144_134_277;
  let h3 = 1_013_904_242;
  let h4 = 2_773_480_762;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597_399_067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2_869_860_233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951_274_213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2_716_044_179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597_399_067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2_869_860_233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951_274_213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2_716_044_179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
