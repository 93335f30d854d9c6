// Goal: GET /api/v1/events streams the caller's own transaction and balance changes as they commit, from
// any process (the changes here are made by the API and by another connection, as the worker would), resumes
// with Last-Event-ID with exactly the missed events, keeps idle streams alive, and is bounded per user.
// Method: the API in-process on this run's PostgreSQL; a streaming fetch reads and parses the SSE text;
// transitions go through the same repository the worker uses and the signed bank webhook; waits are for
// events, never for durations.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { OperatorsRepository, RepairsRepository, SettlementRepository } from '@paygate/db';
import { waitFor } from '@paygate/testkit';

import { hashOperatorPassword } from '../src/services/operator-passwords';
import type { TestApi, TestUser } from './setup/api';
import { call, givenUser, postDeposit, startApi, WEBHOOK_SECRET } from './setup/api';

let api: TestApi;
/** A second api process on the same database: its changes must reach streams on the first. */
let other: TestApi;
beforeAll(async () => {
  // Heartbeats (and their sweep of the table) far apart: what arrives here was woken by the NOTIFY.
  [api, other] = await Promise.all([
    startApi({ EVENTS_STREAMS_PER_USER_MAX: '2', EVENTS_HEARTBEAT_S: '300' }),
    startApi({ EVENTS_STREAMS_PER_USER_MAX: '2', EVENTS_HEARTBEAT_S: '1' }),
  ]);
});
afterAll(() => Promise.all([api.close(), other.close()]));

interface SseEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

interface OpenStream {
  status: number;
  events: SseEvent[];
  comments: string[];
  body: string;
  close(): void;
}

