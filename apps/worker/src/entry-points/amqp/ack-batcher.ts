import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * Acks of one channel, sent together where that is safe. Every ack is a frame and a socket write of its
 * own; deliveries that finish in the same turn of the event loop are acked by one `multiple` ack of the
 * highest tag instead, but only up to the oldest delivery still being handled (a `multiple` ack covers
 * every unacked tag below it, so it must never reach one in flight). A finished delivery above that one is
 * acked on its own in that same turn, so nothing waits behind a slow message and the prefetch window stays
 * full.
 * An ack lost with its channel only means a redelivery, which the handlers make harmless.
 */
export class AckBatcher {
  readonly #inHand = new Set<number>();
  readonly #finished = new Set<number>();
  #isScheduled = false;

  constructor(
    private readonly channel: Channel,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Call when a delivery arrives, before its handler runs. */
  received(delivery: ConsumeMessage): void {
    this.#inHand.add(delivery.fields.deliveryTag);
  }

  ack(delivery: ConsumeMessage): void {
    const tag = delivery.fields.deliveryTag;
    this.#inHand.delete(tag);
    this.#finished.add(tag);
    // The last one in hand: nothing to wait for, so every finished delivery goes now (which also means a
    // graceful stop, which waits for the handlers and then closes the channel, never loses the last acks).
    if (this.#inHand.size === 0) {
      this.#flush();
      return;
    }
    if (this.#isScheduled) return;
    this.#isScheduled = true;
    setImmediate(() => this.#flush());
  }

  /** Nacks go out at once: they are rare, and a dead-lettered message should not wait. */
  nack(delivery: ConsumeMessage, requeue: boolean): void {
    this.#inHand.delete(delivery.fields.deliveryTag);
    this.channel.nack(delivery, false, requeue);
  }

  #flush(): void {
    this.#isScheduled = false;
    let oldestInHand = Number.POSITIVE_INFINITY;
    for (const tag of this.#inHand) oldestInHand = Math.min(oldestInHand, tag);
    let highestBelow = 0;
    const above: number[] = [];
    for (const tag of this.#finished) {
      if (tag < oldestInHand) highestBelow = Math.max(highestBelow, tag);
      else above.push(tag);
    }
    this.#finished.clear();
    try {
      if (highestBelow > 0) this.channel.ack(tagOnly(highestBelow), true);
      for (const tag of above) this.channel.ack(tagOnly(tag), false);
    } catch (error) {
      // The channel closed under us: its deliveries come back on the next session.
      this.onError(error);
    }
  }
}

/** amqplib reads only the delivery tag of the message it acks. */
function tagOnly(deliveryTag: number): ConsumeMessage {
  return { fields: { deliveryTag } } as ConsumeMessage;
}
