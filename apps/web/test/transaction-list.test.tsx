/**
 * Goal: the full lists page through the API's keyset cursor (Next follows next_cursor, Previous walks back
 * the stack) and filter by status, days and amounts from page one, the filters kept in the URL.
 * Method: the real /deposits page against a local server that serves three pages chained by cursors.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { page, transaction } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PAGES: Record<string, { ids: number[]; next: string | null }> = {
  first: { ids: [50, 49], next: 'c-2' },
  'c-2': { ids: [48, 47], next: 'c-3' },
  'c-3': { ids: [46], next: null },
};

async function startListApi(): Promise<LocalServer> {
  return startLocalServer((request) => {
    const status = request.query.get('status');
    if (status === 'failed')
      return { status: 200, body: page([transaction({ id: 13, status: 'failed' })], { limit: 2 }) };
    const entry = PAGES[request.query.get('cursor') ?? 'first'];
    if (entry === undefined)
      return { status: 400, body: { error: 'validation_error', message: 'bad cursor', request_id: 'r' } };
    const items = entry.ids.map((id) => transaction({ id }));
    return {
      status: 200,
      body: page(items, { total: 5, limit: 2, has_more: entry.next !== null, next_cursor: entry.next }),
    };
  });
}

const shownIds = () => screen.getAllByTestId('transaction-row').map((row) => Number(row.dataset.transactionId));

describe('GET /deposits list page', () => {
  test('when the person pages forward and back, then the cursors are followed and the pages come back in order', async () => {
    server = await startListApi();
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/deposits', settings: { pageLimit: 2 } });

    await waitFor(() => expect(shownIds()).toEqual([50, 49]));
    expect(screen.getByTestId('pagination-previous')).toBeDisabled();
    expect(screen.getByTestId('pagination-page')).toHaveTextContent('Page 1 of 3 · 5 deposits');

    await user.click(screen.getByTestId('pagination-next'));
    await waitFor(() => expect(shownIds()).toEqual([48, 47]));
    await user.click(screen.getByTestId('pagination-next'));
    await waitFor(() => expect(shownIds()).toEqual([46]));
    expect(screen.getByTestId('pagination-next')).toBeDisabled();

    await user.click(screen.getByTestId('pagination-previous'));
    await waitFor(() => expect(shownIds()).toEqual([48, 47]));
    expect(screen.getByTestId('pagination-page')).toHaveAttribute('data-page', '2');

    const lists = server.requestsTo('GET', '/api/v1/deposits');
    expect(lists.map((request) => request.query.get('cursor'))).toEqual([null, 'c-2', 'c-3']);
    expect(lists.every((request) => request.query.get('limit') === '2')).toBe(true);
  });

  test('when a status is chosen, then the list restarts from page one with that filter', async () => {
    server = await startListApi();
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/deposits', settings: { pageLimit: 2 } });
    await waitFor(() => expect(shownIds()).toEqual([50, 49]));
    await user.click(screen.getByTestId('pagination-next'));
    await waitFor(() => expect(shownIds()).toEqual([48, 47]));

    await user.selectOptions(screen.getByLabelText('Status'), 'failed');

    await waitFor(() => expect(shownIds()).toEqual([13]));
    const last = server.requests.at(-1);
    expect(last?.query.get('status')).toBe('failed');
    expect(last?.query.get('cursor')).toBeNull();
    expect(screen.getByTestId('pagination-page')).toHaveAttribute('data-page', '1');
  });

  test('when the API says the total is an estimate, then the page shows it as "about"', async () => {
    server = await startLocalServer(() => ({
      status: 200,
      body: page([transaction({ id: 9 })], {
        total: 1_204_330,
        total_is_estimate: true,
        limit: 20,
        has_more: true,
        next_cursor: 'c-2',
      }),
    }));
    renderApp({ baseUrl: server.baseUrl, path: '/deposits' });

    await waitFor(() => expect(shownIds()).toEqual([9]));
    expect(screen.getByTestId('pagination-page')).toHaveTextContent(
      'Page 1 of about 60,217 · about 1,204,330 deposits',
    );
  });
});

describe('list filters by date range and amount range', () => {
  const localMidnight = (year: number, month: number, day: number) => new Date(year, month - 1, day).toISOString();

  test('when the URL carries a range, then the fields show it and the API gets it: whole local days, both included', async () => {
    server = await startListApi();
    renderApp({
      baseUrl: server.baseUrl,
      path: '/deposits?from=2026-11-01&to=2026-11-30&amount_min=1%2C000&amount_max=2000.5',
      settings: { pageLimit: 2 },
    });

    await waitFor(() => expect(shownIds()).toEqual([50, 49]));
    expect(screen.getByLabelText('From')).toHaveValue('2026-11-01');
    expect(screen.getByLabelText('To')).toHaveValue('2026-11-30');
    expect(screen.getByLabelText('Min amount')).toHaveValue('1000.00');
    expect(screen.getByLabelText('Max amount')).toHaveValue('2000.50');
    const query = server.requestsTo('GET', '/api/v1/deposits')[0]?.query;
    expect(query?.get('created_from')).toBe(localMidnight(2026, 11, 1));
    expect(query?.get('created_to')).toBe(localMidnight(2026, 12, 1));
    expect(query?.get('amount_min')).toBe('1000.00');
    expect(query?.get('amount_max')).toBe('2000.50');
  });

  test('when a range is applied on page two, then the list restarts from page one with it, and the status keeps it', async () => {
    server = await startListApi();
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/deposits', settings: { pageLimit: 2 } });
    await waitFor(() => expect(shownIds()).toEqual([50, 49]));
    await user.click(screen.getByTestId('pagination-next'));
    await waitFor(() => expect(shownIds()).toEqual([48, 47]));

    await user.type(screen.getByLabelText('From'), '2026-11-02');
    await user.type(screen.getByLabelText('Min amount'), '1,000.50');
    await user.click(screen.getByTestId('filter-apply'));

    await waitFor(() => expect(shownIds()).toEqual([50, 49]));
    const ranged = server.requests.at(-1)?.query;
    expect(ranged?.get('created_from')).toBe(localMidnight(2026, 11, 2));
    expect(ranged?.get('created_to')).toBeNull();
    expect(ranged?.get('amount_min')).toBe('1000.50');
    expect(ranged?.get('cursor')).toBeNull();
    expect(screen.getByTestId('pagination-page')).toHaveAttribute('data-page', '1');

    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() => expect(shownIds()).toEqual([13]));
    const withStatus = server.requests.at(-1)?.query;
    expect(withStatus?.get('status')).toBe('failed');
    expect(withStatus?.get('amount_min')).toBe('1000.50');
    expect(withStatus?.get('created_from')).toBe(localMidnight(2026, 11, 2));

    // The fields show the range as applied, normalised.
    expect(screen.getByLabelText('Min amount')).toHaveValue('1000.50');

    await user.click(screen.getByTestId('filter-clear'));
    await waitFor(() => expect(server?.requests.at(-1)?.query.get('amount_min')).toBeNull());
    expect(server.requests.at(-1)?.query.get('created_from')).toBeNull();
    expect(server.requests.at(-1)?.query.get('status')).toBe('failed');
    expect(screen.getByLabelText('Min amount')).toHaveValue('');
  });

  test('when the range is bad, then its field says why and no request is made', async () => {
    server = await startListApi();
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/deposits', settings: { pageLimit: 2 } });
    await waitFor(() => expect(shownIds()).toEqual([50, 49]));
    const before = server.requests.length;

    await user.type(screen.getByLabelText('Min amount'), '1,00.5');
    await user.click(screen.getByTestId('filter-apply'));
    expect(screen.getByTestId('filter-amount_min-error')).toHaveTextContent('Use commas only between groups of three');
    expect(screen.getByLabelText('Min amount')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(screen.getByLabelText('Min amount'));
    await user.type(screen.getByLabelText('Min amount'), '500');
    await user.type(screen.getByLabelText('Max amount'), '50');
    await user.type(screen.getByLabelText('From'), '2026-11-30');
    await user.type(screen.getByLabelText('To'), '2026-11-01');
    await user.click(screen.getByTestId('filter-apply'));
    expect(screen.getByTestId('filter-amount_min-error')).toHaveTextContent('The minimum is above the maximum.');
    expect(screen.getByTestId('filter-from-error')).toHaveTextContent('The first day is after the last day.');

    expect(server.requests.length).toBe(before);
    expect(shownIds()).toEqual([50, 49]);
  });

  test('when a link leads to the list without filters, then the fields are emptied too', async () => {
    server = await startListApi();
    const user = userEvent.setup();
    renderApp({
      baseUrl: server.baseUrl,
      path: '/deposits?amount_min=100&from=2026-11-01',
      settings: { pageLimit: 2 },
    });
    await waitFor(() => expect(shownIds()).toEqual([50, 49]));
    expect(screen.getByLabelText('Min amount')).toHaveValue('100.00');

    await user.click(screen.getByRole('link', { name: /^Deposits$/ }));

    await waitFor(() => expect(screen.getByLabelText('Min amount')).toHaveValue(''));
    expect(screen.getByLabelText('From')).toHaveValue('');
    expect(server.requests.at(-1)?.query.get('amount_min')).toBeNull();
  });

  test('when nothing is in the range, then the list says so and shows no pager', async () => {
    server = await startLocalServer(() => ({ status: 200, body: page([], { total: 0 }) }));
    renderApp({ baseUrl: server.baseUrl, path: '/withdrawals?amount_min=5000' });

    expect(await screen.findByTestId('list-empty')).toHaveTextContent('No withdrawals in this range.');
    expect(screen.queryByTestId('pagination-page')).not.toBeInTheDocument();
  });
});
