// Goal: .env.example says what the apps read, once per name, with their real defaults and bounds, and refuses
// to render anything it cannot say truthfully. Method: small schemas like the apps', rendered and read back.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';

import type { EnvSection } from '../src';
import { bool, ENV_EXAMPLE_WIDTH, int, list, nodeEnv, renderEnvExample, SHARED_ENV } from '../src';

const API = z.object({
  NODE_ENV: nodeEnv.describe('Which rules apply.'),
  API_PORT: int(0, 65_535).default(8000).describe('Port the API listens on.'),
  POOL_SIZE_MAX: int(1, 200).default(20).describe('Connections at most.'),
  CORS_ORIGINS: list.default(['http://a.test', 'http://b.test']).describe('Allowed origins.'),
  FAIL_OPEN: bool.default(true).describe('Serve without limits when Redis is down.'),
});
const WORKER = z.object({
  NODE_ENV: nodeEnv.describe('Which rules apply.'),
  POOL_SIZE_MAX: int(2, 200).default(10).describe('Connections at most.'),
  QUEUE_EXPIRES_MS: int(1_000, 60_000).optional().describe('Queues expire after this long; empty = never.'),
});

function sections(overrides: Partial<Record<'api' | 'worker', z.ZodObject>> = {}): EnvSection[] {
  return [
    { reader: 'api', source: 'apps/api/src/config.ts', variables: overrides.api ?? API },
    { reader: 'worker', source: 'apps/worker/src/config.ts', variables: overrides.worker ?? WORKER },
  ];
}

/** The lines of one entry: its comment lines and its NAME=value line. */
function entryOf(text: string, name: string): string[] {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.startsWith(`${name}=`));
  expect(index, `${name} is in the file`).toBeGreaterThan(-1);
  let start = index;
  while (start > 0 && lines[start - 1]?.startsWith('# ') && !lines[start - 1]?.startsWith('# ---')) start -= 1;
  return lines.slice(start, index + 1);
}

/** The heading of the section an entry sits in. */
function sectionOf(text: string, name: string): string {
  const before = text.slice(0, text.indexOf(`\n${name}=`));
  return /# --- ([^\n]*?) -+\n(?![\s\S]*# --- )/.exec(before)?.[1] ?? '';
}

