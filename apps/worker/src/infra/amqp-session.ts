import type { Channel, ChannelModel } from 'amqplib';

import { settlesWithin } from '@paygate/domain';

import type { ConsumerOptions } from '../entry-points/amqp/consumers';
import { consumeProcessQueue } from '../entry-points/amqp/consumers';
import { ConfirmPublisher } from './amqp-publisher';
import type { Logger } from './logger';
import type { Topology, TopologyOptions } from './topology';
import { declareTopology } from './topology';

/**
 * One connection's worth of AMQP: the topology declared, four channels (consume, retry publishing and
 * relay publishing on confirm channels, an admin channel for queue checks) and the consumer. A session is
 * opened on every (re)connection and thrown away when the connection or any of its channels closes.
 */
export class AmqpSession {
  private constructor(
    readonly adminChannel: Channel,
    readonly relayPublisher: ConfirmPublisher,
    readonly consumer: { cancel: () => Promise<void> } | undefined,
    /** Every channel, consuming first: closed one by one before the connection on a graceful stop. */
    private readonly channels: Channel[],
  ) {}

  /**
   * Declares the topology, opens the channels and, unless the worker is stopping, starts consuming. A
   * channel the broker closes under us takes its consumer or confirms with it: `onBroken` asks for the
   * whole session to be rebuilt.
   */
  static async open(options: {
    model: ChannelModel;
    topology: Topology;
    topologyOptions: TopologyOptions;
    consumer: Omit<ConsumerOptions, 'logger'>;
    isStopping: () => boolean;
    onBroken: (reason: string) => void;
    logger: Logger;
  }): Promise<AmqpSession> {
    const { model, logger } = options;
    const watch = <T extends Channel>(channel: T, name: string): T => {
      channel.on('error', (error: Error) => logger.warn({ err: error, channel: name }, 'amqp: channel error'));
      channel.on('close', () => {
        if (!options.isStopping()) options.onBroken(`channel ${name} closed`);
      });
      return channel;
    };
    const adminChannel = watch(await model.createChannel(), 'admin');
    await declareTopology(adminChannel, options.topologyOptions);
    const consumeChannel = watch(await model.createChannel(), 'consume');
    const retryChannel = watch(await model.createConfirmChannel(), 'retry-publish');
    const relayChannel = watch(await model.createConfirmChannel(), 'relay-publish');
    const consumer = options.isStopping()
      ? undefined
      : await consumeProcessQueue(
          {
            channel: consumeChannel,
            publisher: new ConfirmPublisher(retryChannel),
            topology: options.topology,
            restart: (reason) => options.onBroken(reason),
          },
          { ...options.consumer, logger },
        );
    return new AmqpSession(adminChannel, new ConfirmPublisher(relayChannel), consumer, [
      consumeChannel,
      retryChannel,
      relayChannel,
      adminChannel,
    ]);
  }

  /**
   * Channels first, each within a bound: a channel's close is queued behind its own acks, while a
   * connection close could overtake acks still buffered for their channel (and the broker would requeue
   * those messages).
   */
  async closeChannels(timeoutMsPerChannel: number): Promise<void> {
    for (const channel of this.channels) await settlesWithin(channel.close(), timeoutMsPerChannel);
  }
}
