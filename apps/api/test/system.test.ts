// Goal: the operational surface behaves: health names what is down, errors never leak internals, request
// ids flow, security headers and CORS are right, docs and metrics are served.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { HealthWire, InfoWire, LivenessWire } from '@paygate/contracts';

import type { TestApi } from './setup/api';
import { call, getAs, givenUser, newKey, postDeposit, startApi } from './setup/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('GET /health (readiness) and /health/live (liveness)', () => {
  const up = { status: 'up', latency_ms: expect.any(Number) };
  const down = { status: 'down', latency_ms: expect.any(Number) };

  test('when PostgreSQL, Redis and RabbitMQ answer, then 200 healthy naming each with its latency', async () => {
    const answer = await call(api.baseUrl, '/health');
    expect(answer.status).toBe(200);
    expect(HealthWire.parse(answer.body)).toEqual({
      status: 'healthy',
      service: 'paygate-api',
      version: '0.1.0',
      checks: { postgres: up, redis: up, rabbitmq: up },
    });
  });

  test.each([
    ['Redis is down and limits fail open', { REDIS_URL: 'redis://127.0.0.1:1' }, 'redis'],
    ['RabbitMQ is down (the API only writes the outbox)', { AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' }, 'rabbitmq'],
  ])('when %s, then 200 degraded naming it down', async (_name, env, dependency) => {
    const broken = await startApi({ ...env, HEALTH_CHECK_TIMEOUT_MS: '1000' });
    try {
      const answer = await call(broken.baseUrl, '/health');
      expect(answer.status).toBe(200);
      expect(HealthWire.parse(answer.body)).toMatchObject({ status: 'degraded', checks: { [dependency]: down } });
      const others = Object.entries(answer.body.checks).filter(([name]) => name !== dependency);
      expect(others.map(([, check]) => check)).toEqual([up, up]);
    } finally {
      await broken.close();
    }
  });

  test.each([
    [
      'Redis is down and limits fail closed',
      { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_FAIL_OPEN: 'false' },
      'redis',
    ],
    [
      'PostgreSQL is unreachable',
      { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/paygate', DATABASE_CONNECTION_TIMEOUT_MS: '500' },
      'postgres',
    ],
  ])('when %s, then 503 unhealthy naming it down', async (_name, env, dependency) => {
    const broken = await startApi({ ...env, HEALTH_CHECK_TIMEOUT_MS: '1000' });
    try {
      const answer = await call(broken.baseUrl, '/health');
      expect(answer.status).toBe(503);
      expect(HealthWire.parse(answer.body)).toMatchObject({
        status: 'unhealthy',
        service: 'paygate-api',
        checks: { [dependency]: down },
      });
      expect(answer.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|error/);
    } finally {
      await broken.close();
    }
  });

  test('when a dependency goes down, then the log says which and why once, not on every probe', async () => {
    const broken = await startApi({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
      LOG_LEVEL: 'info',
      HEALTH_CHECK_TIMEOUT_MS: '1000',
    });
    try {
      for (let probe = 0; probe < 3; probe += 1) expect((await call(broken.baseUrl, '/health')).status).toBe(200);
      const downLines = broken.logLines.filter((line) => line.includes('dependency down'));
      expect(downLines).toHaveLength(1);
      expect(downLines[0]).toContain('"dependency":"rabbitmq"');
    } finally {
      await broken.close();
    }
  });

  test('when /health/live is asked, then 200 alive even with PostgreSQL unreachable (liveness checks nothing outside the process)', async () => {
    const broken = await startApi({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/paygate',
      DATABASE_CONNECTION_TIMEOUT_MS: '500',
    });
    try {
      const answer = await call(broken.baseUrl, '/health/live');
      expect(answer.status).toBe(200);
      expect(LivenessWire.parse(answer.body)).toEqual({ status: 'alive', service: 'paygate-api', version: '0.1.0' });
    } finally {
      await broken.close();
    }
  });
});

describe('errors', () => {
  test('when the database is unreachable mid-request, then 500 internal_error with a request id, logged, and no internals leak', async () => {
    const broken = await startApi({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/paygate',
      DATABASE_CONNECTION_TIMEOUT_MS: '300',
      LOG_LEVEL: 'error',
    });
    try {
      const answer = await call(broken.baseUrl, '/api/v1/deposits', {
        headers: { 'x-api-key': 'pgk_whatever', 'idempotency-key': 'k' },
        body: { amount: '1.00' },
      });
      expect(answer.status).toBe(500);
      expect(Object.keys(answer.body).sort()).toEqual(['error', 'message', 'request_id']);
      expect(answer.body.error).toBe('internal_error');
      expect(answer.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack|\.ts|SELECT/);
      expect(broken.logLines.join('\n')).toContain(answer.body.request_id);
      expect(broken.logLines.join('\n')).not.toContain('pgk_whatever');
    } finally {
      await broken.close();
    }
  });

  test('when a route does not exist, then 404 in the same shape', async () => {
    const answer = await call(api.baseUrl, '/nope');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      error: 'not_found',
      message: 'No route GET /nope',
      request_id: answer.headers.get('x-request-id'),
    });
  });
});

