// `pnpm env:example` writes .env.example from what the apps read: the env schemas of api, worker and bank-sim
// (their descriptions, defaults and bounds), the variables the Vite servers read in apps/*/vite.config.ts,
// and the ones docker-compose.yml substitutes. `pnpm env:example --check` (CI) exits 1 when the committed
// file differs, so the file cannot drift from the code.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { API_ENV } from '../apps/api/src/config';
import { BANK_SIM_ENV } from '../apps/bank-sim/src/config';
import { WORKER_ENV } from '../apps/worker/src/config';
// A relative import: adding @paygate/config to the root devDependencies would change the lockfile.
import type { EnvSection, EnvVariable } from '../packages/config/src';
import { renderEnvExample, sectionVariables, SHARED_ENV } from '../packages/config/src';

const ROOT = path.resolve(import.meta.dirname, '..');
const ENV_EXAMPLE = '.env.example';
const COMPOSE_FILE = 'docker-compose.yml';

/** What the Vite servers read has no schema: its descriptions live here, its defaults in vite.config.ts. */
const VITE_DESCRIPTIONS: Record<string, string | undefined> = {
  API_URL: SHARED_ENV.shape.API_URL.description,
  WEB_PORT:
    "Port of the web app's `vite dev` and `vite preview` servers, which proxy the API's paths to API_URL. " +
    "Under docker compose it is the host port of the web container's nginx.",
  CONSOLE_PORT:
    "Port of the operators' console's `vite dev` and `vite preview` servers, which proxy the operator API " +
    '(/api/v1/admin) to API_URL.',
};

/** The variables only docker-compose.yml reads: its defaults are in the file, its descriptions here. */
const COMPOSE_DESCRIPTIONS: Record<string, string | undefined> = {
  POSTGRES_HOST_PORT: 'PostgreSQL (DATABASE_URL and BANK_DATABASE_URL of apps run on the host must follow it).',
  RABBITMQ_HOST_PORT: 'RabbitMQ (AMQP_URL of apps run on the host must follow it).',
  RABBITMQ_UI_PORT: 'The RabbitMQ management UI (guest/guest).',
  REDIS_HOST_PORT: 'Redis (REDIS_URL of apps run on the host must follow it).',
  PROMETHEUS_PORT: 'The Prometheus UI, started by `docker compose --profile monitoring up -d`.',
};

main();

function main(): void {
  const args = process.argv.slice(2);
  const isCheck = args.includes('--check');
  if (args.some((arg) => arg !== '--check')) {
    fail(`unknown argument(s): ${args.join(' ')}\nusage: pnpm env:example [--check]`);
  }
  const text = buildEnvExample();
  const file = path.join(ROOT, ENV_EXAMPLE);
  if (!isCheck) {
    writeFileSync(file, text);
    console.log(`wrote ${ENV_EXAMPLE}`);
    return;
  }
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (committed === text) {
    console.log(`${ENV_EXAMPLE} matches the apps' env schemas`);
    return;
  }
  fail(
    `${ENV_EXAMPLE} differs from what the apps read:\n${diffSummary(committed, text).join('\n')}\n` +
      `Run \`pnpm env:example\` and commit ${ENV_EXAMPLE}.`,
  );
}

function buildEnvExample(): string {
  const compose = composeDefaults(readFileSync(path.join(ROOT, COMPOSE_FILE), 'utf8'));
  const appSections: EnvSection[] = [
    { reader: 'api', source: 'apps/api/src/config.ts', variables: API_ENV },
    { reader: 'worker', source: 'apps/worker/src/config.ts', variables: WORKER_ENV },
    { reader: 'bank-sim', source: 'apps/bank-sim/src/config.ts', variables: BANK_SIM_ENV },
    ...viteSections(),
  ];
  const appVariables = appSections.flatMap((section) =>
    sectionVariables(section).map((variable) => ({ reader: section.reader, variable })),
  );
  checkComposeDefaults(compose, appVariables);
  const appNames = new Set(appVariables.map(({ variable }) => variable.name));
  const composeOnly = [...compose].filter(([name]) => !appNames.has(name));
  const composeSection: EnvSection = {
    reader: 'docker compose',
    source: COMPOSE_FILE,
    note: 'Host ports of the infrastructure containers, published on 127.0.0.1 only; change one if the port is taken on your machine.',
    variables: composeOnly.map(([name, defaultValue]) => ({
      name,
      description: COMPOSE_DESCRIPTIONS[name],
      defaultValue,
      range: { min: 1, max: 65_535 },
    })),
  };
  return renderEnvExample({ sections: [...appSections, composeSection], composeVariables: [...compose.keys()] });
}

/**
 * One section per app with a vite.config.ts (web, and the console once it lands). Names and defaults are
 * read from its readUrl/readPort calls, so a new variable there fails here until it is described.
 */
