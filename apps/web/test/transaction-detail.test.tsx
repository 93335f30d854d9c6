/**
 * Goal: the detail page follows a transaction live while it is pending or processing, and stops asking
 * once it is terminal (success or failed), or after the polling time limit.
 * Method: the real page against a local server that plays a transaction's life, one answer per request,
 * with a 50 ms poll interval. That polling stopped is read as a state, never by waiting to see nothing
 * happen: the interval the page's query would poll at next is `false`, and the server saw exactly one
 * request per state played.
 */
import type { TransactionStatus } from '@paygate/domain/transaction-status';
import type { LocalServer } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import type { QueryClient } from '@tanstack/react-query';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { detail } from './support/fixtures';
import { renderApp } from './support/render-app';

const POLL_MS = 50;
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers GET /deposits/7 with each status in turn, then the last one forever. */
async function playLife(statuses: TransactionStatus[]): Promise<LocalServer> {
  return startLocalServer((request) => {
    if (request.path !== '/api/v1/deposits/7')
      return { status: 404, body: { error: 'not_found', message: 'no', request_id: 'r' } };
    const index = server === undefined ? 0 : server.requestsTo('GET', '/api/v1/deposits/7').length - 1;
    const status = statuses[Math.min(index, statuses.length - 1)] ?? 'pending';
    return { status: 200, body: detail(status) };
  });
}

const detailRequests = () => server?.requestsTo('GET', '/api/v1/deposits/7').length ?? 0;

/** The interval at which the page would poll the transaction next: false once it has stopped. */
function nextPollIntervalMs(queryClient: QueryClient): number | false | undefined {
  const query = queryClient
    .getQueryCache()
    .findAll()
    .find((candidate) => candidate.queryKey.includes('transaction'));
  const observer = query?.observers[0];
  if (query === undefined || observer === undefined) return undefined;
  const interval = observer.options.refetchInterval;
  return typeof interval === 'function' ? interval(query) : interval;
}

describe('transaction detail polling', () => {
  test('when the deposit goes pending -> processing -> success, then the page follows it and then stops asking', async () => {
    server = await playLife(['pending', 'pending', 'processing', 'processing', 'success']);
    const { deps } = renderApp({
      baseUrl: server.baseUrl,
      path: '/deposits/7',
      settings: { detailPollIntervalMs: POLL_MS },
    });

    const status = await screen.findByTestId('detail-status');
    expect(within(status).getByTestId('status-badge')).toHaveAttribute('data-status', 'pending');
    expect(screen.getByTestId('detail-polling')).toHaveTextContent('Updating automatically');

    await waitFor(() =>
      expect(within(status).getByTestId('status-badge')).toHaveAttribute('data-status', 'processing'),
    );
    await waitFor(() => expect(within(status).getByTestId('status-badge')).toHaveAttribute('data-status', 'success'), {
      timeout: 5_000,
    });
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(screen.queryByTestId('detail-polling')).not.toBeInTheDocument();
    expect(screen.getByTestId('detail-bank-reference')).toHaveTextContent('BNK-9F3K2Q7M');
    expect(screen.getAllByTestId('timeline-event').map((event) => event.dataset.toStatus)).toEqual([
      'pending',
      'processing',
      'success',
    ]);

    expect(detailRequests()).toBe(5);
    expect(nextPollIntervalMs(deps.queryClient)).toBe(false);
  });

  test('when the transaction fails, then polling stops and the readable reason is shown, never an internal code', async () => {
    server = await playLife(['processing', 'failed']);
    const { deps } = renderApp({
      baseUrl: server.baseUrl,
      path: '/deposits/7',
      settings: { detailPollIntervalMs: POLL_MS },
    });

    const failure = await screen.findByTestId('detail-failure', {}, { timeout: 5_000 });
    expect(failure).toHaveTextContent('The bank declined the payment');
    expect(screen.queryByTestId('detail-error-code')).not.toBeInTheDocument();
    expect(screen.getByTestId('transaction-detail')).not.toHaveTextContent('bank_declined');
    expect(screen.getByTestId('transaction-detail')).not.toHaveTextContent('worker.submit');
    expect(screen.getByTestId('transaction-detail')).not.toHaveTextContent('key-1');

    expect(detailRequests()).toBe(2);
    expect(nextPollIntervalMs(deps.queryClient)).toBe(false);
  });

  test('when the transaction is already terminal, then it is asked for once', async () => {
    server = await playLife(['success']);
    const { deps } = renderApp({
      baseUrl: server.baseUrl,
      path: '/deposits/7',
      settings: { detailPollIntervalMs: POLL_MS },
    });

    expect(await screen.findByTestId('detail-status')).toHaveTextContent('Success');
    expect(detailRequests()).toBe(1);
    expect(nextPollIntervalMs(deps.queryClient)).toBe(false);
  });

  test('when it stays pending past the polling limit, then polling stops and "Check again" asks once more', async () => {
    server = await playLife(['pending']);
    const user = userEvent.setup();
    const { deps } = renderApp({
      baseUrl: server.baseUrl,
      path: '/deposits/7',
      settings: { detailPollIntervalMs: POLL_MS, detailPollDurationMaxMs: POLL_MS * 6 },
    });

    expect(await screen.findByTestId('detail-poll-expired', {}, { timeout: 5_000 })).toHaveTextContent('Still pending');
    // The query takes the page's new options in an effect after the render that showed the notice.
    await waitFor(() => expect(nextPollIntervalMs(deps.queryClient)).toBe(false));
    // A poll sent just before the limit may still be on its way: count from once nothing is fetching.
    await waitFor(() => expect(deps.queryClient.isFetching()).toBe(0));
    const atExpiry = detailRequests();

    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(detailRequests()).toBeGreaterThan(atExpiry));
  });

  test('when the id belongs to the other type, then the page says so and links to it', async () => {
    server = await startLocalServer(() => ({
      status: 404,
      body: { error: 'not_found', message: 'Not found', request_id: 'r' },
    }));
    const { deps } = renderApp({
      baseUrl: server.baseUrl,
      path: '/deposits/9',
      settings: { detailPollIntervalMs: POLL_MS },
    });

    expect(await screen.findByTestId('detail-error')).toHaveTextContent('We could not find deposit #9');
    expect(screen.getByRole('link', { name: 'Look for withdrawal #9 instead' })).toHaveAttribute(
      'href',
      '/withdrawals/9',
    );
    expect(server.requestsTo('GET', '/api/v1/deposits/9')).toHaveLength(1);
    expect(nextPollIntervalMs(deps.queryClient)).toBe(false);
  });
});
