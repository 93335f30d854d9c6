// `pnpm bench events`: GET /api/v1/events under load. STREAMS (1000) streams on one api process, spread over
// USERS users, while deposits flow through the API; reports events/s delivered (fan-out), the latency from
// the change's commit (the transaction's updated_at, the database's clock on this machine) to the client
// (p50/p99), and the api's peak RSS.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

import { cpuModel, load, rssSampler, startBenchApi, writeReport } from './lib';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = 200;
const PORT = 18_081;

export async function benchEvents(): Promise<void> {
  console.log(
    `bench events: ${STREAMS} streams, deposits on ${CONNECTIONS} connections x ${SECONDS} s on ${cpuModel()}`,
  );
  const { api, keys } = await startBenchApi({
    database: 'paygate_bench_events',
    port: PORT,
    users: USERS,
    env: {
      RATE_LIMIT_GLOBAL_PER_MIN: '100000000',
      EVENTS_STREAMS_PER_USER_MAX: String(Math.ceil(STREAMS / USERS) + 1),
      EVENTS_STREAMS_MAX: String(STREAMS + 10),
    },
  });
  const rss = rssSampler(api.child.pid ?? 0);
  const latenciesMs: number[] = [];
  let received = 0;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  try {
    await Promise.all(
      Array.from({ length: STREAMS }, (_, index) =>
        openStream(agent, keys[index % keys.length] ?? '', requests, (updatedAt) => {
          received += 1;
          latenciesMs.push(Date.now() - updatedAt);
        }),
      ),
    );
    const idleRssMb = rss.peakMb();
    rss.reset();
    received = 0;
    latenciesMs.length = 0;
    let counter = 0;
    const startedMs = Date.now();
    const deposits = await load({
      url: `http://127.0.0.1:${PORT}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/deposits',
          setupRequest: (request) => {
            counter += 1;
            return {
              ...request,
              headers: {
                'content-type': 'application/json',
                'x-api-key': keys[counter % keys.length] ?? '',
                'idempotency-key': `bench-${counter}-${randomUUID()}`,
              },
              body: '{"amount":"1.00"}',
            };
          },
        },
      ],
    });
    const elapsedS = (Date.now() - startedMs) / 1000;
    latenciesMs.sort((a, b) => a - b);
    const at = (q: number) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * q))] ?? 0;
    const report = {
      machine: cpuModel(),
      streams: STREAMS,
      users: USERS,
      depositsPerSecond: deposits.requestsPerSecond,
      depositStatus: deposits.statusCounts,
      eventsDelivered: received,
      eventsPerSecond: Math.round(received / elapsedS),
      latencyCommitToClientP50Ms: at(0.5),
      latencyCommitToClientP99Ms: at(0.99),
      idlePeakRssMb: idleRssMb,
      loadPeakRssMb: rss.peakMb(),
    };
    console.log(JSON.stringify(report, null, 2));
    console.log('targets: p99 < 100 ms, RSS < 300 MB');
    console.log(`report: ${writeReport('events', report)}`);
  } finally {
    for (const request of requests) request.destroy();
    rss.stop();
    await api.stop();
  }
}

/** Opens one stream; resolves once its first event (the balance) arrived. */
function openStream(
  agent: http.Agent,
  apiKey: string,
  requests: http.ClientRequest[],
  onTransaction: (updatedAtMs: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port: PORT, path: '/api/v1/events', agent, headers: { 'x-api-key': apiKey } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`stream answered ${response.statusCode}`));
          return;
        }
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.includes('event: balance.updated')) resolve();
            if (block.includes('event: transaction.updated')) {
              const data = /\ndata: (.*)/.exec(block)?.[1];
              if (data !== undefined)
                onTransaction(Date.parse((JSON.parse(data) as { updated_at: string }).updated_at));
            }
            end = buffer.indexOf('\n\n');
          }
        });
      },
    );
    request.on('error', () => undefined);
    requests.push(request);
  });
}
