import { delayBucketsMs } from '@paygate/domain';

/**
 * What every test file shares: each file (suite) gets its own database and AMQP prefix from the global
 * setup, so suites run in parallel without one worker's relay or reconciler touching another's rows.
 */

export const SUITES = [
  'process',
  'service',
  'breaker',
  'reconcile',
  'relay',
  'retention',
  'lifecycle',
  'webhooks',
] as const;
export type Suite = (typeof SUITES)[number];

/** Small delays so a full retry ladder takes well under a second. Every suite uses the same buckets. */
export const TEST_RETRY_BASE_MS = 20;
export const TEST_RETRY_CAP_MS = 640;
export const TEST_RETRY_BUCKETS_MS = delayBucketsMs(TEST_RETRY_BASE_MS, TEST_RETRY_CAP_MS);

/** Abandoned test queues (a run killed before teardown) delete themselves after this long unused. */
export const TEST_QUEUE_EXPIRES_MS = 10 * 60_000;

export const TEST_WEBHOOK_SECRET = 'worker-test-webhook-secret-0123456789';
export const TEST_BANK_API_KEY = 'worker-test-bank-api-key-0123456789';

export interface SuiteRun {
  databaseUrl: string;
  bankDatabaseUrl: string;
  amqpUrl: string;
  amqpPrefix: string;
}