/** Opens a stream and parses it as it arrives. */
async function openStream(headers: Record<string, string>, query = '', on: TestApi = api): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${on.baseUrl}/api/v1/events${query}`, { headers, signal: controller.signal });
  const stream: OpenStream = {
    status: response.status,
    events: [],
    comments: [],
    body: '',
    close: () => controller.abort(),
  };
  if (response.status !== 200 || !response.body) {
    stream.body = await response.text();
    return stream;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value ?? '';
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        parseBlock(buffer.slice(0, end), stream);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  return stream;
}

function parseBlock(block: string, stream: OpenStream): void {
  let id: string | undefined;
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) stream.comments.push(line);
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (data !== '') stream.events.push({ id, event, data: JSON.parse(data) });
}

const keyed = (user: TestUser) => ({ 'x-api-key': user.apiKey });

function transactionEvents(stream: OpenStream, transactionId?: number) {
  return stream.events.filter(
    (event) =>
      event.event === 'transaction.updated' &&
      (transactionId === undefined || (event.data as { id: number }).id === transactionId),
  );
}

async function startProcessing(transactionId: number): Promise<string> {
  const started = await new SettlementRepository(api.pool).startProcessing({
    transactionId,
    cause: 'test.worker',
    requestId: null,
  });
  return started?.submission.orderKey ?? '';
}

async function settleByBank(transactionId: number, orderKey: string, amount: string) {
  const payload = {
    transaction_id: transactionId,
    bank_reference: `BNK-E${transactionId}`,
    status: 'success',
    order_key: orderKey,
    amount,
    currency: 'USD',
    timestamp: Math.floor(Date.now() / 1000),
  };
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1))));
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(canonical).digest('hex');
  const answer = await call(api.baseUrl, '/webhooks/bank-callback', { body: { ...payload, signature } });
  expect(answer.status).toBe(200);
}

describe('GET /api/v1/events', () => {
  test('when a deposit goes pending -> processing -> success, then the stream gets each change with its id, then the risen balance', async () => {
    const user = await givenUser('10.00');
    const stream = await openStream(keyed(user));
    expect(stream.status).toBe(200);
    // Every stream starts with the balance as it is.
    await waitFor(() => stream.events.find((event) => event.event === 'balance.updated'), 'the opening balance');
    expect(stream.events[0]).toEqual({
      id: undefined,
      event: 'balance.updated',
      data: { user_id: user.id, balance: '10.00', available_balance: '10.00', currency: 'USD' },
    });

    const created = await postDeposit(api, user, '5.00');
    const id = created.body.id as number;
    await waitFor(() => transactionEvents(stream, id)[0], 'the pending event');
    const orderKey = await startProcessing(id);
    await waitFor(() => transactionEvents(stream, id)[1], 'the processing event');
    await settleByBank(id, orderKey, '5.00');
    await waitFor(
      () =>
        stream.events.find(
          (event) => event.event === 'balance.updated' && (event.data as { balance: string }).balance === '15.00',
        ),
      'the risen balance',
    );
    stream.close();

    const changes = transactionEvents(stream, id);
    expect(changes.map((event) => (event.data as { status: string }).status)).toEqual([
      'pending',
      'processing',
      'success',
    ]);
    // The data is the transaction exactly as GET /deposits/{id} answers it (without its audit events).
    const detail = await call(api.baseUrl, `/api/v1/deposits/${id}`, { headers: keyed(user) });
    const { events: _events, ...wire } = detail.body as Record<string, unknown>;
    expect(changes[2]?.data).toEqual(wire);
    const ids = changes.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);
  });

  test('when a stream resumes with Last-Event-ID, then it gets exactly the events it missed, in order, and nothing twice', async () => {
    const user = await givenUser('10.00');
    const first = await openStream(keyed(user));
    const a = (await postDeposit(api, user, '1.00')).body.id as number;
    const seen = await waitFor(() => transactionEvents(first, a)[0], 'the first event');
    first.close();

    // While nobody listens: three changes.
    const b = (await postDeposit(api, user, '2.00')).body.id as number;
    await startProcessing(a);
    await startProcessing(b);

    const resumed = await openStream({ ...keyed(user), 'last-event-id': String(seen.id) });
    await waitFor(() => (transactionEvents(resumed).length >= 3 ? true : undefined), 'the missed events');
    const c = (await postDeposit(api, user, '3.00')).body.id as number;
    await waitFor(() => transactionEvents(resumed, c)[0], 'a new event after the replay');
    resumed.close();

    expect(
      transactionEvents(resumed).map((event) => [
        (event.data as { id: number }).id,
        (event.data as { status: string }).status,
      ]),
    ).toEqual([
      [b, 'pending'],
      [a, 'processing'],
      [b, 'processing'],
      [c, 'pending'],
    ]);
    // The same by the query parameter, for a first connection that resumes.
    const byQuery = await openStream(keyed(user), `?last_event_id=${seen.id}`);
    await waitFor(() => (transactionEvents(byQuery).length >= 4 ? true : undefined), 'the replay by query');
    byQuery.close();
    expect(transactionEvents(byQuery).map((event) => event.id)).toEqual(
      transactionEvents(resumed).map((event) => event.id),
    );
  });

  test("when another user's transactions change, then they never reach this stream", async () => {
    const [alice, bob] = await Promise.all([givenUser('1.00'), givenUser('1.00')]);
    const aliceStream = await openStream(keyed(alice));
    const bobStream = await openStream(keyed(bob));
    const bobs = (await postDeposit(api, bob, '4.00')).body.id as number;
    await waitFor(() => transactionEvents(bobStream, bobs)[0], "bob's event");
    const alices = (await postDeposit(api, alice, '1.00')).body.id as number;
    await waitFor(() => transactionEvents(aliceStream, alices)[0], "alice's event");
    aliceStream.close();
    bobStream.close();
    expect(aliceStream.events.every((event) => (event.data as { user_id: number }).user_id === alice.id)).toBe(true);
    expect(transactionEvents(aliceStream, bobs)).toEqual([]);
  });

  test('when an operator fails a pending payment, then the stream gets the failed transaction without waiting for a heartbeat', async () => {
    const user = await givenUser('1.00');
    const stream = await openStream(keyed(user));
    const id = (await postDeposit(api, user, '2.00')).body.id as number;
    await waitFor(() => transactionEvents(stream, id)[0], 'the pending event');
    const operator = await new OperatorsRepository(api.pool).create({
      email: `ops-${id}@test.paygate`,
      role: 'operator',
      passwordHash: await hashOperatorPassword(`pw-${id}-unused-here`),
    });

    const repaired = await new RepairsRepository(api.pool).fail(
      {
        transactionId: id,
        expectedOrderKey: null,
        quietMs: 0,
        errorCode: 'operator_failed',
        errorMessage: 'cancelled by our support team',
        detail: 'test',
      },
      { operatorId: operator.id, reason: 'customer asked', requestId: null },
    );

    expect(repaired.outcome).toBe('failed');
    const failed = await waitFor(
      () => transactionEvents(stream, id).find((event) => (event.data as { status: string }).status === 'failed'),
      'the failed event, woken by the repair',
    );
    stream.close();
    expect(failed.data).toMatchObject({ id, status: 'failed', error_code: 'operator_failed' });
  });

  test('when another api process creates the deposit, then the stream on this one gets it', async () => {
    const user = await givenUser('1.00');
    const stream = await openStream(keyed(user));
    const created = await postDeposit(other, user, '6.00');
    expect(created.status).toBe(202);
    const event = await waitFor(
      () => transactionEvents(stream, created.body.id as number)[0],
      'the event from the other process',
    );
    stream.close();
    expect(event.data).toMatchObject({ id: created.body.id, status: 'pending', amount: '6.00' });
  });

  test('when the stream is idle, then heartbeat comments keep it open', async () => {
    const user = await givenUser();
    const stream = await openStream(keyed(user), '', other);
    await waitFor(() => (stream.comments.length >= 2 ? true : undefined), 'two heartbeats');
    stream.close();
    expect(stream.comments.every((line) => line === ': heartbeat')).toBe(true);
  });

  test('when a user opens more streams than allowed, then 429 with retry_after; closing one frees its place', async () => {
    const user = await givenUser();
    const one = await openStream(keyed(user));
    const two = await openStream(keyed(user));
    const three = await openStream(keyed(user));
    expect([one.status, two.status, three.status]).toEqual([200, 200, 429]);
    expect(JSON.parse(three.body)).toMatchObject({ error: 'rate_limit_exceeded', retry_after: expect.any(Number) });
    // Another user is not affected.
    const other = await openStream(keyed(await givenUser()));
    expect(other.status).toBe(200);
    other.close();
    one.close();
    const again = await waitFor(async () => {
      const attempt = await openStream(keyed(user));
      if (attempt.status === 200) return attempt;
      return undefined;
    }, 'a freed place');
    again.close();
    two.close();
  });

  test('when the credential is missing or Last-Event-ID is not an id, then 401 and 422', async () => {
    const user = await givenUser();
    expect((await openStream({})).status).toBe(401);
    const bad = await openStream({ ...keyed(user), 'last-event-id': 'abc' });
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'validation_error' });
  });

  test('when the web session opened the stream and is logged out, then the stream ends', async () => {
    const user = await givenUser();
    const login = await call(other.baseUrl, '/api/v1/auth/login', {
      body: { email: user.email, api_key: user.apiKey },
    });
    const cookie = /paygate_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const stream = await openStream({ cookie }, '', other);
    expect(stream.status).toBe(200);
    await waitFor(() => stream.events[0], 'the opening balance');
    const logout = await call(other.baseUrl, '/api/v1/auth/logout', { method: 'POST', headers: { cookie } });
    expect(logout.status).toBe(200);
    // The next heartbeat finds the session gone and ends the stream; the user's place is free again.
    const probe = await waitFor(async () => {
      const attempts = [await openStream(keyed(user), '', other), await openStream(keyed(user), '', other)];
      for (const attempt of attempts) attempt.close();
      return attempts.every((attempt) => attempt.status === 200) ? true : undefined;
    }, 'the ended stream to free its place');
    expect(probe).toBe(true);
  });
});
