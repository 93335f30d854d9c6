// Goal: the API reference's operator examples are the API's own answers, so a reader who copies a request
// gets the status, code and sentence the reference shows, and a change of wording in the code fails here
// until the reference follows. Method: the API in-process; for each documented refusal of the operator API,
// send the request that causes it and compare the answer (status, `error`, `message`, `details`) with the
// example of that name in the generated OpenAPI document. The repairs' refusals need a final payment and a
// dead letter: a withdrawal failed by an operator, and a dead letter recorded for it as the worker does;
// their ids are the test's own, so "Payment 4182" in the reference reads "Payment <id>" here.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { buildOpenApiDocument } from '@paygate/contracts/openapi';
import { OperatorsRepository } from '@paygate/db';
import type { OperatorRole } from '@paygate/domain';

import { hashOperatorPassword } from '../src/services/operator-passwords';
import type { TestApi } from './setup/api';
import { call, givenUser, postWithdrawal, startApi } from './setup/api';

const CONSOLE_ORIGIN = 'http://localhost:5600';
const ADMIN = '/api/v1/admin';

interface DocumentedExample {
  status: number;
  value: { error: string; message: string; details?: unknown };
}

/** Every error example of the operator operations, by its name (the same name may serve several routes). */
function adminErrorExamples(): Map<string, DocumentedExample> {
  const found = new Map<string, DocumentedExample>();
  const document = buildOpenApiDocument();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith(`${ADMIN}/`)) continue;
    for (const operation of Object.values(item as Record<string, { responses: Record<string, unknown> }>)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const examples = (response as { content?: Record<string, { examples?: Record<string, { value: unknown }> }> })
          .content?.['application/json']?.examples;
        for (const [name, example] of Object.entries(examples ?? {})) {
          if (Number(status) >= 400) found.set(name, { status: Number(status), value: example.value as never });
        }
      }
    }
  }
  return found;
}

let api: TestApi;
let operatorCookie: string;
let viewerCookie: string;
/** A withdrawal an operator failed, and a dead letter of it: what the repairs' refusals are about. */
let failedId: number;
let deadLetterId: number;
const examples = adminErrorExamples();

beforeAll(async () => {
  api = await startApi();
  operatorCookie = await sessionOf('operator');
  viewerCookie = await sessionOf('viewer');
  const user = await givenUser('100.00');
  const created = await postWithdrawal(api, user, '25.00');
  expect(created.status).toBe(202);
  failedId = (created.body as { id: number }).id;
  const failed = await call(api.baseUrl, `${ADMIN}/payments/${failedId}/fail`, {
    body: { reason: 'Setting up the reference test' },
    headers: { cookie: operatorCookie, origin: CONSOLE_ORIGIN },
  });
  expect(failed.body).toMatchObject({ outcome: 'failed' });
  const { rows } = await api.pool.query<{ id: string }>(
    `INSERT INTO dead_letters (transaction_id, reason, payload) VALUES ($1, 'handler_error', '{}') RETURNING id`,
    [failedId],
  );
  deadLetterId = Number(rows[0]?.id);
});
afterAll(() => api.close());

async function sessionOf(role: OperatorRole): Promise<string> {
  const email = `ops-${randomUUID().slice(0, 8)}@test.paygate`;
  const password = `pw-${randomUUID()}`;
  await new OperatorsRepository(api.pool).create({ email, role, passwordHash: await hashOperatorPassword(password) });
  const login = await call(api.baseUrl, `${ADMIN}/auth/login`, { body: { email, password } });
  expect(login.status).toBe(200);
  const token = /paygate_operator_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  if (token === undefined) throw new Error('no session cookie');
  return `paygate_operator_session=${token}`;
}

interface Case {
  example: string;
  /** A path, or one made from the ids the setup created. */
  path: string | (() => string);
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Whose session: the operator's by default. */
  as?: 'operator' | 'viewer' | 'none' | 'ended';
  origin?: string;
}

const REASON = { reason: 'Checking the reference' };

