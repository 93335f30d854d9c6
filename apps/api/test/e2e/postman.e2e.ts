/**
 * The Postman collection at the repository root, run with newman's Node API against the real stack (built
 * api, worker and bank-sim as processes on one isolated run). It keeps the collection honest: every request
 * and every pm.test in it must pass against the system as built, within the API's default rate limits.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import amqp from 'amqplib';
import newman from 'newman';
import type { NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { UserAdmin } from '@paygate/db';
import { createPrismaClient } from '@paygate/db/prisma';
import type { Stack } from '@paygate/testkit';
import { REPO_ROOT, startStack } from '@paygate/testkit';

const COLLECTION = path.join(REPO_ROOT, 'paygate.postman_collection.json');
const ENVIRONMENT = path.join(REPO_ROOT, 'paygate.postman_environment.json');
const OPENING_BALANCE_MINOR = 50_000n; // 500.00

let stack: Stack;
let prisma: ReturnType<typeof createPrismaClient>;
let user: { id: number; email: string; apiKey: string };

beforeAll(async () => {
  const run = inject('run');
  stack = await startStack({
    run,
    env: {
      // Fast, but slow enough that the workflow's poll loop has to ask more than once.
      bank: { BANK_MIN_DELAY_MS: '200', BANK_MAX_DELAY_MS: '400', BANK_SUCCESS_RATE: '1' },
      // Queues of this run delete themselves a minute after the worker is gone.
      worker: { AMQP_QUEUE_EXPIRES_MS: '60000' },
    },
  });
  prisma = createPrismaClient(run.databaseUrl, 2);
  const created = await new UserAdmin(prisma).createUser({
    email: `postman-${randomUUID().slice(0, 12)}@test.paygate`,
    openingBalanceMinor: OPENING_BALANCE_MINOR,
    currency: 'USD',
  });
  user = { id: created.id, email: created.email, apiKey: created.apiKey };
});

afterAll(async () => {
  await stack.stop();
  await prisma.$disconnect();
  await deleteExchanges(inject('run').amqpUrl, inject('run').amqpPrefix);
});

describe('the Postman collection', () => {
  it('when newman runs every folder against the running stack, then every request and assertion passes and the balance shows exactly what it created', async () => {
    const summary = await runCollection({
      base_url: stack.apiUrl,
      api_key: user.apiKey,
      email: user.email,
      user_id: String(user.id),
      webhook_secret: stack.webhookSecret,
      // The stack's bank always succeeds: a failed transaction is a bug here, not bad luck.
      require_success: 'true',
      poll_interval_ms: '100',
      // A bound for a failing run only (a minute of polls): a busy CI machine may take seconds to settle.
      poll_attempts_max: '600',
    });

    expect(describeFailures(summary)).toEqual([]);
    expect(summary.run.stats.requests.failed ?? 0).toBe(0);
    // Every folder ran: the collection has ~190 assertions; a silently skipped folder would show here.
    expect(summary.run.stats.assertions.total ?? 0).toBeGreaterThan(150);
    const names = summary.run.executions.map((execution) => execution.item.name);
    for (const folderStart of [
      'Workflow: log in',
      'API info',
      'Log in',
      'Create a deposit',
      'Create a withdrawal',
      'Get balance',
      'First request with a key',
      'Webhook with a bad signature: 401',
    ]) {
      expect(names).toContain(folderStart);
    }
    // Each poll request loops on itself (pm.execution.setNextRequest) until the transaction is final, and
    // its own assertions require success. How many loops that takes depends on how busy the machine is
    // (on a loaded one the first poll may already see it settled), so only "it ran" is asserted here.
    expect(names).toContain('Workflow: poll deposit until settled');
    expect(names).toContain('Workflow: poll withdrawal until settled');

    // The workflow deposited and withdrew 25.00; the folders deposited 100.50, 20.50 and 12.34 (the
    // idempotent replay and the reused key created nothing) and withdrew 10.00; every error case created
    // nothing. Once the bank has settled them all: 500.00 + 100.50 + 20.50 + 12.34 - 10.00.
    expect(await settledBalance()).toEqual({
      user_id: user.id,
      balance: '623.34',
      available_balance: '623.34',
      currency: 'USD',
    });
  });
});

async function settledBalance(): Promise<unknown> {
  const deadline = Date.now() + 30_000;
  while (
    (await prisma.transaction.count({
      where: { userId: BigInt(user.id), status: { in: ['pending', 'processing'] } },
    })) > 0
  ) {
    if (Date.now() > deadline) throw new Error('transactions still unsettled after 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const response = await fetch(`${stack.apiUrl}/api/v1/users/${user.id}/balance`, {
    headers: { 'x-api-key': user.apiKey },
  });
  return response.json();
}

function runCollection(variables: Record<string, string>): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection: COLLECTION,
        environment: ENVIRONMENT,
        envVar: Object.entries(variables).map(([key, value]) => ({ key, value })),
        // Failures are reported by the assertions above, with the request and test that failed.
        reporters: [],
        timeoutRequest: 10_000,
        timeoutScript: 10_000,
        timeout: 150_000,
      },
      (error, summary) => {
        if (error) reject(error);
        else resolve(summary);
      },
    );
  });
}

function describeFailures(summary: NewmanRunSummary): string[] {
  return summary.run.failures.map(
    (failure) =>
      `${failure.source?.name ?? '(collection)'} [${failure.at}]: ${failure.error.test || failure.error.name}: ${failure.error.message}`,
  );
}

/**
 * The worker's exchanges (named in infra/rabbitmq/topology.md) do not expire like its queues do; delete
 * them so runs leave nothing behind. Best effort: a broker hiccup here must not fail a green run.
 */
async function deleteExchanges(amqpUrl: string, prefix: string): Promise<void> {
  try {
    const connection = await amqp.connect(amqpUrl);
    const channel = await connection.createChannel();
    for (const suffix of ['transactions', 'transactions.retry', 'transactions.dlx'])
      await channel.deleteExchange(`${prefix}.${suffix}`);
    await connection.close();
  } catch {
    // Left for the broker's operator; the names carry the run id.
  }
}
