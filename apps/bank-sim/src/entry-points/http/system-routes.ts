import { Router } from 'express';
import type { Registry } from 'prom-client';

export function systemRoutes(registry: Registry): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/metrics', async (_request, response) => {
    response.set('content-type', registry.contentType).send(await registry.metrics());
  });
  return router;
}
