import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { ErrorBody, IdempotencyKey, RateLimitErrorBody } from './common';
import { HealthWire, InfoWire, LivenessWire } from './system';
import {
  CreateTransactionBody,
  TransactionDetailWire,
  TransactionIdParams,
  TransactionListQuery,
  TransactionPage,
  TransactionWire,
  UserIdParams,
  UserTransactionListQuery,
} from './transactions';
import { BalanceWire, LoginAnswerWire, LoginBody } from './users';
import { BankWebhookPayload, WebhookAck } from './webhook';

/** The OpenAPI 3.1 document of the public HTTP API, generated from the same schemas the API validates with. */

export interface EndpointSpec {
  method: 'get' | 'post';
  path: string;
}

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const rateLimited = {
  ...json(RateLimitErrorBody, 'Too many requests; retry after `Retry-After` seconds.'),
  headers: { 'Retry-After': { schema: { type: 'integer' as const }, description: 'Seconds to wait.' } },
};
const idempotencyHeaders = z.object({ 'Idempotency-Key': IdempotencyKey });
const secured: Record<string, string[]>[] = [{ ApiKey: [] }, { Bearer: [] }];

function register(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'ApiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  registry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });

  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: "Log in with email and API key (or the seed's username and password)",
    description:
      'Rate limited per client address (every attempt) and per email (failed attempts only: a correct email and key always log in, so nobody can lock another user out).',
    tags: ['auth'],
    request: { body: { content: { 'application/json': { schema: LoginBody } } } },
    responses: {
      200: json(
        LoginAnswerWire,
        'The user the key belongs to, with what the seed answered: user_id, api_key (the key sent), message.',
      ),
      401: error('Unknown email or key.'),
      422: error('Invalid body.'),
      429: rateLimited,
    },
  });

  for (const kind of ['deposits', 'withdrawals'] as const) {
    const noun = kind === 'deposits' ? 'deposit' : 'withdrawal';
    registry.registerPath({
      method: 'post',
      path: `/api/v1/${kind}`,
      summary: `Create a ${noun}`,
      description: `Accepted at once (202, status pending) and settled asynchronously with the bank.${kind === 'withdrawals' ? ' The amount is held from the available balance until the bank answers.' : ''} Replays of the same Idempotency-Key and body return the first answer with \`Idempotent-Replayed: true\`.`,
      tags: [kind],
      security: secured,
      request: {
        headers: idempotencyHeaders,
        body: { content: { 'application/json': { schema: CreateTransactionBody } } },
      },
      responses: {
        202: json(TransactionWire, `The ${noun}, pending.`),
        400: error(
          `Missing or repeated Idempotency-Key, malformed JSON (invalid_json: syntax, duplicate keys, text that is not well-formed Unicode), or JSON nested too deep${kind === 'withdrawals' ? ', or insufficient_balance' : ''}.`,
        ),
        401: error('Missing or invalid API key.'),
        409: error('The first request with this key is still running.'),
        413: error('Body over REQUEST_BODY_BYTES_MAX (64 KiB by default).'),
        415: error('Body is not JSON, or is sent with a Content-Encoding other than identity.'),
        422: error('Invalid amount or currency, or the key was used with another body.'),
        429: rateLimited,
      },
    });
    registry.registerPath({
      method: 'get',
      path: `/api/v1/${kind}/{id}`,
      summary: `Get a ${noun} with its audit trail`,
      tags: [kind],
      security: secured,
      request: { params: TransactionIdParams },
      responses: {
        200: json(TransactionDetailWire, `The ${noun} and its events in order.`),
        401: error('Unauthorized.'),
        404: error('No such transaction of yours.'),
        429: rateLimited,
      },
    });
    registry.registerPath({
      method: 'get',
      path: `/api/v1/${kind}`,
      summary: `List your ${kind}, newest first`,
      tags: [kind],
      security: secured,
      request: { query: TransactionListQuery },
      responses: {
        200: json(TransactionPage, 'A page.'),
        401: error('Unauthorized.'),
        422: error('Invalid query.'),
        429: rateLimited,
      },
    });
  }

  registry.registerPath({
    method: 'get',
    path: '/api/v1/users/{user_id}/balance',
    summary: 'Balance and available balance',
    tags: ['users'],
    security: secured,
    request: { params: UserIdParams },
    responses: {
      200: json(BalanceWire, 'The balance.'),
      401: error('Unauthorized.'),
      403: error('Not your user.'),
      429: rateLimited,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/users/{user_id}/transactions',
    summary: 'Transaction history, newest first',
    tags: ['users'],
    security: secured,
    request: { params: UserIdParams, query: UserTransactionListQuery },
    responses: {
      200: json(TransactionPage, 'A page.'),
      401: error('Unauthorized.'),
      403: error('Not your user.'),
      422: error('Invalid query.'),
      429: rateLimited,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/bank-callback',
    summary: 'Bank settlement callback (signed)',
    tags: ['webhooks'],
    request: { body: { content: { 'application/json': { schema: BankWebhookPayload } } } },
    responses: {
      200: json(WebhookAck, 'Recorded; duplicates and replays are acknowledged and change nothing.'),
      401: error('Bad signature or stale timestamp.'),
      404: error('Unknown transaction.'),
      422: error('Invalid body.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Readiness: health of PostgreSQL, Redis and RabbitMQ',
    description:
      'Each dependency is checked (with a timeout) on every call. Use it for readiness; use /health/live for liveness.',
    tags: ['system'],
    responses: {
      200: json(
        HealthWire,
        '`healthy`, or `degraded` when a dependency the API can serve without is down (RabbitMQ; Redis when rate limits fail open).',
      ),
      503: json(
        HealthWire,
        '`unhealthy`: the API cannot serve (PostgreSQL down, or Redis down while rate limits fail closed).',
      ),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/health/live',
    summary: 'Liveness: the process answers',
    description: 'Checks no dependency, so a database outage never gets the API restarted.',
    tags: ['system'],
    responses: { 200: json(LivenessWire, 'The process is running.') },
  });
  registry.registerPath({
    method: 'get',
    path: '/',
    summary: 'API info',
    tags: ['system'],
    responses: { 200: json(InfoWire, 'Info.') },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tags: ['system'],
    responses: { 200: { description: 'OpenAPI 3.1 JSON.' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/docs',
    summary: 'Interactive documentation',
    tags: ['system'],
    responses: { 200: { description: 'HTML.' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tags: ['system'],
    responses: { 200: { description: 'Prometheus text format.' } },
  });
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function buildOpenApiDocument(options: { version?: string; serverUrl?: string } = {}): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  register(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Paygate API',
      version: options.version ?? '0.1.0',
      description:
        'Deposits and withdrawals settled asynchronously with a bank. Amounts are decimal strings with 2 decimals. Every error has the shape {error, message, details?, request_id}.',
    },
    servers: [{ url: options.serverUrl ?? 'http://127.0.0.1:8000' }],
  });
}

/** The endpoints of DESIGN.md's HTTP contract; a test checks each is documented. */
export const DESIGN_ENDPOINTS: EndpointSpec[] = [
  { method: 'post', path: '/api/v1/auth/login' },
  { method: 'post', path: '/api/v1/deposits' },
  { method: 'get', path: '/api/v1/deposits/{id}' },
  { method: 'get', path: '/api/v1/deposits' },
  { method: 'post', path: '/api/v1/withdrawals' },
  { method: 'get', path: '/api/v1/withdrawals/{id}' },
  { method: 'get', path: '/api/v1/withdrawals' },
  { method: 'get', path: '/api/v1/users/{user_id}/balance' },
  { method: 'get', path: '/api/v1/users/{user_id}/transactions' },
  { method: 'post', path: '/webhooks/bank-callback' },
  { method: 'get', path: '/health' },
  { method: 'get', path: '/' },
  { method: 'get', path: '/docs' },
  { method: 'get', path: '/openapi.json' },
  { method: 'get', path: '/metrics' },
];
