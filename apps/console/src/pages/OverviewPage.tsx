import type { OverviewWire, WorkerHeartbeatWire } from '@paygate/contracts';
import { formatDurationMs, formatTimeZone } from '@paygate/ui';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { Problem } from '../components/Problem';
import { ThroughputChart } from '../components/ThroughputChart';
import { Time } from '../components/Time';
import { useSettings } from '../deps';
import { STUCK_PAYMENTS_PATH, WAITING_DEAD_LETTERS_PATH } from '../paths';
import { useOverview } from '../queries';
import { byQueueRole, queueRole } from '../queues';

const BREAKER_LABELS: Record<WorkerHeartbeatWire['breaker_state'], string> = {
  closed: 'Closed (bank reachable)',
  half_open: 'Half-open (probing the bank)',
  open: 'Open (bank calls paused)',
};

/** The first page: is money moving, and if not, where is it stuck? Refreshes by itself. */
function QueueConsumers({ name, consumers }: { name: string; consumers: number }) {
  const role = queueRole(name);
  if (role === 'work') return consumers === 0 ? <span className="tag tag--danger">none</span> : <>{consumers}</>;
  return <span className="muted">{role === 'delay' ? 'delay queue' : 'kept'}</span>;
}

export function OverviewPage() {
  const overview = useOverview();
  const { overviewRefreshMs } = useSettings();
  const data = overview.data;
  return (
    <>
      <title>Overview · Paygate Console</title>
      <div className="page-header page-header--split">
        <div>
          <h1 tabIndex={-1}>Overview</h1>
          <p className="muted page-header__sub" data-testid="overview-updated">
            {data === undefined
              ? 'Loading…'
              : `Updated ${formatTimeZone(new Date(data.generated_at))} · refreshes every ${overviewRefreshMs / 1000} s`}
          </p>
        </div>
        <button
          type="button"
          className="button button--secondary"
          disabled={overview.isFetching}
          onClick={() => void overview.refetch()}
          data-testid="overview-refresh"
        >
          {overview.isFetching ? 'Refreshing…' : 'Refresh now'}
        </button>
      </div>
      {overview.isError && (
        <Problem
          error={overview.error}
          testId="overview-error"
          onRetry={() => void overview.refetch()}
          retrying={overview.isFetching}
        />
      )}
      {data !== undefined && <OverviewBody data={data} />}
    </>
  );
}

