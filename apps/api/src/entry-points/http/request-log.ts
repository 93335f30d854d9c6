import type { RequestHandler } from 'express';

import type { Logger } from '../../infra/logger';
import type { Metrics } from '../../infra/metrics';

/**
 * One log line and one latency observation per request, labelled by its route template (not the raw path),
 * for every answer: a 422 from a route's validation and a 401 from authentication alike.
 */
export function requestLog(logger: Logger, metrics: Metrics, routeOf: (path: string) => string): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const route = routeOf(req.path);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
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
