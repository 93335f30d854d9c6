// Goal: schema.prisma (the client's source of truth) and the migrated database describe the same tables.
// Method: every column of every table must be a field of the matching model (by @map), every scalar field
// a column; and every model is written and read back through the generated Prisma client.
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, inject, test } from 'vitest';

import { createPrismaClient } from '../src/prisma';
import { testPool } from './setup/fixtures';

const pool = testPool(2);
const prisma = createPrismaClient(inject('run').databaseUrl, 2);
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

interface ModelColumns {
  table: string;
  columns: Set<string>;
}

async function parseSchema(): Promise<Map<string, ModelColumns>> {
  const schema = await readFile(new URL('../prisma/schema.prisma', import.meta.url), 'utf8');
  const models = new Map<string, ModelColumns>();
  for (const match of schema.matchAll(/model (\w+) \{([\s\S]*?)\n\}/g)) {
    const [, name = '', body = ''] = match;
    const table = /@@map\("(\w+)"\)/.exec(body)?.[1] ?? name;
    const columns = new Set<string>();
    for (const line of body.split('\n')) {
      const field = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field || line.trim().startsWith('@@')) continue;
      const [, fieldName = '', type = '', list, , attributes = ''] = field;
      if (
        list ||
        attributes.includes('@relation') ||
        (/^[A-Z]/.test(type) && !['String', 'Int', 'BigInt', 'DateTime', 'Json', 'Boolean', 'Decimal'].includes(type))
      )
        continue;
      columns.add(/@map\("(\w+)"\)/.exec(attributes)?.[1] ?? fieldName);
    }
    models.set(name, { table, columns });
  }
  return models;
}

