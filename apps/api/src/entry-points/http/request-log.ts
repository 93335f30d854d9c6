import type { RequestHandler } from 'express';

import type { Logger } from '../../infra/logger';
import type { Metrics } from '../../infra/metrics';

/** One log line and one latency observation per request, labelled by route pattern (not raw path). */
export function requestLog(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req.baseUrl, req.route as { path?: unknown } | undefined);
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

function routeLabel(baseUrl: string, route: { path?: unknown } | undefined): string {
  if (!route || typeof route.path !== 'string') return 'unmatched';
  const label = `${baseUrl}${route.path}`;
  return label.length > 1 && label.endsWith('/') ? label.slice(0, -1) : label;
}
