import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON logs. Credentials never reach a log line: the redaction is a second line of defence. */
export function createLogger(level: string, name = 'api', destination?: { write(line: string): void }): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: `paygate-${name}` },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['api_key', '*.api_key', 'apiKey', '*.apiKey', 'headers["x-api-key"]', 'headers.authorization', 'secret', '*.secret'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
