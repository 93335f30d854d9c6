import type { RequestHandler } from 'express';

import type { Logger } from '../../infra/logger';
import type { Metrics } from '../../infra/metrics';

/**
 * One log line and one latency observation per request, labelled by its route template (not the raw path),
 * for every answer: a 422 from a route's validation and a 401 from authentication alike.
 */
export function requestLog(logger: Logger, metrics: Metrics, routeOf: (path: string) => string): RequestHandler {
  // One labelled child per method, route and status, made once: observing through a label object hashes
  // and validates the labels on every request. The set is bounded: Node parses only the HTTP methods it
  // knows, routes are templates (or `unmatched`) and statuses are three digits.
  const histograms = new Map<string, { observe(seconds: number): void }>();
  const histogramOf = (method: string, route: string, status: number) => {
    const key = `${method} ${route} ${status}`;
    let child = histograms.get(key);
    if (child === undefined) {
      child = metrics.httpDuration.labels({ method, route, status: String(status) });
      histograms.set(key, child);
    }
    return child;
  };
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const route = routeOf(req.path);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      histogramOf(req.method, route, res.statusCode).observe(seconds);
      if (res.statusCode < 500 && !logger.isLevelEnabled('info')) return;
      const line = {
        request_id: res.locals.requestId,
        method: req.method,
        route,
        status: res.statusCode,
        duration_ms: Math.round(seconds * 10_000) / 10,
        user_id: res.locals.auth?.user.id,
      };
      if (res.statusCode >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request');
    });
    next();
  };
}
