// Goal: every app gets the same rules from one place. Method: a small schema like an app's, fed bad and good environments.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';

import {
  ConfigError,
  DEV_WEBHOOK_SECRET,
  hasVariety,
  int,
  intList,
  loadEnv,
  nodeEnv,
  secretProblems,
  url,
} from '../src';

const SCHEMA = z.object({
  NODE_ENV: nodeEnv,
  PORT: int(0, 65_535).default(8000),
  TARGET_URL: url(['http:', 'https:']).default('http://127.0.0.1:1'),
  WEBHOOK_SECRET: z.string().default(DEV_WEBHOOK_SECRET),
  SCHEDULE_S: intList(1, 100).default([5, 10]),
});

function load(env: Record<string, string | undefined>) {
  return loadEnv(SCHEMA, env, { secrets: { WEBHOOK_SECRET: DEV_WEBHOOK_SECRET } });
}

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.variable}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('loadEnv', () => {
  test('when nothing is set, then every default applies', () => {
    expect(load({})).toEqual({
      NODE_ENV: 'development',
      PORT: 8000,
      TARGET_URL: 'http://127.0.0.1:1',
      WEBHOOK_SECRET: DEV_WEBHOOK_SECRET,
      SCHEDULE_S: [5, 10],
    });
  });

  test('when a variable is empty, then its default applies', () => {
    expect(load({ PORT: '' }).PORT).toBe(8000);
  });

  test('when several variables are bad, then all of them are reported at once', () => {
    const problems = problemsOf({ PORT: 'eighty', TARGET_URL: 'ftp://x', SCHEDULE_S: '5,0' });
    expect(problems).toEqual([
      'PORT: must be a whole number',
      'TARGET_URL: must be a http:// or https:// URL',
      'SCHEDULE_S.1: must be at least 1',
    ]);
  });

  test('when NODE_ENV is a typo, then the app stops naming the allowed values', () => {
    expect(problemsOf({ NODE_ENV: 'prod' })).toEqual(['NODE_ENV: must be one of development, test, production']);
  });

  test('when production keeps the development secret, then it is refused', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'WEBHOOK_SECRET: the development default is refused when NODE_ENV=production',
    ]);
  });

  test('when production gets sixteen a, then length and variety are both refused', () => {
    expect(problemsOf({ NODE_ENV: 'production', WEBHOOK_SECRET: 'a'.repeat(16) })).toHaveLength(2);
  });

  test('when production gets a random hex secret, then it starts', () => {
    const secret = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(load({ NODE_ENV: 'production', WEBHOOK_SECRET: secret }).WEBHOOK_SECRET).toBe(secret);
  });
});

describe('secret rules', () => {
  test.each([
    ['a'.repeat(40), false],
    ['abcdefgh'.repeat(5), false],
    ['0123456789abcdef0123456789abcdeg', true],
  ])('when the secret is %s, then variety is %s', (secret, expected) => {
    expect(hasVariety(secret)).toBe(expected);
  });

  test('when not in production, then only a minimum length applies', () => {
    expect(secretProblems('short', 'development', DEV_WEBHOOK_SECRET)).toEqual(['must be at least 16 characters']);
    expect(secretProblems(DEV_WEBHOOK_SECRET, 'test', DEV_WEBHOOK_SECRET)).toEqual([]);
  });
});