function viteSections(): EnvSection[] {
  const apps = readdirSync(path.join(ROOT, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(ROOT, 'apps', entry.name, 'vite.config.ts')))
    .map((entry) => entry.name)
    .sort();
  return apps.map((app) => {
    const source = `apps/${app}/vite.config.ts`;
    const text = readFileSync(path.join(ROOT, source), 'utf8');
    const direct = [...text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)];
    if (direct.length > 0)
      fail(`${source} reads ${direct[0]?.[0] ?? 'env'} directly; read it with readUrl or readPort`);
    const variables = [...text.matchAll(/\bread(Url|Port)\(env, '([A-Z][A-Z0-9_]*)', '?([^')]*)'?\)/g)].map(
      ([, kind, name = '', defaultValue]): EnvVariable => {
        const description = VITE_DESCRIPTIONS[name];
        if (description === undefined)
          fail(`${source} reads ${name}: describe it in VITE_DESCRIPTIONS of ${import.meta.filename}`);
        const range = kind === 'Port' ? { min: 1, max: 65_535 } : undefined;
        return { name, description, defaultValue, range, refusesEmpty: true };
      },
    );
    return { reader: app, source, variables };
  });
}

/** Every `${NAME}`, `${NAME:-default}` or `${NAME-default}` of docker-compose.yml, with its default. */
function composeDefaults(text: string): Map<string, string | undefined> {
  const defaults = new Map<string, string | undefined>();
  for (const [, name = '', fallback] of text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::?-([^}]*))?\}/g)) {
    const defaultValue = fallback === '' ? undefined : fallback;
    if (defaults.has(name) && defaults.get(name) !== defaultValue) {
      fail(`${COMPOSE_FILE} gives ${name} two defaults: ${String(defaults.get(name))} and ${String(defaultValue)}`);
    }
    defaults.set(name, defaultValue);
  }
  return defaults;
}

/** A compose default that differs from the app's would make the stack without .env unlike .env.example. */
function checkComposeDefaults(
  compose: Map<string, string | undefined>,
  appVariables: { reader: string; variable: EnvVariable }[],
): void {
  const problems = appVariables
    .filter(({ variable }) => compose.has(variable.name) && compose.get(variable.name) !== variable.defaultValue)
    .map(
      ({ reader, variable }) =>
        `  ${variable.name}: ${COMPOSE_FILE} defaults it to ${String(compose.get(variable.name))}, ${reader} to ${String(variable.defaultValue)}`,
    );
  if (problems.length > 0) fail(`defaults disagree:\n${problems.join('\n')}`);
}

interface Entry {
  section: string;
  value: string;
  comment: string;
}

/** What changed, in words a reviewer can act on: values one by one, moves and descriptions by group. */
function diffSummary(committed: string, generated: string): string[] {
  const before = entriesOf(committed);
  const after = entriesOf(generated);
  const lines: string[] = [];
  const moves = new Map<string, string[]>();
  const described: string[] = [];
  for (const [name, entry] of after) {
    const old = before.get(name);
    if (old === undefined) {
      lines.push(`  + ${name}=${entry.value} (missing; belongs in ${entry.section})`);
      continue;
    }
    if (old.value !== entry.value) lines.push(`  ~ ${name}: "${old.value}" should be "${entry.value}"`);
    const move = `from "${old.section}" to "${entry.section}"`;
    if (old.section !== entry.section) moves.set(move, [...(moves.get(move) ?? []), name]);
    if (old.comment !== entry.comment) described.push(name);
  }
  for (const [name, entry] of before) {
    if (!after.has(name)) lines.push(`  - ${name}=${entry.value} (no app reads it)`);
  }
  for (const [move, names] of moves) lines.push(`  ~ moved ${move}: ${names.join(', ')}`);
  if (described.length > 0) lines.push(`  ~ description or notes differ: ${described.join(', ')}`);
  if (lines.length > 0) return lines;
  const committedLines = committed.split('\n');
  const generatedLines = generated.split('\n');
  const index = generatedLines.findIndex((line, lineIndex) => line !== committedLines[lineIndex]);
  const lineIndex = index === -1 ? generatedLines.length : index;
  return [
    `  the header or a section heading differs, first at line ${lineIndex + 1}:`,
    `    committed: ${committedLines[lineIndex] ?? '(end of file)'}`,
    `    expected:  ${generatedLines[lineIndex] ?? '(end of file)'}`,
  ];
}

function entriesOf(text: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  let section = '(before any section)';
  let comment: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# ---')) {
      section = line.replace(/^# -+ /, '').replace(/ -+$/, '');
      comment = [];
    } else if (line.startsWith('#')) {
      comment.push(line);
    } else {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (match?.[1] !== undefined)
        entries.set(match[1], { section, value: match[2] ?? '', comment: comment.join('\n') });
      comment = [];
    }
  }
  return entries;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
