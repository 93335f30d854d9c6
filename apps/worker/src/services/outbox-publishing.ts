import { AMQP_HEADERS, encodeTransactionMessage } from '@paygate/contracts';
import type { OutboxMessage } from '@paygate/db';

import type { ConfirmPublisher } from '../infra/amqp-publisher';
import type { Topology } from '../infra/topology';

/**
 * The relay's publish step: each outbox row becomes the contract's message for its transaction, persistent,
 * with a stable message id (so a republished row is recognisable), the request id and attempt 0 in its
 * headers, published as one confirmed batch.
 */
export async function publishOutboxBatch(
  publisher: ConfirmPublisher,
  topology: Topology,
  messages: OutboxMessage[],
): Promise<void> {
  await publisher.publishBatchConfirmed(
    messages.map((message) => {
      const { requestId } = message.transaction;
      return {
        exchange: topology.exchange,
        routingKey: message.topic,
        content: Buffer.from(JSON.stringify(encodeTransactionMessage(message.transaction))),
        options: {
          persistent: true,
          contentType: 'application/json',
          messageId: `outbox-${message.id}`,
          timestamp: Math.floor(message.createdAt.getTime() / 1000),
          headers: {
            [AMQP_HEADERS.attempt]: 0,
            ...(requestId === null ? {} : { [AMQP_HEADERS.requestId]: requestId }),
          },
        },
      };
    }),
  );
}
