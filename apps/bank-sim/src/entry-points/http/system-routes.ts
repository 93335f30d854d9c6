import { Router } from 'express';
import type { Registry } from 'prom-client';

import type { Pool } from '../../data-access/database';

/** Open to everyone (no credential): a probe or a scraper holds none. */
export function systemRoutes(registry: Registry, pool: Pool): Router {
  const router = Router();
  // The bank cannot take or settle an order without its database, so health includes it.
  router.get('/health', async (_request, response) => {
    const isDatabaseUp = await pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    response
      .status(isDatabaseUp ? 200 : 503)
      .json({ status: isDatabaseUp ? 'ok' : 'unhealthy', database: isDatabaseUp ? 'up' : 'down' });
  });
  router.get('/metrics', async (_request, response) => {
    response.set('content-type', registry.contentType).send(await registry.metrics());
  });
  return router;
}
