import type { Logger, LogLevel } from '@paygate/config';
import { createLogger as createServiceLogger } from '@paygate/config';

export type { Logger } from '@paygate/config';

/** The bank simulator's JSON logs (@paygate/config sets up every app's logger the same way). */
export function createLogger(level: LogLevel): Logger {
  return createServiceLogger({ service: 'bank-sim', level });
}