describe('renderEnvExample', () => {
  test('when one app reads a variable, then it is in that app section with its default and bounds', () => {
    const text = renderEnvExample({ sections: sections(), composeVariables: [] });

    expect(sectionOf(text, 'API_PORT')).toBe('api (apps/api/src/config.ts)');
    expect(entryOf(text, 'API_PORT')).toEqual(['# Port the API listens on. Range: 0-65535.', 'API_PORT=8000']);
  });

  test('when a default is a list or a boolean, then it is written as .env text that parses back to it', () => {
    const text = renderEnvExample({ sections: sections(), composeVariables: [] });

    expect(entryOf(text, 'CORS_ORIGINS').at(-1)).toBe('CORS_ORIGINS=http://a.test,http://b.test');
    expect(entryOf(text, 'FAIL_OPEN').at(-1)).toBe('FAIL_OPEN=true');
  });

  test('when a variable has no default, then its value is empty and the description says what empty means', () => {
    const text = renderEnvExample({ sections: sections(), composeVariables: [] });

    expect(entryOf(text, 'QUEUE_EXPIRES_MS')).toEqual([
      '# Queues expire after this long; empty = never. Range: 1000-60000.',
      'QUEUE_EXPIRES_MS=',
    ]);
  });

  test('when several apps read a name with one default, then it is printed once, in the shared section', () => {
    const text = renderEnvExample({ sections: sections(), composeVariables: [] });

    expect(text.match(/^NODE_ENV=/gm)).toHaveLength(1);
    expect(sectionOf(text, 'NODE_ENV')).toBe('shared: read by more than one app');
    expect(entryOf(text, 'NODE_ENV')).toEqual([
      '# Which rules apply. Read by api, worker. One of: development, test, production.',
      'NODE_ENV=development',
    ]);
  });

  test("when the apps' defaults and bounds differ, then the value is empty and each app's is listed", () => {
    const text = renderEnvExample({ sections: sections(), composeVariables: [] });

    expect(entryOf(text, 'POOL_SIZE_MAX')).toEqual([
      '# Connections at most. Read by api, worker. Range: api 1-200, worker 2-200.',
      "# empty = the app's default (api 20, worker 10)",
      'POOL_SIZE_MAX=',
    ]);
  });

  test('when docker compose substitutes a variable, then its entry is marked [compose]', () => {
    const text = renderEnvExample({ sections: sections(), composeVariables: ['API_PORT'] });

    expect(entryOf(text, 'API_PORT')[0]).toBe('# Port the API listens on. Range: 0-65535. [compose]');
    expect(entryOf(text, 'FAIL_OPEN').join('\n')).not.toContain('[compose]');
  });

  test('when docker compose substitutes a variable no section lists, then rendering fails naming it', () => {
    expect(() => renderEnvExample({ sections: sections(), composeVariables: ['REDIS_HOST_PORT'] })).toThrow(
      /docker-compose\.yml substitutes REDIS_HOST_PORT, which no section lists/,
    );
  });

  test('when hand-listed variables are given, then they render like schema fields, empty refusal included', () => {
    const web: EnvSection = {
      reader: 'web',
      source: 'apps/web/vite.config.ts',
      variables: [
        {
          name: 'WEB_PORT',
          description: 'Port of vite.',
          defaultValue: '5500',
          range: { min: 1, max: 65_535 },
          refusesEmpty: true,
        },
      ],
    };
    const text = renderEnvExample({ sections: [...sections(), web], composeVariables: [] });

    expect(sectionOf(text, 'WEB_PORT')).toBe('web (apps/web/vite.config.ts)');
    expect(entryOf(text, 'WEB_PORT')).toEqual([
      '# Port of vite. Range: 1-65535. Must not be empty for web.',
      'WEB_PORT=5500',
    ]);
  });

  test('when a description is long, then it wraps into comment lines no wider than the limit', () => {
    const long = 'Words and more words, '.repeat(30).trim();
    const api = API.extend({ LONG_MS: int(1, 10).default(5).describe(long) });
    const text = renderEnvExample({ sections: sections({ api }), composeVariables: [] });

    const comments = text.split('\n').filter((line) => line.startsWith('#'));
    expect(Math.max(...comments.map((line) => line.length))).toBeLessThanOrEqual(ENV_EXAMPLE_WIDTH);
    expect(
      entryOf(text, 'LONG_MS')
        .slice(0, -1)
        .map((line) => line.slice(2))
        .join(' '),
    ).toBe(`${long} Range: 1-10.`);
  });

  test('when a variable has no description, then rendering fails naming it and its reader', () => {
    const api = API.extend({ UNDESCRIBED_MS: int(1, 10).default(5) });

    expect(() => renderEnvExample({ sections: sections({ api }), composeVariables: [] })).toThrow(
      /UNDESCRIBED_MS \(api\) has no description/,
    );
  });

  test('when the description is set before .default(), then the field counts as undescribed', () => {
    const api = API.extend({ EARLY_MS: int(1, 10).describe('Lost on the inner schema.').default(5) });

    expect(() => renderEnvExample({ sections: sections({ api }), composeVariables: [] })).toThrow(
      /EARLY_MS \(api\) has no description/,
    );
  });

  test('when two apps describe one name differently, then rendering fails: it must be described once', () => {
    const worker = WORKER.extend({ NODE_ENV: nodeEnv.describe('Another story.') });

    expect(() => renderEnvExample({ sections: sections({ worker }), composeVariables: [] })).toThrow(
      /NODE_ENV is described differently by api, worker/,
    );
  });

  test('when a default would need quoting in .env, then rendering fails', () => {
    const api = API.extend({ GREETING: z.string().default('hello world').describe('A greeting.') });

    expect(() => renderEnvExample({ sections: sections({ api }), composeVariables: [] })).toThrow(
      /GREETING: the default "hello world" would need quoting/,
    );
  });

  test('when a default does not parse back to itself, then rendering fails', () => {
    // The schema's default is its output; written as text, "abc" would be read as "ABC".
    const upper = z.string().transform((value) => value.toUpperCase());
    const api = API.extend({ CODE: upper.default('abc').describe('A code, read in capitals.') });

    expect(() => renderEnvExample({ sections: sections({ api }), composeVariables: [] })).toThrow(
      /CODE: its default, written as "abc", does not parse back/,
    );
  });

  test('the output starts with the header and ends with one newline', () => {
    const text = renderEnvExample({ sections: sections(), composeVariables: [] });

    expect(text).toMatch(/^# Paygate configuration/);
    expect(text).toContain('`make start` loads it into `pnpm start`');
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });
});

describe('SHARED_ENV', () => {
  test('every shared variable is described, on the schema the apps use', () => {
    const undescribed = Object.entries(SHARED_ENV.shape)
      .filter(([, schema]) => (schema.description ?? '') === '')
      .map(([name]) => name);

    expect(undescribed).toEqual([]);
  });
});
