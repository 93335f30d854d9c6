import { Router } from 'express';

import type { Dependency, HealthWire, LivenessWire } from '@paygate/contracts';
import { DEPENDENCIES, infoOf } from '@paygate/contracts';
import { buildOpenApiDocument } from '@paygate/contracts/openapi';

import type { ApiDeps } from '../../deps';
import type { HealthReport } from '../../services/health';
import { checkHealth } from '../../services/health';
import type { DocsPage } from './docs-page';

export const API_VERSION = '0.1.0';
const SERVICE = 'paygate-api';

/** /, /health (readiness), /health/live (liveness), /docs, /openapi.json and /metrics. */
export function systemRouter(deps: ApiDeps, docs: DocsPage): Router {
  const router = Router();
  // A relative server: "Try it" on /docs then calls the origin the page came from (no CORS needed).
  const openApi = buildOpenApiDocument({ version: API_VERSION, serverUrl: '/' });
  const info = infoOf(API_VERSION);

  router.get('/', (_req, res) => {
    res.json(info);
  });

  const logTransitions = healthTransitionLogger(deps);
  router.get('/health', async (_req, res) => {
    const report = await checkHealth(deps, {
      timeoutMs: deps.config.health.timeoutMs,
      rateLimitFailOpen: deps.config.rateLimit.failOpen,
    });
    logTransitions(report);
    res.status(report.status === 'unhealthy' ? 503 : 200).json(encodeHealth(report));
  });

  // Liveness checks nothing outside the process: a database outage must not get every API restarted.
  router.get('/health/live', (_req, res) => {
    const body: LivenessWire = { status: 'alive', service: SERVICE, version: API_VERSION };
    res.json(body);
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  router.use(docs.router);

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  return router;
}

function encodeHealth(report: HealthReport): HealthWire {
  const check = (name: Dependency) => ({
    status: report.checks[name].status,
    latency_ms: report.checks[name].latencyMs,
  });
  return {
    status: report.status,
    service: SERVICE,
    version: API_VERSION,
    checks: { postgres: check('postgres'), redis: check('redis'), rabbitmq: check('rabbitmq') },
  };
}

/**
 * The response never says why a dependency is down (it is public); the log does, once per change of
 * state rather than on every probe of a load balancer.
 */
function healthTransitionLogger(deps: ApiDeps): (report: HealthReport) => void {
  const last = new Map<Dependency, 'up' | 'down'>();
  return (report) => {
    for (const name of DEPENDENCIES) {
      const check = report.checks[name];
      const previous = last.get(name) ?? 'up';
      last.set(name, check.status);
      if (check.status === previous) continue;
      if (check.status === 'down')
        deps.logger.warn({ dependency: name, err: check.error, health: report.status }, 'dependency down');
      else deps.logger.info({ dependency: name, health: report.status }, 'dependency back up');
    }
  };
}
