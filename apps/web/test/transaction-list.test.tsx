/**
 * Goal: the full lists page through the API's keyset cursor (Next follows next_cursor, Previous walks back
 * the stack) and filter by status from page one.
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
