// Goal: the published OpenAPI document covers DESIGN.md's whole HTTP contract, reads like a reference a
// Stripe user would recognise, and never shows an example the API itself would not give. Method: generate
// the document; look up each endpoint; validate every example in it with a JSON Schema 2020-12 validator
// against the schema it illustrates; check that every response has its own examples, that an error example
// sits under the status its code maps to, that every response names its headers, and that the error
// catalogue and the webhook signature rules are all in the introduction.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';

import { ERROR_CODES, HTTP_STATUS_BY_CODE, signPayload } from '@paygate/domain';

import {
  WEBHOOK_FAILED,
  WEBHOOK_FULL,
  WEBHOOK_FULL_CANONICAL,
  WEBHOOK_SECRET_SAMPLE,
  WEBHOOK_SEED_FORM,
} from '../src/openapi-examples';
import { ADMIN_ROUTES } from '../src/admin';
import { buildOpenApiDocument, DESIGN_ENDPOINTS } from '../src/openapi';

const document = buildOpenApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: 'openapi' }, 'openapi');

interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { summary?: string; value: unknown }>;
}
interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
}
interface Operation {
  security?: unknown[];
  responses: Record<string, Response>;
  requestBody?: { content: Record<string, MediaType> };
  parameters?: { name: string; in: string }[];
  'x-codeSamples'?: { lang: string; label: string; source: string }[];
}

const operations: { method: string; path: string; operation: Operation }[] = Object.entries(
  document.paths ?? {},
).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ method, path, operation })),
);
const responses = operations.flatMap(({ method, path, operation }) =>
  Object.entries(operation.responses).map(([status, response]) => ({
    name: `${method.toUpperCase()} ${path} ${status}`,
    method,
    path,
    operation,
    status: Number(status),
    response,
  })),
);

interface Found {
  pointer: string;
  schema: Record<string, unknown>;
}

function findSchemaExamples(node: unknown, pointer: string, found: Found[]): Found[] {
  if (node === null || typeof node !== 'object') return found;
  if (Array.isArray(node)) {
    node.forEach((item, index) => findSchemaExamples(item, `${pointer}/${index}`, found));
    return found;
  }
  const record = node as Record<string, unknown>;
  if ('example' in record && ('type' in record || 'properties' in record || 'anyOf' in record || '$ref' in record)) {
    found.push({ pointer, schema: record });
  }
  for (const [key, value] of Object.entries(record)) findSchemaExamples(value, `${pointer}/${key}`, found);
  return found;
}

function validator(schema: unknown) {
  return ajv.compile(rewriteRefs(schema));
}

describe('OpenAPI document', () => {
  test('when generated, then it is OpenAPI 3.1 with the auth schemes (key, Bearer, the web session cookie), the operator cookie, and tagged operations', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual([
      'ApiKey',
      'Bearer',
      'Session',
      'OperatorSession',
    ]);
    expect(document.components?.securitySchemes?.OperatorSession).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'paygate_operator_session',
    });
    for (const { operation, path } of operations) expect((operation as { tags?: string[] }).tags, path).toHaveLength(1);
  });

  test.each(DESIGN_ENDPOINTS)('when DESIGN.md lists $method $path, then the document has it', ({ method, path }) => {
    expect(document.paths?.[path]?.[method]).toBeDefined();
  });

  test('when schema-level examples are validated against their own schema, then each is valid', () => {
    const examples = findSchemaExamples(document, '#', []);
    expect(examples.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const { pointer, schema } of examples) {
      const { example, ...rest } = schema;
      const validate = validator(rest);
      if (!validate(example)) failures.push(`${pointer}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
    // Control: the same method catches a wrong example, so the check above can fail.
    const transaction = validator({ $ref: '#/components/schemas/Transaction' });
    const example = (document.components?.schemas?.Transaction as { example: Record<string, unknown> }).example;
    expect(transaction(example)).toBe(true);
    expect(transaction({ ...example, amount: 100.5 })).toBe(false);
  });
});

describe('responses: a real example for every status of every operation', () => {
  test.each(responses)(
    'when $name is documented, then it has its own examples, each valid against its schema',
    ({ response, status }) => {
      // A 204 has no body to show.
      if (status === 204) {
        expect(response.content).toBeUndefined();
        return;
      }
      const media = Object.values(response.content ?? {});
      expect(media.length).toBe(1);
      const [content] = media;
      const examples = Object.entries(content?.examples ?? {});
      expect(examples.length).toBeGreaterThan(0);
      const validate = validator(content?.schema);
      for (const [name, example] of examples) {
        expect(example.summary, name).toEqual(expect.any(String));
        expect(validate(example.value), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    },
  );

  // /health's 503 is a health report, not an error.
  test.each(responses.filter(({ status, path }) => status >= 400 && path !== '/health'))(
    'when $name shows an error, then every example names a code of that status and a different situation',
    ({ status, response }) => {
      const examples = Object.values(response.content?.['application/json']?.examples ?? {});
      for (const example of examples) {
        const code = (example.value as { error: keyof typeof HTTP_STATUS_BY_CODE }).error;
        expect(HTTP_STATUS_BY_CODE[code], `${code} under ${status}`).toBe(status);
        expect(response.description).toContain(`\`${code}\``);
      }
      const messages = examples.map((example) => (example.value as { message: string }).message);
      expect(new Set(messages).size).toBe(messages.length);
    },
  );

  test('when the statuses of one operation are compared, then no two share an example (no generic one reused)', () => {
    const repeated: string[] = [];
    for (const { method, path, operation } of operations) {
      const seen = new Map<string, string>();
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const example of Object.values(response.content?.['application/json']?.examples ?? {})) {
          const key = JSON.stringify(example.value);
          const earlier = seen.get(key);
          if (earlier !== undefined && earlier !== status) repeated.push(`${method} ${path}: ${earlier} and ${status}`);
          seen.set(key, status);
        }
      }
    }
    expect(repeated).toEqual([]);
  });

  test.each(operations.filter(({ operation }) => operation.requestBody))(
    'when $method $path takes a body, then its request examples are valid bodies',
    ({ operation }) => {
      const content = operation.requestBody?.content['application/json'];
      const examples = Object.values(content?.examples ?? {});
      expect(examples.length).toBeGreaterThan(0);
      const validate = validator(content?.schema);
      for (const example of examples) expect(validate(example.value), ajv.errorsText(validate.errors)).toBe(true);
    },
  );
});

