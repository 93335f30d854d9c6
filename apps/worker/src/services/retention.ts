import type { RetentionKind, RetentionRepository } from '@paygate/db';
import { RETENTION_KINDS } from '@paygate/db';

import type { Logger } from '../infra/logger';
import type { WorkerMetrics } from '../infra/metrics';

/**
 * Deletes what has outlived its purpose: idempotency keys past their TTL (24 h by default, as DESIGN.md
 * promises clients), outbox rows published long ago, and the console's records once old: bank attempts,
 * replayed dead letters, ledger checks, ended operator and web sessions. The operator audit log is never deleted. Small batches keep each statement's locks short;
 * a bounded number of batches per run keeps one run from hogging the database after a long outage.
 */

export interface RetentionOptions {
  idempotencyTtlHours: number;
  outboxRetentionHours: number;
  bankAttemptRetentionDays: number;
  deadLetterRetentionDays: number;
  ledgerCheckRetentionDays: number;
  operatorSessionRetentionDays: number;
  userSessionRetentionDays: number;
  batchSize: number;
  batchCountMax: number;
}

export class Retention {
  constructor(
    private readonly deps: {
      retention: RetentionRepository;
      metrics: WorkerMetrics;
      logger: Logger;
      options: RetentionOptions;
    },
  ) {}

  async runOnce(): Promise<Record<RetentionKind, number>> {
    const { options } = this.deps;
    const ageOf: Record<RetentionKind, number> = {
      idempotency_key: options.idempotencyTtlHours,
      outbox: options.outboxRetentionHours,
      bank_attempt: options.bankAttemptRetentionDays,
      dead_letter: options.deadLetterRetentionDays,
      ledger_check: options.ledgerCheckRetentionDays,
      operator_session: options.operatorSessionRetentionDays,
      user_session: options.userSessionRetentionDays,
    };
    const deleted = Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, 0])) as Record<RetentionKind, number>;
    for (const kind of RETENTION_KINDS) deleted[kind] = await this.#deleteInBatches(kind, ageOf[kind]);
    if (Object.values(deleted).some((count) => count > 0))
      this.deps.logger.info({ deleted }, 'retention: expired rows deleted');
    return deleted;
  }

  async #deleteInBatches(kind: RetentionKind, age: number): Promise<number> {
    const { retention, options, metrics } = this.deps;
    let deletedCount = 0;
    for (let batchIndex = 0; batchIndex < options.batchCountMax; batchIndex += 1) {
      const batchCount = await retention.deleteBatch(kind, age, options.batchSize);
      deletedCount += batchCount;
      metrics.retentionDeleted.inc({ kind }, batchCount);
      if (batchCount < options.batchSize) break;
    }
    return deletedCount;
  }
}