describe('schema.prisma and the migrated database', () => {
  test('when both are read, then they have the same tables and columns', async () => {
    const models = await parseSchema();
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    const database = new Map<string, Set<string>>();
    for (const row of rows)
      database.set(row.table_name, (database.get(row.table_name) ?? new Set()).add(row.column_name));
    expect([...database.keys()].sort()).toEqual([...models.values()].map((model) => model.table).sort());
    for (const model of models.values()) {
      expect([...(database.get(model.table) ?? [])].sort(), model.table).toEqual([...model.columns].sort());
    }
  });

  test('when every model is written and read back through the generated client, then the values survive', async () => {
    const user = await prisma.user.create({ data: { email: `schema-${Date.now()}@test.paygate` } });
    const account = await prisma.account.create({
      data: { userId: user.id, kind: 'wallet', currency: 'EUR', balance: 500n },
    });
    const key = await prisma.apiKey.create({
      data: { userId: user.id, keyHash: 'a'.repeat(64), keyPrefix: 'pgk_aaaaaa' },
    });
    const transaction = await prisma.transaction.create({
      data: {
        userId: user.id,
        accountId: account.id,
        type: 'deposit',
        amount: 500n,
        currency: 'EUR',
        idempotencyKey: 'k1',
        requestId: 'r1',
      },
    });
    const event = await prisma.transactionEvent.create({
      // The trigger transaction_events_fill overwrites user_id and snapshot from the transaction row.
      data: { transactionId: transaction.id, toStatus: 'pending', cause: 'test', userId: user.id, snapshot: {} },
    });
    expect(event.snapshot).toMatchObject({ id: Number(transaction.id), status: 'pending', amount: 500 });
    // Balances match the posting below, so the shared test database's ledger stays sound for other suites.
    const clearing = await prisma.account.create({
      data: { kind: 'clearing', currency: 'EUR', shard: 0, balance: -500n },
    });
    const posting = await prisma.ledgerPosting.create({
      data: {
        kind: 'opening_balance',
        debitAccountId: clearing.id,
        creditAccountId: account.id,
        amount: 500n,
        currency: 'EUR',
      },
    });
    const idempotency = await prisma.idempotencyKey.create({
      data: {
        userId: user.id,
        key: 'k1',
        method: 'POST',
        path: '/api/v1/deposits',
        fingerprint: 'f',
        status: 'completed',
        outcome: 'created',
        snapshot: { ok: true },
        transactionId: transaction.id,
      },
    });
    const outbox = await prisma.outbox.create({
      data: { topic: 'transactions.process', transactionId: transaction.id },
    });
    await prisma.transaction.update({
      where: { id: transaction.id },
      data: { status: 'processing', bankOrderKey: '6f1d2c3b-4a5e-4f60-9a7b-8c9d0e1f2a3b', submittedAt: new Date() },
    });
    const webhook = await prisma.webhookEvent.create({
      data: {
        dedupeKey: `d-${transaction.id}`,
        transactionId: transaction.id,
        bankReference: 'BNK-1',
        status: 'success',
        signedAt: new Date(),
        payload: { a: 1 },
        outcome: 'applied',
      },
    });

    const rejected = await prisma.rejectedWebhook.create({
      data: {
        dedupeKey: `r-${transaction.id}`,
        transactionId: transaction.id,
        reason: 'amount_mismatch',
        payload: { a: 1 },
        sourceAddress: '127.0.0.1',
      },
    });

    const operator = await prisma.operator.create({
      data: {
        email: `ops-${Date.now()}@test.paygate`,
        role: 'operator',
        passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      },
    });
    const session = await prisma.operatorSession.create({
      data: { operatorId: operator.id, tokenHash: 'b'.repeat(64), expiresAt: new Date(Date.now() + 60_000) },
    });
    const deadLetter = await prisma.deadLetter.create({
      data: {
        transactionId: transaction.id,
        reason: 'bank_rejected: test',
        payload: { transaction_id: 1 },
        messageId: 'outbox-1',
      },
    });
    const audit = await prisma.operatorAudit.create({
      data: {
        operatorId: operator.id,
        action: 'replay_dead_letter',
        paymentId: transaction.id,
        userId: user.id,
        deadLetterId: deadLetter.id,
        reason: 'test',
        outcome: 'requeued',
      },
    });
    const attempt = await prisma.bankAttempt.create({
      data: {
        transactionId: transaction.id,
        operation: 'submit',
        attemptIndex: 0,
        startedAt: new Date(),
        latencyMs: 12,
        outcome: 'ok',
        httpStatus: 202,
      },
    });
    const heartbeat = await prisma.workerHeartbeat.create({
      data: {
        workerId: `w-${Date.now()}`,
        version: '0.1.0',
        hostname: 'h',
        startedAt: new Date(),
        lastSeenAt: new Date(),
        inFlight: 0,
        breakerState: 'closed',
      },
    });
    const check = await prisma.ledgerCheck.create({
      data: { isBalanced: true, violationCount: 0, summary: { ok: true } },
    });

    const endpoint = await prisma.webhookEndpoint.create({
      data: {
        userId: user.id,
        url: 'https://hooks.example.com/paygate',
        events: ['transaction.updated'],
        description: 'test',
        secretCiphertext: 'v1.aXY.Y2lwaGVy',
      },
    });
    const delivery = await prisma.webhookDelivery.create({
      data: {
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: 'transaction.updated',
        payload: event.snapshot ?? {},
        eventCreatedAt: new Date(),
      },
    });
    const deliveryAttempt = await prisma.webhookDeliveryAttempt.create({
      data: { deliveryId: delivery.id, attemptCount: 1, startedAt: new Date(), durationMs: 3, outcome: 'failed' },
    });
    expect(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toEqual(endpoint);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toEqual(delivery);
    expect(await prisma.webhookDeliveryAttempt.findUniqueOrThrow({ where: { id: deliveryAttempt.id } })).toEqual(
      deliveryAttempt,
    );

    expect(await prisma.operator.findUniqueOrThrow({ where: { id: operator.id } })).toEqual(operator);
    expect(await prisma.operatorSession.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
    expect(await prisma.deadLetter.findUniqueOrThrow({ where: { id: deadLetter.id } })).toEqual(deadLetter);
    expect(await prisma.operatorAudit.findUniqueOrThrow({ where: { id: audit.id } })).toEqual(audit);
    expect(await prisma.bankAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toEqual(attempt);
    expect(await prisma.workerHeartbeat.findUniqueOrThrow({ where: { workerId: heartbeat.workerId } })).toEqual(
      heartbeat,
    );
    expect(await prisma.ledgerCheck.findUniqueOrThrow({ where: { id: check.id } })).toEqual(check);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(user);
    expect(await prisma.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({
      balance: 500n,
      held: 0n,
      currency: 'EUR',
    });
    expect(await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toEqual(key);
    expect(await prisma.transaction.findUniqueOrThrow({ where: { id: transaction.id } })).toMatchObject({
      amount: 500n,
      status: 'processing',
      bankOrderKey: '6f1d2c3b-4a5e-4f60-9a7b-8c9d0e1f2a3b',
    });
    expect(await prisma.transactionEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
    expect(await prisma.ledgerPosting.findUniqueOrThrow({ where: { id: posting.id } })).toEqual(posting);
    expect(await prisma.idempotencyKey.findUniqueOrThrow({ where: { id: idempotency.id } })).toMatchObject({
      snapshot: { ok: true },
    });
    expect(await prisma.outbox.findUniqueOrThrow({ where: { id: outbox.id } })).toMatchObject({
      transactionId: transaction.id,
      publishedAt: null,
    });
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: webhook.id } })).toEqual(webhook);
    expect(await prisma.rejectedWebhook.findUniqueOrThrow({ where: { id: rejected.id } })).toEqual(rejected);
  });
});