describe('response headers', () => {
  const headerNames = (response: Response) => Object.keys(response.headers ?? {});
  const api = responses.filter(({ path }) => path.startsWith('/api/v1/'));

  test('when the components are listed, then every header a client reads is described', () => {
    expect(Object.keys(document.components?.headers ?? {}).sort()).toEqual(
      [
        'Idempotent-Replayed',
        'Location',
        'RateLimit',
        'RateLimit-Policy',
        'Retry-After',
        'Set-Cookie',
        'WWW-Authenticate',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
        'X-Request-ID',
      ].sort(),
    );
  });

  test('when any response is documented, then it names X-Request-ID', () => {
    expect(
      responses.filter(({ response }) => !headerNames(response).includes('X-Request-ID')).map(({ name }) => name),
    ).toEqual([]);
  });

  test('when an /api/v1 response is documented, then it names the rate-limit headers; a 429 also Retry-After', () => {
    // Operator routes count per operator once the session is known: a 401 there, and logout, have no window.
    const windowless = ({ path, status }: { path: string; status: number }) =>
      path === '/api/v1/admin/auth/logout' ||
      (path.startsWith('/api/v1/admin/') && path !== '/api/v1/admin/auth/login' && status === 401);
    const missing = api
      .filter((response) => !windowless(response))
      .filter(
        ({ response, status }) =>
          ![
            'X-RateLimit-Limit',
            'X-RateLimit-Remaining',
            'X-RateLimit-Reset',
            'RateLimit',
            'RateLimit-Policy',
            ...(status === 429 ? ['Retry-After'] : []),
          ].every((name) => headerNames(response).includes(name)),
      );
    expect(missing.map(({ name }) => name)).toEqual([]);
    expect(api.filter(({ status }) => status === 429).length).toBeGreaterThanOrEqual(9);
  });

  test('when a create answers, then 202 names Location and Idempotent-Replayed; an authenticated 401 names WWW-Authenticate', () => {
    for (const path of ['/api/v1/deposits', '/api/v1/withdrawals']) {
      const accepted = document.paths?.[path]?.post?.responses?.['202'] as Response;
      expect(headerNames(accepted)).toEqual(expect.arrayContaining(['Location', 'Idempotent-Replayed']));
    }
    const challenged = responses.filter(
      ({ status, operation }) =>
        status === 401 && (operation.security ?? []).some((scheme) => 'ApiKey' in (scheme as object)),
    );
    expect(challenged.length).toBeGreaterThan(5);
    for (const { response, name } of challenged) expect(headerNames(response), name).toContain('WWW-Authenticate');
  });
});

