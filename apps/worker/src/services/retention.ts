import type { RetentionRepository } from '@paygate/db';

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

export type RetentionKind =
  'idempotency_key' | 'outbox' | 'bank_attempt' | 'dead_letter' | 'ledger_check' | 'operator_session' | 'user_session';

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
    const { retention, options } = this.deps;
    const deleted: Record<RetentionKind, number> = {
      idempotency_key: await this.#deleteInBatches('idempotency_key', (batchSize) =>
        retention.deleteExpiredIdempotencyKeys(options.idempotencyTtlHours, batchSize),
      ),
      outbox: await this.#deleteInBatches('outbox', (batchSize) =>
        retention.deletePublishedOutbox(options.outboxRetentionHours, batchSize),
      ),
      bank_attempt: await this.#deleteInBatches('bank_attempt', (batchSize) =>
        retention.deleteOldBankAttempts(options.bankAttemptRetentionDays, batchSize),
      ),
      dead_letter: await this.#deleteInBatches('dead_letter', (batchSize) =>
        retention.deleteReplayedDeadLetters(options.deadLetterRetentionDays, batchSize),
      ),
      ledger_check: await this.#deleteInBatches('ledger_check', (batchSize) =>
        retention.deleteOldLedgerChecks(options.ledgerCheckRetentionDays, batchSize),
      ),
      operator_session: await this.#deleteInBatches('operator_session', (batchSize) =>
        retention.deleteEndedOperatorSessions(options.operatorSessionRetentionDays, batchSize),
      ),
      user_session: await this.#deleteInBatches('user_session', (batchSize) =>
        retention.deleteEndedUserSessions(options.userSessionRetentionDays, batchSize),
      ),
    };
    if (Object.values(deleted).some((count) => count > 0))
      this.deps.logger.info({ deleted }, 'retention: expired rows deleted');
    return deleted;
  }

  async #deleteInBatches(kind: RetentionKind, deleteBatch: (batchSize: number) => Promise<number>): Promise<number> {
    const { options, metrics } = this.deps;
    let deletedCount = 0;
    for (let batchIndex = 0; batchIndex < options.batchCountMax; batchIndex += 1) {
      const batchCount = await deleteBatch(options.batchSize);
      deletedCount += batchCount;
      metrics.retentionDeleted.inc({ kind }, batchCount);
      if (batchCount < options.batchSize) break;
    }
    return deletedCount;
  }
}
