/**
 * Goal: the overview answers "is money moving?" at a glance and keeps itself fresh: the throughput chart
 * with a bar per status and minute, the figures, workers with their breaker, and a link to the stuck
 * payments that opens the payments list filtered to them.
 * Method: the real console against a local fake of the operator API; a short refresh interval in settings.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { OVERVIEW_REFRESH_MS } from '../src/settings';
import { ADMIN, startAdminServer } from './support/admin-server';
import { OPERATOR, overview, page, payment } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /api/v1/admin/overview', () => {
  test('when it answers, then the chart, the figures and the workers are shown', async () => {
    server = await startAdminServer(OPERATOR, { 'GET /overview': { status: 200, body: overview() } });
    renderApp({ baseUrl: server.baseUrl, path: '/' });

    const chart = await screen.findByTestId('throughput-chart');
    expect(chart).toHaveAttribute('data-minutes', '60');
    expect(within(chart).getByRole('img', { name: /Payments created per minute/ })).toBeInTheDocument();
    const bars = within(chart).getAllByTestId('chart-bar');
    expect(bars.filter((bar) => bar.getAttribute('data-series') === 'success')).toHaveLength(60);
    expect(bars.filter((bar) => bar.getAttribute('data-series') === 'pending')).toHaveLength(1);
    expect(screen.getByTestId('tile-success-rate')).toHaveTextContent('97.3 %');
    expect(screen.getByTestId('tile-latency')).toHaveTextContent('2.4 s / 9.8 s');
    expect(screen.getByTestId('latency-p99')).toHaveTextContent('9.8 s');
    expect(screen.getByTestId('latency-p99')).toHaveClass('nowrap');
    expect(screen.getByTestId('tile-stuck')).toHaveTextContent('4');
    const workers = screen.getAllByTestId('worker');
    expect(workers[1]).toHaveAttribute('data-breaker', 'open');
    expect(workers[1]).toHaveTextContent('Silent');
  });

  test('when retry and dead queues have no consumers, then only a process queue without one is flagged', async () => {
    const queues = [
      { name: 'paygate.transactions.retry.16000', messages: 1, consumers: 0 },
      { name: 'paygate.transactions.dead', messages: 2, consumers: 0 },
      { name: 'paygate.transactions.retry.1000', messages: 0, consumers: 0 },
      { name: 'paygate.transactions.process', messages: 5, consumers: 0 },
    ];
    server = await startAdminServer(OPERATOR, { 'GET /overview': { status: 200, body: { ...overview(), queues } } });
    renderApp({ baseUrl: server.baseUrl, path: '/' });

    const rows = await screen.findAllByTestId('queue-row');
    expect(rows.map((row) => row.getAttribute('data-role'))).toEqual(['work', 'dead', 'delay', 'delay']);
    expect(rows[2]).toHaveTextContent('paygate.transactions.retry.1000');
    expect(within(rows[0]!).getByText('none')).toHaveClass('tag--danger');
    expect(rows[1]).toHaveTextContent('kept');
    expect(rows[3]).toHaveTextContent('delay queue');
    expect(within(screen.getByTestId('queues')).getAllByText('none')).toHaveLength(1);
  });

  test('when the stuck link is followed, then the payments list asks for stuck=true', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /overview': { status: 200, body: overview() },
      'GET /payments': { status: 200, body: page([payment()]) },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/' });

    const link = await screen.findByTestId('stuck-link');
    expect(link).toHaveAttribute('href', '/payments?stuck=true');
    await user.click(link);

    expect(await screen.findByRole('heading', { name: 'Payments' })).toBeInTheDocument();
    await waitFor(() => expect(server?.requestsTo('GET', `${ADMIN}/payments`)[0]?.query.get('stuck')).toBe('true'));
    expect(screen.getByTestId('payments-stuck')).toBeChecked();
    expect(await screen.findAllByTestId('payment-row')).toHaveLength(1);
  });

  test('when it stays open, then it refreshes by itself at the configured interval', async () => {
    expect(OVERVIEW_REFRESH_MS).toBe(10_000);
    server = await startAdminServer(OPERATOR, { 'GET /overview': { status: 200, body: overview() } });
    renderApp({ baseUrl: server.baseUrl, path: '/', settings: { overviewRefreshMs: 150 } });

    await screen.findByTestId('throughput-chart');
    await waitFor(() => expect(server?.requestsTo('GET', `${ADMIN}/overview`).length).toBeGreaterThanOrEqual(3));
  });

  test('when the answer breaks the contract, then the page names the field and the request id', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /overview': { status: 200, body: { ...overview(), success_rate: 'high' } },
    });
    renderApp({ baseUrl: server.baseUrl, path: '/' });

    const problem = await screen.findByTestId('overview-error');
    expect(problem).toHaveTextContent("The API's answer does not match the contract at success_rate");
    expect(within(problem).getByTestId('overview-error-request-id')).toHaveTextContent(/^req-/);
  });
});
