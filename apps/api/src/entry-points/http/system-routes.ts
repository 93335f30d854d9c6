import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';

import { buildOpenApiDocument } from '@paygate/contracts/openapi';

import type { ApiDeps } from '../../deps';
import { checkHealth } from '../../services/health';

export const API_VERSION = '0.1.0';

/** /, /health, /docs, /openapi.json and /metrics. */
export function systemRouter(deps: ApiDeps): Router {
  const router = Router();
  // A relative server: "Try it out" on /docs then calls the origin the page came from (no CORS needed).
  const openApi = buildOpenApiDocument({ version: API_VERSION, serverUrl: '/' });

  router.get('/', (_req, res) => {
    res.json({ name: 'Paygate API', version: API_VERSION, docs: '/docs', openapi: '/openapi.json', health: '/health' });
  });

  router.get('/health', async (_req, res) => {
    const report = await checkHealth(deps, deps.config.health.timeoutMs);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  router.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(openApi, { customSiteTitle: 'Paygate API', swaggerOptions: { persistAuthorization: false } }),
  );

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  return router;
}
