/** One bad variable: its name and what is wrong with it, in words an operator can act on. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Every problem found in the environment, reported together so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `invalid configuration:\n  ${problems.map((problem) => `${problem.variable}: ${problem.message}`).join('\n  ')}`,
    );
    this.name = 'ConfigError';
  }

  /** The first variable named, for callers (and tests) that only need one. */
  get variable(): string {
    return this.problems[0]?.variable ?? 'environment';
  }
}
