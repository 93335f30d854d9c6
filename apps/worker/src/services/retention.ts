import type { RetentionRepository } from '@paygate/db';

import type { Logger } from '../infra/logger';
import type { WorkerMetrics } from '../infra/metrics';

/**
 * Deletes what has outlived its purpose: idempotency keys past their TTL (24 h by default, as DESIGN.md
 * promises clients) and outbox rows published long ago. Small batches keep each statement's locks short;
 * a bounded number of batches per run keeps one run from hogging the database after a long outage.
 */

export interface RetentionOptions {
  idempotencyTtlHours: number;
  outboxRetentionHours: number;
  batchSize: number;
  batchCountMax: number;
}

export type RetentionKind = 'idempotency_key' | 'outbox';

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
    };
    if (deleted.idempotency_key + deleted.outbox > 0)
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
