import type { WebhookEndpointWire } from '@paygate/contracts';
import { formatDateTimeZone, Pagination, ProblemAlert, problemOf, useCursorStack } from '@paygate/ui';
import { useState } from 'react';

import { useWebhookDeliveries, useWebhookEndpoints, useWebhookMutations } from '../webhook-queries';

/**
 * Developers: outgoing webhooks. Add an endpoint (its signing secret is shown once, right after), see the
 * endpoints with their state, open one to see its deliveries and attempts, retry a delivery, rotate the
 * secret or delete the endpoint.
 */
export function DevelopersPage() {
  const endpoints = useWebhookEndpoints();
  const { rotate } = useWebhookMutations();
  const [secret, setSecret] = useState<{ endpointId: number; value: string } | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const items = endpoints.data?.items;

  return (
    <>
      <title>Developers · Paygate</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Developers</h1>
        <p className="muted">
          Webhooks: Paygate POSTs every change of your transactions to your endpoints, signed in the Standard Webhooks
          form with the endpoint's secret.
        </p>
      </div>
      <AddEndpointForm onCreated={(endpointId, value) => setSecret({ endpointId, value })} />
      {secret !== null && (
        <section className="card" role="status" data-testid="webhook-secret">
          <h2>Signing secret</h2>
          <p>Copy it now: it is not shown again. Verify each request with it (see the README).</p>
          <code data-testid="webhook-secret-value">{secret.value}</code>
          <button type="button" className="button button--ghost button--small" onClick={() => setSecret(null)}>
            I have stored it
          </button>
        </section>
      )}
      <section className="card" aria-label="Webhook endpoints" aria-busy={endpoints.isFetching}>
        <h2>Endpoints</h2>
        {endpoints.isError && <ProblemAlert problem={problemOf(endpoints.error)} testId="webhooks-error" />}
        {items === undefined ? (
          !endpoints.isError && <p className="muted">Loading endpoints…</p>
        ) : items.length === 0 ? (
          <p className="empty" data-testid="webhooks-empty">
            No endpoints yet.
          </p>
        ) : (
          <ul className="endpoint-list" data-testid="webhook-endpoints">
            {items.map((endpoint) => (
              <EndpointRow
                key={endpoint.id}
                endpoint={endpoint}
                isOpen={openId === endpoint.id}
                onToggle={() => setOpenId(openId === endpoint.id ? null : endpoint.id)}
                onRotate={() =>
                  rotate.mutate(endpoint.id, {
                    onSuccess: (rotated) => setSecret({ endpointId: rotated.id, value: rotated.secret }),
                  })
                }
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function AddEndpointForm({ onCreated }: { onCreated: (endpointId: number, secret: string) => void }) {
  const { create } = useWebhookMutations();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');

  return (
    <form
      className="card"
      aria-label="Add an endpoint"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(
          { url: url.trim(), description: description.trim() === '' ? undefined : description.trim() },
          {
            onSuccess: (created) => {
              setUrl('');
              setDescription('');
              onCreated(created.id, created.secret);
            },
          },
        );
      }}
    >
      <h2>Add an endpoint</h2>
      {create.isError && <ProblemAlert problem={problemOf(create.error)} testId="webhook-create-error" />}
      <div className="field">
        <label htmlFor="webhook-url">URL</label>
        <input
          id="webhook-url"
          type="url"
          required
          placeholder="https://example.com/paygate-webhooks"
          value={url}
          data-testid="webhook-url"
          onChange={(event) => setUrl(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="webhook-description">Description (optional)</label>
        <input
          id="webhook-description"
          value={description}
          maxLength={500}
          data-testid="webhook-description"
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={create.isPending} data-testid="webhook-add">
        {create.isPending ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}

function EndpointRow({
  endpoint,
  isOpen,
  onToggle,
  onRotate,
}: {
  endpoint: WebhookEndpointWire;
  isOpen: boolean;
  onToggle: () => void;
  onRotate: () => void;
}) {
  const { remove } = useWebhookMutations();
  return (
    <li className="endpoint" data-testid="webhook-endpoint" data-endpoint-id={endpoint.id}>
      <div className="endpoint__summary">
        <strong>{endpoint.url}</strong>
        {endpoint.description !== null && <span className="muted"> · {endpoint.description}</span>}
        <span className={`badge badge--${endpoint.status === 'enabled' ? 'success' : 'failed'}`}>
          {endpoint.status === 'enabled' ? 'Enabled' : 'Disabled'}
        </span>
        {endpoint.failing_since !== null && (
          <span className="muted"> · failing since {formatDateTimeZone(endpoint.failing_since)}</span>
        )}
      </div>
      <div className="endpoint__actions">
        <button type="button" className="button button--ghost button--small" onClick={onToggle}>
          {isOpen ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <button type="button" className="button button--ghost button--small" onClick={onRotate}>
          Rotate secret
        </button>
        <button
          type="button"
          className="button button--ghost button--small"
          disabled={remove.isPending}
          onClick={() => remove.mutate(endpoint.id)}
        >
          Delete
        </button>
      </div>
      {isOpen && <Deliveries endpointId={endpoint.id} />}
    </li>
  );
}

const DELIVERY_LABELS = { pending: 'Retrying', delivered: 'Delivered', failed: 'Failed' } as const;

function Deliveries({ endpointId }: { endpointId: number }) {
  const pager = useCursorStack();
  const page = useWebhookDeliveries(endpointId, pager.cursor);
  const { retry } = useWebhookMutations();
  const data = page.data;

  if (page.isError) return <ProblemAlert problem={problemOf(page.error)} testId="deliveries-error" />;
  if (data === undefined) return <p className="muted">Loading deliveries…</p>;
  if (data.items.length === 0) return <p className="empty">No deliveries yet: they come with your next transaction.</p>;
  return (
    <>
      <table className="table" data-testid="webhook-deliveries">
        <thead>
          <tr>
            <th>Event</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last answer</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data.items.map((delivery) => (
            <tr key={delivery.id} data-testid="webhook-delivery" data-delivery-id={delivery.id}>
              <td>
                <code>{delivery.event_id}</code>
              </td>
              <td>{DELIVERY_LABELS[delivery.status]}</td>
              <td>{delivery.attempt_count}</td>
              <td>
                {delivery.last_error ??
                  (delivery.last_status_code === null ? '—' : `HTTP ${delivery.last_status_code}`)}
              </td>
              <td>{formatDateTimeZone(delivery.created_at)}</td>
              <td>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  data-testid="webhook-retry"
                  disabled={retry.isPending}
                  onClick={() => retry.mutate({ endpointId, deliveryId: delivery.id })}
                >
                  Retry
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(data.has_more || pager.cursor !== undefined) && (
        <Pagination
          canPrevious={pager.canPrevious}
          canNext={data.next_cursor !== null}
          busy={page.isFetching}
          onPrevious={pager.previous}
          onNext={() => pager.next(data.next_cursor)}
          pageNumber={pager.pageNumber}
        >
          Page {pager.pageNumber}
        </Pagination>
      )}
    </>
  );
}