const CASES: Case[] = [
  { example: 'noSession', path: `${ADMIN}/overview`, as: 'none' },
  { example: 'sessionEnded', path: `${ADMIN}/overview`, as: 'ended' },
  {
    example: 'loginRefused',
    path: `${ADMIN}/auth/login`,
    method: 'POST',
    body: { email: 'nobody-here@test.paygate', password: 'not the password' },
    as: 'none',
  },
  { example: 'loginEmailInvalid', path: `${ADMIN}/auth/login`, method: 'POST', body: { email: 'x', password: 'y' } },
  {
    example: 'loginUnknownField',
    path: `${ADMIN}/auth/login`,
    method: 'POST',
    body: { email: 'a@b.co', password: 'y', role: 'operator' },
    as: 'none',
  },
  { example: 'viewerChanging', path: `${ADMIN}/users/1/keys`, method: 'POST', body: REASON, as: 'viewer' },
  {
    example: 'otherOrigin',
    path: `${ADMIN}/users/1/keys`,
    method: 'POST',
    body: REASON,
    origin: 'https://elsewhere.example',
  },
  { example: 'paymentNotFound', path: `${ADMIN}/payments/999999` },
  { example: 'userNotFound', path: `${ADMIN}/users/999999` },
  { example: 'reasonMissing', path: `${ADMIN}/users/1/keys`, method: 'POST', body: {} },
  { example: 'reasonShort', path: `${ADMIN}/users/1/keys`, method: 'POST', body: { reason: 'x' } },
  { example: 'prefixInvalid', path: `${ADMIN}/users/1/keys/abc/revoke`, method: 'POST', body: REASON },
  { example: 'statusInvalid', path: `${ADMIN}/payments?status=stuck` },
  { example: 'amountInvalid', path: `${ADMIN}/payments?amount_min=10.555` },
  { example: 'amountRange', path: `${ADMIN}/payments?amount_min=10&amount_max=5` },
  { example: 'dateRange', path: `${ADMIN}/payments?created_from=2026-11-30&created_to=2026-11-01` },
  { example: 'dateInvalid', path: `${ADMIN}/payments?created_from=yesterday` },
  { example: 'limitTooBig', path: `${ADMIN}/payments?limit=500` },
  { example: 'cursorForeign', path: `${ADMIN}/payments?cursor=not-ours` },
  { example: 'unknownParameter', path: `${ADMIN}/payments?page=2` },
  { example: 'idNotInteger', path: `${ADMIN}/payments/abc` },
  { example: 'stateInvalid', path: `${ADMIN}/dead-letters?state=old` },
  { example: 'adminUserIdInvalid', path: `${ADMIN}/users/abc` },
  { example: 'auditPaymentIdInvalid', path: `${ADMIN}/audit?payment_id=abc` },
  // Repairs. The order matters where a case changes something: the replay marks the letter handled.
  { example: 'paymentNotFound', path: `${ADMIN}/payments/999999/reconcile`, method: 'POST', body: REASON },
  { example: 'reconcileFinal', path: () => `${ADMIN}/payments/${failedId}/reconcile`, method: 'POST', body: REASON },
  { example: 'retryFinal', path: () => `${ADMIN}/payments/${failedId}/retry`, method: 'POST', body: REASON },
  { example: 'failFinal', path: () => `${ADMIN}/payments/${failedId}/fail`, method: 'POST', body: REASON },
  { example: 'deadLetterNotFound', path: `${ADMIN}/dead-letters/999999/replay`, method: 'POST', body: REASON },
  { example: 'replayFinal', path: () => `${ADMIN}/dead-letters/${deadLetterId}/replay`, method: 'POST', body: REASON },
  { example: 'replayTwice', path: () => `${ADMIN}/dead-letters/${deadLetterId}/replay`, method: 'POST', body: REASON },
];

/** The reference's ids (payment 4182, dead letter 9) and audit ids are its own; the words around them are the API's. */
function withoutIds(body: { message?: string; details?: unknown }): unknown {
  const message = body.message?.replace(/\b(Payment|Dead letter) \d+/g, '$1 #');
  const details =
    typeof body.details === 'object' && body.details !== null && 'audit_id' in body.details
      ? { ...body.details, audit_id: expect.any(Number) }
      : body.details;
  return { ...body, message, details };
}

describe('the operator API reference', () => {
  test.each(CASES)(
    'when the request behind "$example" is sent, then the API answers as the reference shows',
    async (testCase) => {
      const documented = examples.get(testCase.example);
      expect(documented, testCase.example).toBeDefined();
      const cookie = {
        operator: operatorCookie,
        viewer: viewerCookie,
        none: undefined,
        ended: 'paygate_operator_session=ended-or-never-issued',
      }[testCase.as ?? 'operator'];
      const path = typeof testCase.path === 'string' ? testCase.path : testCase.path();
      const answer = await call(api.baseUrl, path, {
        method: testCase.method ?? 'GET',
        body: testCase.body,
        headers: { origin: testCase.origin ?? CONSOLE_ORIGIN, ...(cookie === undefined ? {} : { cookie }) },
      });
      const { request_id: _requestId, ...expected } = documented?.value as DocumentedExample['value'] & {
        request_id: string;
      };
      const { request_id: requestId, ...actual } = answer.body as { request_id: string };
      expect({ status: answer.status, ...(withoutIds(actual) as object) }).toEqual({
        status: documented?.status,
        ...(withoutIds(expected) as object),
      });
      expect(requestId).toEqual(expect.any(String));
    },
  );
});