function OverviewBody({ data }: { data: OverviewWire }) {
  return (
    <>
      <section className="tiles" aria-label="Key figures">
        <Tile label="Success rate, last hour" testId="tile-success-rate">
          {data.success_rate === null ? '—' : `${(data.success_rate * 100).toFixed(1)} %`}
          {data.success_rate === null && <TileNote>Nothing finished in the last hour.</TileNote>}
        </Tile>
        <Tile label="Create to settle, p50 / p99" testId="tile-latency">
          {/* Each figure stays whole when the tile is narrow: "6.3 s / 25" then "s" read badly. */}
          <span className="nowrap" data-testid="latency-p50">
            {latency(data.settle_latency_ms.p50)}
          </span>{' '}
          /{' '}
          <span className="nowrap" data-testid="latency-p99">
            {latency(data.settle_latency_ms.p99)}
          </span>
        </Tile>
        <Tile label="Stuck payments" testId="tile-stuck" tone={data.stuck.count > 0 ? 'warning' : 'ok'}>
          {data.stuck.count}
          <TileNote>
            {data.stuck.pending} pending, {data.stuck.processing} processing for over{' '}
            {formatDurationMs(data.stuck.threshold_s * 1000)}.{' '}
            <Link to={STUCK_PAYMENTS_PATH} data-testid="stuck-link">
              Show stuck payments
            </Link>
          </TileNote>
        </Tile>
        <Tile
          label="Dead letters"
          testId="tile-dead-letters"
          tone={data.dead_letters.waiting_replay > 0 ? 'warning' : 'ok'}
        >
          {data.dead_letters.waiting_replay}
          <TileNote>
            waiting replay, {data.dead_letters.recorded} recorded.{' '}
            <Link to={WAITING_DEAD_LETTERS_PATH}>Show dead letters</Link>
          </TileNote>
        </Tile>
        <Tile label="Outbox" testId="tile-outbox" tone={data.outbox.unpublished > 0 ? 'warning' : 'ok'}>
          {data.outbox.unpublished}
          <TileNote>
            unpublished
            {data.outbox.oldest_age_s === null
              ? '.'
              : `; the oldest waits for ${formatDurationMs(data.outbox.oldest_age_s * 1000)}.`}
          </TileNote>
        </Tile>
        <Tile
          label="Ledger"
          testId="tile-ledger"
          tone={data.ledger_ok === null ? 'warning' : data.ledger_ok ? 'ok' : 'danger'}
        >
          {data.ledger_ok === null ? 'Not checked yet' : data.ledger_ok ? 'Balanced' : 'Drift found'}
          <TileNote>
            {data.ledger_checked_at !== null && (
              <>
                Checked <Time iso={data.ledger_checked_at} />.{' '}
              </>
            )}
            <Link to="/ledger">Open the ledger check</Link>
          </TileNote>
        </Tile>
        <Tile
          label="Rejected bank callbacks, last hour"
          testId="tile-rejected-webhooks"
          tone={data.webhooks_rejected_last_hour > 0 ? 'warning' : 'ok'}
        >
          {data.webhooks_rejected_last_hour}
          <TileNote>Signed callbacks that named no order of ours; each payment's story lists its own.</TileNote>
        </Tile>
      </section>

      <section className="card" aria-label="Throughput">
        <ThroughputChart minutes={data.throughput} />
      </section>

      <div className="grid grid--2">
        <section className="card" aria-labelledby="queues-title">
          <h2 id="queues-title" className="card__title">
            Queues
          </h2>
          <div className="table-scroll">
            <table className="table table--compact" data-testid="queues">
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  <th scope="col" className="numeric">
                    Messages
                  </th>
                  <th scope="col" className="numeric">
                    Consumers
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...data.queues].sort(byQueueRole).map((queue) => (
                  <tr key={queue.name} data-testid="queue-row" data-role={queueRole(queue.name)}>
                    <td className="mono">{queue.name}</td>
                    <td className="numeric">{queue.messages}</td>
                    <td className="numeric">
                      <QueueConsumers name={queue.name} consumers={queue.consumers} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">
            Only the process queue has consumers. A retry queue holds a message until its delay passes, then sends it
            back; the dead queue is listed under Dead letters.
          </p>
        </section>
        <section className="card" aria-labelledby="workers-title">
          <h2 id="workers-title" className="card__title">
            Workers
          </h2>
          {data.workers.length === 0 ? (
            <p className="alert alert--warning" data-testid="no-workers">
              No worker has reported in: nothing is sending payments to the bank.
            </p>
          ) : (
            <ul className="workers" data-testid="workers">
              {data.workers.map((worker) => (
                <WorkerItem key={worker.worker_id} worker={worker} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

function WorkerItem({ worker }: { worker: WorkerHeartbeatWire }) {
  return (
    <li className="worker" data-testid="worker" data-alive={worker.is_alive} data-breaker={worker.breaker_state}>
      <div className="worker__head">
        <span className="mono">{worker.hostname}</span>
        <span className={`tag ${worker.is_alive ? 'tag--ok' : 'tag--danger'}`}>
          {worker.is_alive ? 'Alive' : 'Silent'}
        </span>
        <span className={`tag tag--breaker-${worker.breaker_state}`}>
          Breaker {BREAKER_LABELS[worker.breaker_state]}
        </span>
      </div>
      <dl className="worker__facts">
        <div>
          <dt>Version</dt>
          <dd className="mono">{worker.version}</dd>
        </div>
        <div>
          <dt>In flight</dt>
          <dd>{worker.in_flight}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <Time iso={worker.started_at} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <Time iso={worker.last_seen_at} />
          </dd>
        </div>
        <div className="worker__id">
          <dt>Worker id</dt>
          <dd className="mono">{worker.worker_id}</dd>
        </div>
      </dl>
    </li>
  );
}

function Tile({
  label,
  children,
  testId,
  tone = 'neutral',
}: {
  label: string;
  children: ReactNode;
  testId: string;
  tone?: 'neutral' | 'ok' | 'warning' | 'danger';
}) {
  return (
    <div className={`tile tile--${tone}`} data-testid={testId}>
      <p className="tile__label">{label}</p>
      <div className="tile__value">{children}</div>
    </div>
  );
}

function TileNote({ children }: { children: ReactNode }) {
  return <p className="tile__note">{children}</p>;
}

function latency(ms: number | null): string {
  return ms === null ? '—' : formatDurationMs(ms);
}
