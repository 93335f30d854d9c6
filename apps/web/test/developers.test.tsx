/**
 * Goal: on the Developers page a person adds a webhook endpoint and sees its secret once, sees the list of
 * endpoints, opens one's deliveries and retries a failed one; a URL the API refuses shows why, on the form.
 * Method: the real page against a local server that keeps endpoints and deliveries in memory as the API would.
 */
import type { WebhookDeliveryWire, WebhookEndpointWire } from '@paygate/contracts';
import type { LocalServer } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SECRET = 'whsec_c2VjcmV0LWZvci10aGUtY29tcG9uZW50LXRlc3Q';

function endpoint(overrides: Partial<WebhookEndpointWire> = {}): WebhookEndpointWire {
  return {
    id: 7,
    url: 'https://hooks.example.com/paygate',
    events: ['transaction.updated'],
    description: 'Orders',
    status: 'enabled',
    created_at: '2026-11-30T09:00:00.000Z',
    secret_rotated_at: null,
    disabled_at: null,
    failing_since: null,
    ...overrides,
  };
}

function delivery(overrides: Partial<WebhookDeliveryWire> = {}): WebhookDeliveryWire {
  return {
    id: 311,
    endpoint_id: 7,
    event_id: 'msg_1042',
    event_type: 'transaction.updated',
    status: 'failed',
    attempt_count: 8,
    next_attempt_at: null,
    last_status_code: 500,
    last_error: 'HTTP 500',
    created_at: '2026-11-30T09:05:00.000Z',
    delivered_at: null,
    attempts: [],
    ...overrides,
  };
}

/** A stand-in for the API's webhook routes, with state, so the page's invalidations show the new truth. */
function startWebhooksApi(): Promise<LocalServer> {
  const endpoints: WebhookEndpointWire[] = [];
  let deliveryState = delivery();
  return startLocalServer((request) => {
    if (request.method === 'GET' && request.path === '/api/v1/webhook-endpoints')
      return { status: 200, body: { items: endpoints } };
    if (request.method === 'POST' && request.path === '/api/v1/webhook-endpoints') {
      const body = request.body as { url: string; description?: string };
      if (body.url.includes('127.0.0.1'))
        return {
          status: 422,
          body: {
            error: 'webhook_url_not_allowed',
            message: 'url: resolves to an address that is not public (loopback, link-local or private).',
            details: [
              {
                field: 'url',
                message: 'resolves to an address that is not public (loopback, link-local or private)',
                reason: 'address_not_allowed',
              },
            ],
            request_id: 'r-1',
          },
        };
      const created = endpoint({ url: body.url, description: body.description ?? null });
      endpoints.push(created);
      return { status: 201, body: { ...created, secret: SECRET } };
    }
    if (request.method === 'GET' && request.path === '/api/v1/webhook-endpoints/7/deliveries')
      return { status: 200, body: { items: [deliveryState], limit: 20, has_more: false, next_cursor: null } };
    if (request.method === 'POST' && request.path === '/api/v1/webhook-endpoints/7/deliveries/311/retry') {
      deliveryState = delivery({ status: 'pending', next_attempt_at: '2026-11-30T10:00:00.000Z' });
      return { status: 202, body: deliveryState };
    }
    return { status: 404, body: { error: 'not_found', message: 'no route', request_id: 'r-2' } };
  });
}

describe('the Developers page', () => {
  test('when a person adds an endpoint, then its secret is shown once, it is listed, and a failed delivery can be retried', async () => {
    server = await startWebhooksApi();
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/developers' });

    await screen.findByTestId('webhooks-empty');
    await user.type(screen.getByTestId('webhook-url'), 'https://hooks.example.com/paygate');
    await user.type(screen.getByTestId('webhook-description'), 'Orders');
    await user.click(screen.getByTestId('webhook-add'));

    expect(await screen.findByTestId('webhook-secret-value')).toHaveTextContent(SECRET);
    const row = await screen.findByTestId('webhook-endpoint');
    expect(row).toHaveTextContent('https://hooks.example.com/paygate');
    expect(row).toHaveTextContent('Enabled');
    expect(server.requestsTo('POST', '/api/v1/webhook-endpoints')[0]?.body).toEqual({
      url: 'https://hooks.example.com/paygate',
      description: 'Orders',
    });

    await user.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();

    await user.click(within(row).getByRole('button', { name: 'Deliveries' }));
    const deliveryRow = await screen.findByTestId('webhook-delivery');
    expect(deliveryRow).toHaveTextContent('Failed');
    expect(deliveryRow).toHaveTextContent('HTTP 500');
    await user.click(within(deliveryRow).getByTestId('webhook-retry'));
    await waitFor(() => expect(screen.getByTestId('webhook-delivery')).toHaveTextContent('Retrying'));
    expect(server.requestsTo('POST', '/api/v1/webhook-endpoints/7/deliveries/311/retry')).toHaveLength(1);
  });

  test('when the API refuses the URL, then the form says why and no endpoint is listed', async () => {
    server = await startWebhooksApi();
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/developers' });

    await screen.findByTestId('webhooks-empty');
    await user.type(screen.getByTestId('webhook-url'), 'http://127.0.0.1:8000/hook');
    await user.click(screen.getByTestId('webhook-add'));

    expect(await screen.findByTestId('webhook-create-error')).toHaveTextContent(/not public/);
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
    expect(screen.getByTestId('webhooks-empty')).toBeInTheDocument();
  });
});
