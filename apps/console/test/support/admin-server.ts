import type { LocalServer, RecordedRequest, Reply } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';

import type { OperatorWire } from '@paygate/contracts';

/**
 * A fake of our own operator API for component tests: a real HTTP server that answers `GET /auth/me` with
 * the given operator (or 401 when null) and each other "METHOD /path" (under /api/v1/admin) from the table;
 * anything else is a 404 in the API's error shape, so a test sees a request it did not expect.
 */
export type Routes = Record<string, Reply | ((request: RecordedRequest) => Reply)>;

export const ADMIN = '/api/v1/admin';

export function startAdminServer(operator: OperatorWire | null, routes: Routes): Promise<LocalServer> {
  return startLocalServer((request) => {
    const path = request.path.startsWith(ADMIN) ? request.path.slice(ADMIN.length) : request.path;
    const key = `${request.method} ${path}`;
    if (key === 'GET /auth/me' && !(key in routes)) {
      return operator === null
        ? { status: 401, body: { error: 'unauthorized', message: 'Log in first.', request_id: 'req-me' } }
        : { status: 200, body: operator };
    }
    const route = routes[key];
    if (route === undefined) {
      return { status: 404, body: { error: 'not_found', message: `No fake route for ${key}`, request_id: 'req-404' } };
    }
    return typeof route === 'function' ? route(request) : route;
  });
}