describe('the introduction and samples', () => {
  const guide = document.info.description ?? '';

  test.each([
    '## Authentication',
    '## Errors',
    '## Idempotency',
    '## Pagination',
    '## Rate limits',
    '## Bank webhooks',
  ])('when the introduction is read, then it has a section %s', (heading) => expect(guide).toContain(`\n${heading}\n`));

  test('when the errors section is read, then every code of the domain catalogue is listed with its status, meaning and what to do', () => {
    for (const code of ERROR_CODES) {
      expect(guide, code).toMatch(
        new RegExp(`\n- \\*\\*\`${code}\`\\*\\* · ${HTTP_STATUS_BY_CODE[code]}: .+ \\*What to do:\\* .+`),
      );
    }
  });

  test('when the webhook examples are checked, then each is signed as the introduction says, and the canonical form shown is right', () => {
    for (const webhook of [WEBHOOK_FULL, WEBHOOK_FAILED, WEBHOOK_SEED_FORM]) {
      expect(webhook.signature).toBe(signPayload(webhook, WEBHOOK_SECRET_SAMPLE));
    }
    const { signature: _signature, ...signed } = WEBHOOK_FULL;
    expect(
      JSON.stringify(Object.fromEntries(Object.entries(signed).sort(([left], [right]) => (left < right ? -1 : 1)))),
    ).toBe(WEBHOOK_FULL_CANONICAL);
    expect(guide).toContain(WEBHOOK_FULL_CANONICAL);
    expect(guide).toContain(WEBHOOK_FULL.signature);
    expect((document.components?.schemas?.BankWebhook as { example: unknown }).example).toEqual(WEBHOOK_FULL);
  });

  test('when the JavaScript verification sample of the introduction is run, then it accepts the signed examples and refuses a changed one', async () => {
    const source = /```javascript\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
    const moduleUrl = `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;
    const { verifyWebhook } = (await import(moduleUrl)) as {
      verifyWebhook: (payload: unknown, secret: string, toleranceS?: number) => boolean;
    };
    const forever = Number.MAX_SAFE_INTEGER;
    expect(verifyWebhook(WEBHOOK_FULL, WEBHOOK_SECRET_SAMPLE, forever)).toBe(true);
    expect(verifyWebhook(WEBHOOK_SEED_FORM, WEBHOOK_SECRET_SAMPLE)).toBe(true);
    expect(verifyWebhook({ ...WEBHOOK_FULL, amount: '1000.50' }, WEBHOOK_SECRET_SAMPLE, forever)).toBe(false);
    expect(verifyWebhook(WEBHOOK_FULL, WEBHOOK_SECRET_SAMPLE)).toBe(false); // its timestamp is long past
  });

  test.each(operations)(
    'when $method $path is shown, then it has request samples in curl, JavaScript and Python',
    ({ path, operation }) => {
      if (path === '/docs' || path === '/metrics') return;
      const samples = operation['x-codeSamples'] ?? [];
      expect(samples.map((sample) => sample.label)).toEqual(['curl', 'JavaScript', 'Python']);
      const url = new RegExp(`localhost:8000${path.replace(/\{[a-z_]+\}/g, '[^/]+')}['"?]`);
      for (const sample of samples) expect(sample.source).toMatch(url);
      if (operation.parameters?.some((parameter) => parameter.name === 'Idempotency-Key')) {
        expect(samples.map((sample) => sample.source)).toEqual([
          expect.stringContaining('Idempotency-Key: $(uuidgen'),
          expect.stringContaining("'Idempotency-Key': crypto.randomUUID()"),
          expect.stringContaining('"Idempotency-Key": str(uuid.uuid4())'),
        ]);
      }
    },
  );
});

