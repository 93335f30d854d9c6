// Goal: the seeded generator is deterministic, independent per stream, and stays in range.
import { describe, expect, test } from 'vitest';

import { createRandom } from '../src/random';

describe('createRandom', () => {
  test('when seeded alike, then it draws alike; another seed or stream draws otherwise', () => {
    const draws = (seed: string, label: string) => {
      const random = createRandom(seed, label);
      return Array.from({ length: 20 }, () => random.next());
    };

    expect(draws('s', 'orders')).toEqual(draws('s', 'orders'));
    expect(draws('s', 'orders')).not.toEqual(draws('t', 'orders'));
    expect(draws('s', 'orders')).not.toEqual(draws('s', 'webhook-jitter'));
  });

  test('when drawing many values, then they stay in range and cover it', () => {
    const random = createRandom('range', 'test');
    const values = Array.from({ length: 10_000 }, () => random.integerBetween(3, 7));

    expect(Math.min(...values)).toBe(3);
    expect(Math.max(...values)).toBe(7);
    const unit = Array.from({ length: 10_000 }, () => random.next());
    expect(unit.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = unit.reduce((sum, value) => sum + value, 0) / unit.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
