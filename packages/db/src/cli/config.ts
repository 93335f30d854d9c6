/** The migrate command's only input. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/paygate';

export function databaseUrlFromEnv(): string {
  const value = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  try {
    const url = new URL(value);
    if (!['postgres:', 'postgresql:'].includes(url.protocol)) throw new Error('not a postgres URL');
  } catch {
    throw new Error(`DATABASE_URL is not a valid postgresql:// URL: ${value.replace(/\/\/[^@]*@/, '//***@')}`);
  }
  return value;
}
