import type { Channel, ConsumeMessage } from 'amqplib';

import { AMQP_HEADERS } from '@paygate/contracts';
import type { DeadLetterInput } from '@paygate/db';
import { assert, settlesWithin } from '@paygate/domain';

import type { ConfirmPublisher } from '../../infra/amqp-publisher';
import { AckBatcher } from './ack-batcher';
import type { Logger } from '../../infra/logger';
import type { Topology } from '../../infra/topology';
import type { WorkerMetrics } from '../../infra/metrics';

/**
 * The worker's router: queue -> handler. This is the only place that touches a delivery: ack, nack,
 * publishing a retry copy to a delay queue and publishing to the dead-letter queue. A copy is always
 * confirmed by the broker before the original is acked, so a crash in between leaves two copies (handled
 * idempotently), never none.
 */

/** Headers the worker adds on its own retry copies (the shared ones are AMQP_HEADERS in contracts). */
export const RETRY_HEADERS = {
  ambiguousAttemptCount: 'x-ambiguous-attempt-count',
  retryReason: 'x-retry-reason',
  internalErrorCount: 'x-internal-error-count',
} as const;

/** What a handler sees of a delivery: the bytes and the headers, nothing to ack with. */
export interface IncomingMessage {
  content: Buffer;
  headers: Record<string, unknown>;
  messageId: string | undefined;
  isRedelivered: boolean;
}

export type HandlerResult =
  | 'ack'
  /** Publish a copy to the delay queue of `delayMs` with `headers` merged in, then ack. */
  | { kind: 'retry'; delayMs: number; reason: string; headers: Record<string, number | string> }
  /** A business failure already recorded: publish a copy to the DLQ with x-failure-reason, then ack. */
  | { kind: 'dead_letter'; reason: string }
  /** Undecodable or meaningless: nack without requeue, so the queue dead-letters it. Never requeued. */
  | { kind: 'poison'; reason: string };

export type MessageHandler = (message: IncomingMessage) => Promise<HandlerResult>;

export interface ConsumerSession {
  channel: Channel;
  publisher: ConfirmPublisher;
  topology: Topology;
  /** Asks for the whole AMQP session to be rebuilt (a channel failed under us). */
  restart: (reason: string) => void;
}

export interface ConsumerOptions {
  prefetch: number;
  handler: MessageHandler;
  /** Keeps each dead-lettered message in the database too, so the console lists them without the DLQ. */
  recordDeadLetter: (letter: DeadLetterInput) => Promise<void>;
  inFlight: InFlight;
  metrics: WorkerMetrics;
  logger: Logger;
}

/** Longest reason put in a header: header tables are bounded (amqplib refuses more than 64 KiB). */
const REASON_LENGTH_MAX = 500;
/** Longest undecodable body kept with a dead letter's record. */
const RAW_BODY_LENGTH_MAX = 4_096;
/** Headers RabbitMQ maintains itself when it dead-letters; a copy starts without them. */
const BROKER_HEADERS = /^x-(death|first-death-|last-death-)/;

export async function consumeProcessQueue(
  session: ConsumerSession,
  options: ConsumerOptions,
): Promise<{ cancel: () => Promise<void> }> {
  const { channel, topology } = session;
  await channel.prefetch(options.prefetch);
  const acks = new AckBatcher(channel, (error) => {
    options.logger.warn({ err: error }, 'could not ack deliveries; they will be redelivered');
    session.restart('acking failed');
  });
  const { consumerTag } = await channel.consume(
    topology.processQueue,
    (delivery) => {
      if (delivery === null) {
        // The broker cancelled us (the queue was deleted): a fresh session declares it again.
        session.restart('the broker cancelled the consumer');
        return;
      }
      acks.received(delivery);
      options.inFlight.track(handleDelivery(session, acks, options, delivery));
    },
    { noAck: false },
  );
  return {
    cancel: async () => {
      await channel.cancel(consumerTag);
    },
  };
}

async function handleDelivery(
  session: ConsumerSession,
  acks: AckBatcher,
  options: ConsumerOptions,
  delivery: ConsumeMessage,
): Promise<void> {
  let result: HandlerResult;
  try {
    result = await options.handler(toIncoming(delivery));
  } catch (error) {
    // Handlers return every outcome they know of; a throw is a bug. Dead-letter rather than requeue, so a
    // bug cannot spin; the reconciler still finds the transaction in the database.
    options.logger.error({ err: error }, 'handler threw: dead-lettering the message');
    result = { kind: 'poison', reason: 'handler_error' };
  }
  try {
    await settleDelivery(session, acks, delivery, result, options);
  } catch (error) {
    // The channel or the broker failed while we answered. Not acking is safe: the delivery comes back on
    // the next session, and processing it again is idempotent.
    options.logger.warn({ err: error }, 'could not settle a delivery; it will be redelivered');
    session.restart('settling a delivery failed');
  }
}

