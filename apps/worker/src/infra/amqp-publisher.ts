import { once } from 'node:events';

import type { ConfirmChannel, Options } from 'amqplib';

/**
 * Publishing on a confirm channel, where "published" means the broker confirmed it. Every publish is
 * `mandatory`: a message no queue would take comes back as a `return` before its confirm, and counts as a
 * failure instead of vanishing (a missing binding must not look like success).
 */
export class ConfirmPublisher {
  readonly #returned = new Set<string>();

  constructor(private readonly channel: ConfirmChannel) {
    channel.on('return', (message: { properties: { messageId?: unknown } }) => {
      const { messageId } = message.properties;
      if (typeof messageId === 'string') this.#returned.add(messageId);
    });
  }

  /** Publishes one message and resolves once the broker confirmed it (rejects on nack, return or close). */
  async publishConfirmed(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish & { messageId: string },
  ): Promise<void> {
    const confirmed = new Promise<void>((resolve, reject) => {
      // A full socket buffer (publish returning false) only delays the confirm; one message at a time
      // per handler, bounded by the prefetch, cannot pile up.
      this.channel.publish(exchange, routingKey, content, { ...options, mandatory: true }, (error: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error('the broker refused the message (nack)'));
        else resolve();
      });
    });
    await confirmed;
    this.#throwIfReturned([options.messageId]);
  }

  /**
   * Publishes a batch and waits for the broker to confirm every message on the channel (waitForConfirms),
   * honouring back-pressure between messages.
   */
  async publishBatchConfirmed(
    messages: {
      exchange: string;
      routingKey: string;
      content: Buffer;
      options: Options.Publish & { messageId: string };
    }[],
  ): Promise<void> {
    for (const message of messages) {
      const canContinue = this.channel.publish(message.exchange, message.routingKey, message.content, {
        ...message.options,
        mandatory: true,
      });
      if (!canContinue) await drained(this.channel);
    }
    await this.channel.waitForConfirms();
    this.#throwIfReturned(messages.map((message) => message.options.messageId));
  }

  #throwIfReturned(messageIds: string[]): void {
    const returned = messageIds.filter((messageId) => this.#returned.delete(messageId));
    if (returned.length > 0) throw new UnroutableMessageError(returned);
  }
}

/** Waits for the socket buffer to drain; a channel that closes meanwhile never drains, so that rejects. */
async function drained(channel: ConfirmChannel): Promise<void> {
  const controller = new AbortController();
  try {
    await Promise.race([
      once(channel, 'drain', { signal: controller.signal }),
      once(channel, 'close', { signal: controller.signal }).then(() => {
        throw new Error('the channel closed while waiting to publish');
      }),
    ]);
  } finally {
    controller.abort();
  }
}

export class UnroutableMessageError extends Error {
  readonly code = 'unroutable';

  constructor(readonly messageIds: string[]) {
    super(
      `no queue took ${messageIds.length} message(s) (${messageIds.slice(0, 3).join(', ')}): is the topology declared?`,
    );
    this.name = 'UnroutableMessageError';
  }
}
