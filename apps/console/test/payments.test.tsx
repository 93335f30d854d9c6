/**
 * Goal: an operator finds a payment from whatever they hold (here a bank reference), with filters that
 * the API accepts, and pages through the results by the API's cursor.
 * Method: the real console against a local fake of the operator API.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { ADMIN, startAdminServer } from './support/admin-server';
import { OPERATOR, page, payment } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /api/v1/admin/payments', () => {
  test('when searching by bank reference with filters, then the API gets them and the row opens the story', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /payments': (request) =>
        request.query.get('q') === 'BNK-7Q2M9X'
          ? { status: 200, body: page([payment()]) }
          : { status: 200, body: page([payment({ id: 1 }), payment({ id: 2 })]) },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/payments' });
    expect(await screen.findAllByTestId('payment-row')).toHaveLength(2);

    await user.type(screen.getByLabelText('Search'), 'BNK-7Q2M9X');
    await user.selectOptions(screen.getByLabelText('Status'), 'processing');
    await user.type(screen.getByLabelText('Amount from'), '10.5');
    await user.click(screen.getByRole('button', { name: 'Search' }));

    await waitFor(() => expect(screen.getAllByTestId('payment-row')).toHaveLength(1));
    const query = server.requestsTo('GET', `${ADMIN}/payments`).at(-1)?.query;
    expect(query?.get('q')).toBe('BNK-7Q2M9X');
    expect(query?.get('status')).toBe('processing');
    expect(query?.get('amount_min')).toBe('10.50');
    expect(screen.getByRole('link', { name: 'Payment #4182' })).toHaveAttribute('href', '/payments/4182');
  });

  test('when an amount filter is not an amount, then the field says why and nothing is sent', async () => {
    server = await startAdminServer(OPERATOR, { 'GET /payments': { status: 200, body: page([]) } });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/payments' });
    await screen.findByTestId('payments-empty');

    await user.type(screen.getByLabelText('Amount to'), '12.345');
    await user.click(screen.getByRole('button', { name: 'Search' }));

    expect(await screen.findByText('Amount may have at most 2 decimals.')).toBeInTheDocument();
    expect(server.requestsTo('GET', `${ADMIN}/payments`)).toHaveLength(1);
  });

  test('when there are more pages, then Next follows next_cursor and Previous comes back', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /payments': (request) =>
        request.query.get('cursor') === 'c2'
          ? { status: 200, body: page([payment({ id: 3 })]) }
          : {
              status: 200,
              body: page([payment({ id: 5 }), payment({ id: 4 })], { has_more: true, next_cursor: 'c2' }),
            },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/payments' });
    expect(await screen.findAllByTestId('payment-row')).toHaveLength(2);

    await user.click(screen.getByTestId('pagination-next'));
    await waitFor(() => expect(screen.getAllByTestId('payment-row')).toHaveLength(1));
    expect(screen.getByTestId('pagination-page')).toHaveAttribute('data-page', '2');
    await user.click(screen.getByTestId('pagination-previous'));
    await waitFor(() => expect(screen.getAllByTestId('payment-row')).toHaveLength(2));
  });
});
