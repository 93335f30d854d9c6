import type { z } from 'zod';

import type { ConfigProblem } from './config-error';
import { ConfigError } from './config-error';
import { secretProblems } from './secrets';
import type { NodeEnv } from './variables';

export interface LoadEnvOptions<T> {
  /** Secret variables and their development defaults: checked by the same rules in every app. */
  secrets?: Partial<Record<keyof T & string, string>>;
  /** Rules between variables (a minimum below its maximum, say); return every problem found. */
  check?: (values: T) => ConfigProblem[];
}

/**
 * Parses the environment with an app's schema and returns its typed values, or throws one ConfigError
 * that names every bad variable. An empty variable (FOO=) means "use the default", as in docker-compose
 * files and .env templates.
 */
export function loadEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
  options: LoadEnvOptions<z.output<S>> = {},
): z.output<S> {
  const parsed = schema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: issue.path.length > 0 ? issue.path.map(String).join('.') : 'environment',
        message: issue.message,
      })),
    );
  }
  const values = parsed.data;
  const problems = [...secretRuleProblems(values, options.secrets ?? {}), ...(options.check?.(values) ?? [])];
  if (problems.length > 0) throw new ConfigError(problems);
  return values;
}

function secretRuleProblems(
  values: Record<string, unknown>,
  secrets: Partial<Record<string, string>>,
): ConfigProblem[] {
  const nodeEnv = (values.NODE_ENV ?? 'development') as NodeEnv;
  const problems: ConfigProblem[] = [];
  for (const [variable, developmentDefault] of Object.entries(secrets)) {
    const value = values[variable];
    if (typeof value !== 'string' || developmentDefault === undefined) continue;
    for (const message of secretProblems(value, nodeEnv, developmentDefault)) problems.push({ variable, message });
  }
  return problems;
}

function withoutEmptyValues(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
