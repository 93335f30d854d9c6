import type { RequestHandler } from 'express';

/**
 * A middleware that only sets constant headers (helmet, as configured here: no nonces, nothing read from
 * the request), run once at start-up to learn them; each request then gets the same headers from one loop,
 * instead of a dozen middleware calls rebuilding the same strings (the CSP among them) every time.
 * Refuses at start-up a middleware that does anything else.
 */
export function staticHeaders(middleware: RequestHandler): RequestHandler {
  const headers: [string, string][] = [];
  const removed: string[] = [];
  const startUp = { isCompleted: false };
  // Only setHeader and removeHeader are expected to be touched; the checks below refuse anything else.
  const request: unknown = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      if (typeof value !== 'string') throw new Error(`staticHeaders: ${name} is not a constant string`);
      headers.push([name, value]);
    },
    removeHeader: (name: string) => removed.push(name),
  };
  middleware(
    request as Parameters<RequestHandler>[0],
    recorder as unknown as Parameters<RequestHandler>[1],
    (error?: unknown) => {
      if (error !== undefined) throw new Error('staticHeaders: the middleware failed at start-up', { cause: error });
      startUp.isCompleted = true;
    },
  );
  if (!startUp.isCompleted) throw new Error('staticHeaders: the middleware did not call next() at once');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