describe('the operator API', () => {
  const admin = operations.filter(({ path }) => path.startsWith('/api/v1/admin/'));
  const adminResponses = responses.filter(({ path }) => path.startsWith('/api/v1/admin/'));
  const headerNames = (response: Response) => Object.keys(response.headers ?? {});
  const codesOf = (response: Response) =>
    Object.values(response.content?.['application/json']?.examples ?? {}).map(
      (example) => (example.value as { error?: string }).error,
    );

  test.each(Object.entries(ADMIN_ROUTES))(
    'when ADMIN_ROUTES has %s, then the document has it under the Operator console tag',
    (_name, route) => {
      const [method = '', path = ''] = route.split(' ');
      const operation = document.paths?.[path]?.[method.toLowerCase() as 'get' | 'post'] as
        (Operation & { tags?: string[] }) | undefined;
      expect(operation).toBeDefined();
      expect(operation?.tags).toEqual(['Operator console']);
    },
  );

  test('when the operator operations are counted, then they are exactly ADMIN_ROUTES', () => {
    expect(admin.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      Object.values(ADMIN_ROUTES).sort(),
    );
  });

  test('when a session route is documented, then it asks for the operator cookie, never an API key, and answers 401 and 429', () => {
    for (const { path, operation } of admin) {
      if (path === ADMIN_ROUTES.login.split(' ')[1] || path === ADMIN_ROUTES.logout.split(' ')[1]) continue;
      expect(operation.security, path).toEqual([{ OperatorSession: [] }]);
      expect(codesOf(operation.responses['401'] as Response), path).toEqual(['unauthorized', 'unauthorized']);
      expect(operation.responses['429'], path).toBeDefined();
      // The operator 401 is no Bearer challenge: the cookie is the only way in.
      expect(headerNames(operation.responses['401'] as Response), path).not.toContain('WWW-Authenticate');
    }
  });

  test('when a route changes something, then the document shows every refusal: role, origin, reason, and (repairs) a final payment', () => {
    const changes = admin.filter(({ method, path }) => method === 'post' && !path.includes('/auth/'));
    expect(changes).toHaveLength(6);
    for (const { path, operation } of changes) {
      expect(codesOf(operation.responses['403'] as Response), path).toEqual(['forbidden', 'origin_not_allowed']);
      expect(codesOf(operation.responses['422'] as Response), path).toEqual(
        expect.arrayContaining(['validation_error']),
      );
      expect(operation.requestBody?.content['application/json']?.examples, path).toBeDefined();
      const isRepair = path.startsWith('/api/v1/admin/payments/') || path.startsWith('/api/v1/admin/dead-letters/');
      if (isRepair) expect(codesOf(operation.responses['409'] as Response), path).toContain('repair_refused');
    }
  });

  test('when the operator API is read, then every error code it can answer appears in an example', () => {
    const codes = new Set(adminResponses.flatMap(({ response }) => codesOf(response)));
    for (const code of [
      'unauthorized',
      'forbidden',
      'origin_not_allowed',
      'not_found',
      'validation_error',
      'invalid_json',
      'payload_too_large',
      'unsupported_media_type',
      'repair_refused',
      'rate_limit_exceeded',
    ]) {
      expect(codes, code).toContain(code);
    }
  });

  test('when login and logout answer, then Set-Cookie is named; login counts against its window, logout against none', () => {
    const login = document.paths?.['/api/v1/admin/auth/login']?.post?.responses as Record<string, Response>;
    const logout = document.paths?.['/api/v1/admin/auth/logout']?.post?.responses as Record<string, Response>;
    expect(headerNames(login['200'] as Response)).toEqual(expect.arrayContaining(['Set-Cookie', 'X-RateLimit-Limit']));
    expect(headerNames(login['401'] as Response)).toContain('X-RateLimit-Limit');
    expect(headerNames(logout['204'] as Response)).toEqual(['X-Request-ID', 'Set-Cookie']);
    const cookie = (document.components?.headers?.['Set-Cookie'] as { example: string }).example;
    expect(cookie).toMatch(/^paygate_operator_session=[^;]+; Path=\/api\/v1\/admin; .*HttpOnly; SameSite=Strict$/);
  });

  test('when the samples of a session route are read, then each sends the operator cookie, never an API key', () => {
    for (const { path, operation } of admin) {
      if (path.endsWith('/auth/login')) continue;
      for (const sample of operation['x-codeSamples'] ?? []) {
        expect(sample.source, `${path} ${sample.label}`).toContain('paygate_operator_session');
        expect(sample.source, `${path} ${sample.label}`).toContain('PAYGATE_OPERATOR_SESSION');
        expect(sample.source).not.toContain('PAYGATE_API_KEY');
      }
    }
  });

  test('when the introduction is read, then it has an Operators section: creating one, roles, login, sessions, audit', () => {
    const guide = document.info.description ?? '';
    expect(guide).toContain('\n## Operators\n');
    const section = guide.slice(guide.indexOf('\n## Operators\n'));
    expect(section).toContain('pnpm paygate operator create --email ops@example.com --role operator');
    for (const words of ['`viewer`', '`operator`', 'paygate_operator_session', 'Path=/api/v1/admin', '**Audit.**']) {
      expect(section).toContain(words);
    }
  });
});

function rewriteRefs(node: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(node).replaceAll('"$ref":"#/', '"$ref":"openapi#/')) as Record<string, unknown>;
}