async function settleDelivery(
  session: ConsumerSession,
  acks: AckBatcher,
  delivery: ConsumeMessage,
  result: HandlerResult,
  options: ConsumerOptions,
): Promise<void> {
  const { publisher, topology } = session;
  const { metrics } = options;
  if (result === 'ack') {
    acks.ack(delivery);
    return;
  }
  switch (result.kind) {
    case 'poison':
      await recordDeadLetter(delivery, result.reason, options);
      acks.nack(delivery, false);
      metrics.deadLettered.inc({ reason: result.reason });
      return;
    case 'retry': {
      const retryQueue = topology.retryQueues.find((queue) => queue.delayMs === result.delayMs);
      assert(retryQueue !== undefined, `no delay queue for ${result.delayMs} ms`);
      await publisher.publishConfirmed(topology.retryExchange, retryQueue.routingKey, delivery.content, {
        ...copyProperties(delivery),
        headers: {
          ...copyHeaders(delivery),
          ...result.headers,
          [RETRY_HEADERS.retryReason]: result.reason.slice(0, REASON_LENGTH_MAX),
        },
      });
      acks.ack(delivery);
      return;
    }
    case 'dead_letter':
      await publisher.publishConfirmed(topology.deadLetterExchange, '', delivery.content, {
        ...copyProperties(delivery),
        headers: { ...copyHeaders(delivery), [AMQP_HEADERS.failureReason]: result.reason.slice(0, REASON_LENGTH_MAX) },
      });
      // After the broker confirmed the copy: the queue has it whatever happens to this write.
      await recordDeadLetter(delivery, result.reason, options);
      acks.ack(delivery);
      metrics.deadLettered.inc({ reason: result.reason.split(':')[0] ?? 'failed' });
      return;
  }
}

/**
 * The database's copy of a dead letter. It is for people: a failed write is logged, and the message still
 * goes to the dead-letter queue (redelivering it instead would find its payment final and ack it, losing
 * it from both places).
 */
async function recordDeadLetter(delivery: ConsumeMessage, reason: string, options: ConsumerOptions): Promise<void> {
  const text = delivery.content.toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text) as unknown;
  } catch {
    payload = { raw: text.slice(0, RAW_BODY_LENGTH_MAX) };
  }
  const transactionId =
    typeof payload === 'object' && payload !== null && 'transaction_id' in payload ? payload.transaction_id : null;
  const messageId: unknown = delivery.properties.messageId;
  try {
    await options.recordDeadLetter({
      transactionId: typeof transactionId === 'number' && Number.isSafeInteger(transactionId) ? transactionId : null,
      reason: reason.slice(0, REASON_LENGTH_MAX),
      payload,
      headers: copyHeaders(delivery),
      messageId: typeof messageId === 'string' ? messageId : null,
    });
  } catch (error) {
    options.logger.error({ err: error, reason }, 'could not record a dead letter in the database');
  }
}

function toIncoming(delivery: ConsumeMessage): IncomingMessage {
  const headers = (delivery.properties.headers ?? {}) as Record<string, unknown>;
  const messageId: unknown = delivery.properties.messageId;
  return {
    content: delivery.content,
    headers,
    messageId: typeof messageId === 'string' ? messageId : undefined,
    isRedelivered: delivery.fields.redelivered,
  };
}

function copyProperties(delivery: ConsumeMessage): {
  persistent: true;
  contentType: string;
  messageId: string;
  timestamp?: number;
} {
  const { properties } = delivery;
  const messageId: unknown = properties.messageId;
  const timestamp: unknown = properties.timestamp;
  return {
    persistent: true,
    contentType: typeof properties.contentType === 'string' ? properties.contentType : 'application/json',
    messageId: typeof messageId === 'string' ? messageId : `delivery-${delivery.fields.deliveryTag}`,
    ...(typeof timestamp === 'number' ? { timestamp } : {}),
  };
}

function copyHeaders(delivery: ConsumeMessage): Record<string, unknown> {
  const headers = (delivery.properties.headers ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !BROKER_HEADERS.test(name)));
}

/** The handlers still running, so a graceful stop can wait for them (within a bound). */
export class InFlight {
  readonly #running = new Set<Promise<void>>();

  get size(): number {
    return this.#running.size;
  }

  track(work: Promise<void>): void {
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
  }

  /** Resolves true when every handler finished, false when `timeoutMs` ran out first. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.#running.size === 0) return true;
    return settlesWithin(Promise.allSettled([...this.#running]), timeoutMs);
  }
}