describe('request ids, headers and CORS', () => {
  test('when the caller sends a sane X-Request-ID, then it is echoed and stored on the transaction; an insane one is replaced', async () => {
    const user = await givenUser();
    const answer = await postDeposit(api, user, '1.00', undefined, { 'x-request-id': 'client-req-42' });
    expect(answer.headers.get('x-request-id')).toBe('client-req-42');
    const detail = await getAs(api, user, `/api/v1/deposits/${answer.body.id}`);
    expect(detail.body.events[0].request_id).toBe('client-req-42');
    const odd = await call(api.baseUrl, '/', { headers: { 'x-request-id': 'bad id with spaces <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('when any response is sent, then helmet headers are on it', async () => {
    const answer = await call(api.baseUrl, '/');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });

  test('when the web app origin asks, then CORS allows it; another origin gets no CORS grant', async () => {
    const allowed = await call(api.baseUrl, '/api/v1/deposits', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5500',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key,idempotency-key,content-type',
      },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5500');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const other = await call(api.baseUrl, '/api/v1/deposits', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GET / (info)', () => {
  test("when GET /, then the seed's message and version, links to everything, and the older top-level links", async () => {
    const answer = await call(api.baseUrl, '/');
    expect(answer.status).toBe(200);
    expect(InfoWire.parse(answer.body)).toEqual({
      message: expect.stringContaining('Paygate API'),
      name: 'Paygate API',
      version: '0.1.0',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/health',
      links: {
        self: '/',
        docs: '/docs',
        openapi: '/openapi.json',
        health: '/health',
        liveness: '/health/live',
        metrics: '/metrics',
        login: '/api/v1/auth/login',
      },
    });
    for (const link of Object.values(answer.body.links as Record<string, string>)) {
      const method = link === '/api/v1/auth/login' ? 'POST' : 'GET';
      expect((await call(api.baseUrl, link, { method })).status, link).not.toBe(404);
    }
  });
});

describe('docs and metrics', () => {
  test('when GET /openapi.json, then the OpenAPI 3.1 document with a server relative to this origin', async () => {
    const openApi = await call(api.baseUrl, '/openapi.json');
    expect(openApi.body.openapi).toBe('3.1.0');
    expect(openApi.body.servers).toEqual([{ url: '/' }]);
    expect(Object.keys(openApi.body.paths)).toContain('/api/v1/deposits');
  });

  test("when GET /docs, then Scalar's reference, loading only this origin, its inline script allowed by hash and nothing else", async () => {
    for (const path of ['/docs', '/docs/']) {
      const docs = await call(api.baseUrl, path);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toContain('text/html');
      const scripts = [...docs.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.map(([, attributes]) => attributes?.trim())).toEqual([
        'src="/scalar-assets/standalone.js"',
        'type="text/javascript"',
      ]);
      const inline = scripts[1]?.[2] ?? '';
      expect(inline).toContain("Scalar.createApiReference('#app'");
      expect(inline).toContain('"url": "/openapi.json"');
      const csp = docs.headers.get('content-security-policy') ?? '';
      const hash = createHash('sha256').update(inline).digest('base64');
      expect(directive(csp, 'script-src')).toEqual(["'self'", `'sha256-${hash}'`]);
      expect(directive(csp, 'default-src')).toEqual(["'self'"]);
      expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
      expect(directive(csp, 'font-src')).toEqual(["'self'", 'data:']);
      expect(directive(csp, 'style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      // No other origin, anywhere: not in the page, not in the policy.
      expect(docs.text).not.toMatch(/https?:\/\//);
      expect(csp).not.toMatch(/https?:|\*/);
    }
  });

  test('when the Scalar bundle and the icon are asked for, then this server sends them', async () => {
    const bundle = await fetch(`${api.baseUrl}/scalar-assets/standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=86400');
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
    const icon = await fetch(`${api.baseUrl}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
  });

  test('when requests were served, then /metrics has the latency histogram by route template and status', async () => {
    const user = await givenUser();
    await getAs(api, user, `/api/v1/users/${user.id}/balance`);
    const metrics = await fetch(`${api.baseUrl}/metrics`).then((response) => response.text());
    expect(metrics).toContain(
      'paygate_api_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/users/{user_id}/balance",status="200"}',
    );
    expect(metrics).toContain('paygate_api_process_resident_memory_bytes');
  });

  // Goal: error rates per endpoint can be read. Method: a 422, a 401 and a 404 on known routes, and an unknown path.
  test('when answers are errors, then they carry their route template too: 422, 401, and unmatched for unknown paths', async () => {
    const user = await givenUser();
    await postDeposit(api, user, '-1');
    await call(api.baseUrl, '/api/v1/withdrawals', {
      headers: { 'idempotency-key': newKey() },
      body: { amount: '1.00' },
    });
    await getAs(api, user, '/api/v1/deposits/999999999');
    await call(api.baseUrl, '/api/v1/no-such-thing');
    const metrics = await fetch(`${api.baseUrl}/metrics`).then((response) => response.text());
    const countOf = (labels: string) =>
      metrics.match(new RegExp(`paygate_api_http_request_duration_seconds_count\\{${labels}\\} (\\d+)`))?.[1];
    expect(countOf('method="POST",route="/api/v1/deposits",status="422"')).toBeDefined();
    expect(countOf('method="POST",route="/api/v1/withdrawals",status="401"')).toBeDefined();
    expect(countOf('method="GET",route="/api/v1/deposits/\\{id\\}",status="404"')).toBeDefined();
    expect(countOf('method="GET",route="unmatched",status="401"')).toBeDefined();
  });
});

function directive(csp: string, name: string): string[] {
  const found = csp.split(';').find((part) => part.trim().startsWith(`${name} `));
  return found?.trim().split(/\s+/).slice(1) ?? [];
}
