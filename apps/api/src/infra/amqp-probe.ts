import amqp from 'amqplib';

import { withTimeout } from '@paygate/domain';

/**
 * The API publishes nothing (the worker's relay does), but /health must say whether RabbitMQ answers.
 * One connection is kept and reopened on demand; a check is a passive declare of a built-in exchange.
 */
export class AmqpProbe {
  private connection: amqp.ChannelModel | undefined;
  private channel: amqp.Channel | undefined;
  private connecting: Promise<void> | undefined;

  constructor(private readonly url: string) {}

  async check(timeoutMs: number): Promise<void> {
    await withTimeout(this.checkOnce(), timeoutMs, 'rabbitmq check timed out');
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await connection?.close().catch(() => undefined);
  }

  private async checkOnce(): Promise<void> {
    if (!this.channel) await this.connect();
    if (!this.channel) throw new Error('rabbitmq not connected');
    await this.channel.checkExchange('amq.direct');
  }

  private async connect(): Promise<void> {
    this.connecting ??= (async () => {
      try {
        const connection = await amqp.connect(this.url, { timeout: 2_000 });
        connection.on('error', () => undefined);
        connection.on('close', () => {
          if (this.connection === connection) {
            this.connection = undefined;
            this.channel = undefined;
          }
        });
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        channel.on('close', () => {
          if (this.channel === channel) this.channel = undefined;
        });
        this.connection = connection;
        this.channel = channel;
      } finally {
        this.connecting = undefined;
      }
    })();
    await this.connecting;
  }
}
