import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * JSON logs. Nothing secret is logged: connection URLs are never passed to a log call (see redactUrl), and
 * the redaction below is a second line of defence.
 */
export function createLogger(level: string): Logger {
  return pino({
    name: 'worker',
    level,
    base: { service: 'paygate-worker' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['url', '*.url', 'password', '*.password', 'secret', '*.secret', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}

/** A URL fit for a log line: the password is replaced, the rest is kept so operators see where we connect. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '[unparseable url]';
  }
}
