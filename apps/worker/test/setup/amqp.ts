import { randomUUID } from 'node:crypto';

import amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, GetMessage } from 'amqplib';

import { waitFor } from '@paygate/testkit';

import type { Topology } from '../../src/infra/topology';
import { PROCESS_ROUTING_KEY } from '../../src/infra/topology';

/** Only the tap is bound to it: markers published there never reach the worker. */
const FENCE_ROUTING_KEY = 'test.fence';

/** A message as a test saw it on the broker. */
export interface SeenMessage {
  body: unknown;
  raw: string;
  headers: Record<string, unknown>;
  messageId: unknown;
  receivedAtMs: number;
}

/**
 * The test's own view of the broker: a tap (an exclusive queue bound like the process queue, so it gets a
 * copy of every message routed there: the outbox's and each retry coming back from a delay queue), a way
 * to inject messages, and reads of the dead-letter queue.
 */
export interface BrokerProbe {
  tapped: SeenMessage[];
  tappedFor(transactionId: number): SeenMessage[];
  publish(content: string | Buffer, headers?: Record<string, unknown>, messageId?: string): Promise<void>;
  /** Takes (and acks) everything in the dead-letter queue now. */
  takeDeadLetters(): Promise<SeenMessage[]>;
  messageCount(queue: string): Promise<number>;
  /**
   * Publishes a marker only the tap receives and waits for it: every message routed to the tap before it
   * has then been seen. "Nothing more arrives" becomes a state to wait for.
   */
  fence(): Promise<void>;
  close(): Promise<void>;
}

export async function openBrokerProbe(amqpUrl: string, topology: Topology): Promise<BrokerProbe> {
  const connection: ChannelModel = await amqp.connect(amqpUrl);
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  const tapped: SeenMessage[] = [];
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, topology.exchange, PROCESS_ROUTING_KEY);
  await channel.bindQueue(queue, topology.exchange, FENCE_ROUTING_KEY);
  await channel.consume(
    queue,
    (message) => {
      if (message) tapped.push(seen(message));
    },
    { noAck: true },
  );
  return {
    tapped,
    tappedFor: (transactionId) => tapped.filter((message) => transactionIdOf(message) === transactionId),
    publish: async (content, headers = {}, messageId = `test-${Date.now()}-${Math.random()}`) => {
      channel.publish(
        topology.exchange,
        PROCESS_ROUTING_KEY,
        Buffer.isBuffer(content) ? content : Buffer.from(content),
        {
          persistent: true,
          contentType: 'application/json',
          messageId,
          headers,
        },
      );
      await channel.waitForConfirms();
    },
    takeDeadLetters: async () => {
      const taken: SeenMessage[] = [];
      for (;;) {
        const message: GetMessage | false = await channel.get(topology.deadLetterQueue, { noAck: true });
        if (message === false) return taken;
        taken.push(seen(message));
      }
    },
    messageCount: async (name) => (await channel.checkQueue(name)).messageCount,
    fence: async () => {
      const messageId = `fence-${randomUUID()}`;
      channel.publish(topology.exchange, FENCE_ROUTING_KEY, Buffer.from('{}'), { messageId });
      await channel.waitForConfirms();
      await waitFor(() => (tapped.some((message) => message.messageId === messageId) ? true : undefined), 'the fence');
    },
    close: async () => {
      await connection.close();
    },
  };
}

export function transactionIdOf(message: SeenMessage): number | undefined {
  const body = message.body as { transaction_id?: unknown } | undefined;
  return typeof body?.transaction_id === 'number' ? body.transaction_id : undefined;
}

function seen(message: ConsumeMessage | GetMessage): SeenMessage {
  const raw = message.content.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  return {
    body,
    raw,
    headers: message.properties.headers ?? {},
    messageId: message.properties.messageId,
    receivedAtMs: Date.now(),
  };
}
