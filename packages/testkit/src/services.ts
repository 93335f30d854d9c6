import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

/**
 * Where the tests find PostgreSQL, RabbitMQ and Redis: the URLs in the environment when set (as on the
 * project's machines and in CI); else the local default addresses if something answers there; else,
 * where a Docker engine exists, containers started with testcontainers; else a message saying what to set.
 */

export interface ServiceUrls {
  databaseUrl: string;
  amqpUrl: string;
  redisUrl: string;
  /** Stops containers this process started, if any. */
  stop(): Promise<void>;
}

const LOCAL = {
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
  amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: 'redis://127.0.0.1:6379',
} as const;

type Service = keyof typeof LOCAL;

const ENV_NAME: Record<Service, string> = { databaseUrl: 'DATABASE_URL', amqpUrl: 'AMQP_URL', redisUrl: 'REDIS_URL' };
const LABEL: Record<Service, string> = { databaseUrl: 'PostgreSQL', amqpUrl: 'RabbitMQ', redisUrl: 'Redis' };

export async function resolveServices(): Promise<ServiceUrls> {
  const urls: Partial<Record<Service, string>> = {};
  const missing: Service[] = [];
  for (const service of Object.keys(LOCAL) as Service[]) {
    const fromEnv = process.env[ENV_NAME[service]];
    if (fromEnv) urls[service] = fromEnv;
    else if (await answers(LOCAL[service])) urls[service] = LOCAL[service];
    else missing.push(service);
  }
  const stops: (() => Promise<void>)[] = [];
  if (missing.length > 0) {
    if (!dockerAvailable()) {
      const lines = missing.map(
        (service) => `  ${LABEL[service]}: set ${ENV_NAME[service]} (default ${LOCAL[service]} is not answering)`,
      );
      throw new Error(
        `Tests need real services, and no Docker engine is available to start them:\n${lines.join('\n')}`,
      );
    }
    for (const service of missing) {
      const started = await startContainer(service);
      urls[service] = started.url;
      stops.push(started.stop);
    }
  }
  return {
    databaseUrl: urls.databaseUrl ?? LOCAL.databaseUrl,
    amqpUrl: urls.amqpUrl ?? LOCAL.amqpUrl,
    redisUrl: urls.redisUrl ?? LOCAL.redisUrl,
    stop: async () => {
      for (const stop of stops) await stop();
    },
  };
}

const DEFAULT_PORTS: Record<string, number> = { 'postgresql:': 5432, 'postgres:': 5432, 'amqp:': 5672, 'redis:': 6379 };

/** Whether something accepts TCP connections at the URL's host and port (the scheme's default port if none). */
export function answers(url: string, timeoutMs = 500): Promise<boolean> {
  const parsed = new URL(url);
  const port = Number(parsed.port || DEFAULT_PORTS[parsed.protocol] || 0);
  return new Promise((resolve) => {
    const socket = net.connect({ host: parsed.hostname, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** The command that starts Redis on the port of REDIS_URL (the default 6379 only when the URL names none). */
export function redisStartCommand(url: string): string {
  const parsed = new URL(url);
  return `redis-server --daemonize yes --port ${parsed.port || DEFAULT_PORTS['redis:'] || 6379}`;
}

/** Whether a Docker engine answers here (not just the client being installed). */
export function dockerAvailable(): boolean {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

async function startContainer(service: Service): Promise<{ url: string; stop: () => Promise<void> }> {
  // Imported lazily: only a developer without local services but with Docker pays for it.
  if (service === 'databaseUrl') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15-alpine')
      .withUsername('postgres')
      .withPassword('postgres')
      .start();
    return {
      url: container.getConnectionUri(),
      stop: async () => {
        await container.stop();
      },
    };
  }
  if (service === 'amqpUrl') {
    const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
    const container = await new RabbitMQContainer('rabbitmq:3.13-management-alpine').start();
    return {
      url: container.getAmqpUrl(),
      stop: async () => {
        await container.stop();
      },
    };
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7-alpine').start();
  return {
    url: container.getConnectionUrl(),
    stop: async () => {
      await container.stop();
    },
  };
}
