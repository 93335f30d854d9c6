import type { Channel } from 'amqplib';

/**
 * The RabbitMQ topology the worker owns (infra/rabbitmq/topology.md draws it). Every name starts with the
 * prefix, so test runs and environments sharing a broker never meet. Declaring is idempotent and happens at
 * start-up and after every reconnect; arguments must not change between declarations, or RabbitMQ refuses
 * the second one (PRECONDITION_FAILED).
 */

/** The outbox's topic, and the routing key of the process queue's binding. */
export const PROCESS_ROUTING_KEY = 'transactions.process';

export interface TopologyOptions {
  prefix: string;
  /** One delay queue per bucket: RabbitMQ expires messages only at the head of a queue. */
  retryDelayBucketsMs: readonly number[];
  /** x-expires on every queue; for test runs, so an abandoned run's queues disappear by themselves. */
  queueExpiresMs?: number | undefined;
}

export interface Topology {
  exchange: string;
  processQueue: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  retryExchange: string;
  retryQueues: { delayMs: number; queue: string; routingKey: string }[];
}

export function topologyOf(options: TopologyOptions): Topology {
  const { prefix } = options;
  return {
    exchange: `${prefix}.transactions`,
    processQueue: `${prefix}.transactions.process`,
    deadLetterExchange: `${prefix}.transactions.dlx`,
    deadLetterQueue: `${prefix}.transactions.dead`,
    retryExchange: `${prefix}.transactions.retry`,
    retryQueues: [...new Set(options.retryDelayBucketsMs)].map((delayMs) => ({
      delayMs,
      queue: `${prefix}.transactions.retry.${delayMs}`,
      routingKey: String(delayMs),
    })),
  };
}

/** Every queue and exchange name, so a test run (or an operator) can delete them all. */
export function topologyNames(options: TopologyOptions): { queues: string[]; exchanges: string[] } {
  const topology = topologyOf(options);
  return {
    queues: [topology.processQueue, topology.deadLetterQueue, ...topology.retryQueues.map((retry) => retry.queue)],
    exchanges: [topology.exchange, topology.deadLetterExchange, topology.retryExchange],
  };
}

export async function declareTopology(channel: Channel, options: TopologyOptions): Promise<Topology> {
  const topology = topologyOf(options);
  const expires = options.queueExpiresMs === undefined ? {} : { 'x-expires': options.queueExpiresMs };

  await channel.assertExchange(topology.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertQueue(topology.deadLetterQueue, { durable: true, arguments: { ...expires } });
  await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '');

  await channel.assertExchange(topology.exchange, 'direct', { durable: true });
  await channel.assertQueue(topology.processQueue, {
    durable: true,
    arguments: { ...expires, 'x-dead-letter-exchange': topology.deadLetterExchange },
  });
  await channel.bindQueue(topology.processQueue, topology.exchange, PROCESS_ROUTING_KEY);

  await channel.assertExchange(topology.retryExchange, 'direct', { durable: true });
  for (const retry of topology.retryQueues) {
    // Nothing consumes a delay queue: its messages expire after delayMs and dead-letter back to the
    // process queue through the main exchange.
    await channel.assertQueue(retry.queue, {
      durable: true,
      arguments: {
        ...expires,
        'x-message-ttl': retry.delayMs,
        'x-dead-letter-exchange': topology.exchange,
        'x-dead-letter-routing-key': PROCESS_ROUTING_KEY,
      },
    });
    await channel.bindQueue(retry.queue, topology.retryExchange, retry.routingKey);
  }
  return topology;
}

/** Deletes every queue and exchange of the topology (test teardown, or an operator retiring a prefix). */
export async function deleteTopology(channel: Channel, options: TopologyOptions): Promise<void> {
  const names = topologyNames(options);
  for (const queue of names.queues) await channel.deleteQueue(queue);
  for (const exchange of names.exchanges) await channel.deleteExchange(exchange);
}
