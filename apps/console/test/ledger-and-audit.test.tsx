/**
 * Goal: drift is impossible to miss (a red banner naming the accounts, differences computed exactly) and
 * a balanced ledger says so in green; the audit log is filterable by payment and links its targets.
 * Method: the real console against a local fake of the operator API.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { ADMIN, startAdminServer } from './support/admin-server';
import { auditEntry, ledger, OPERATOR, page } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /api/v1/admin/ledger', () => {
  test('when a wallet drifts, then a red banner says so and the account and its exact difference are listed', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /ledger': {
        status: 200,
        body: ledger({
          is_balanced: false,
          sum_minor_by_currency: { USD: '-1' },
          balance_drift: [
            { account_id: 3, user_id: 7, email: 'alice@example.com', cached: '1000.00', postings: '999.99' },
          ],
        }),
      },
    });
    renderApp({ baseUrl: server.baseUrl, path: '/ledger' });

    const banner = await screen.findByTestId('ledger-banner');
    expect(banner).toHaveAttribute('data-balanced', 'false');
    expect(banner).toHaveClass('banner--danger');
    expect(banner).toHaveAttribute('role', 'alert');
    expect(banner).toHaveTextContent('Drift found.');
    const row = within(screen.getByTestId('balance-drift')).getByTestId('balance-drift-row');
    expect(row).toHaveTextContent('alice@example.com');
    expect(row).toHaveTextContent('+0.01');
    expect(within(screen.getByTestId('ledger-sums')).getByTestId('ledger-sum')).toHaveTextContent('-$0.01');
  });

  test('when everything holds, then the banner is green', async () => {
    server = await startAdminServer(OPERATOR, { 'GET /ledger': { status: 200, body: ledger() } });
    renderApp({ baseUrl: server.baseUrl, path: '/ledger' });

    const banner = await screen.findByTestId('ledger-banner');
    expect(banner).toHaveAttribute('data-balanced', 'true');
    expect(banner).toHaveClass('banner--ok');
    expect(screen.getByTestId('balance-drift')).toHaveAttribute('data-count', '0');
  });
});

describe('GET /api/v1/admin/audit', () => {
  test('when filtered by a payment, then the API is asked for it and each entry links its payment', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /audit': { status: 200, body: page([auditEntry()]) },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/audit' });
    await screen.findByTestId('audit-row');

    await user.type(screen.getByLabelText('Payment id'), '4182');
    await user.click(screen.getByRole('button', { name: 'Filter' }));

    await waitFor(() =>
      expect(server?.requestsTo('GET', `${ADMIN}/audit`).at(-1)?.query.get('payment_id')).toBe('4182'),
    );
    const row = await screen.findByTestId('audit-row');
    expect(row).toHaveTextContent('Reconciled');
    expect(row).toHaveTextContent('Customer called; bank confirmed');
    expect(within(row).getByRole('link', { name: 'Payment #4182' })).toHaveAttribute('href', '/payments/4182');
  });

  test('when an entry has a long outcome and a request id, then the outcome stays on one line and the id is whole in its title', async () => {
    const requestId = 'd1061eda-b109-40fe-ab37-414142a80bdf';
    server = await startAdminServer(OPERATOR, {
      'GET /audit': {
        status: 200,
        body: page([auditEntry({ action: 'replay_dead_letter', outcome: 'already_final', request_id: requestId })]),
      },
    });
    renderApp({ baseUrl: server.baseUrl, path: '/audit' });

    const row = await screen.findByTestId('audit-row');
    expect(within(row).getByTestId('audit-outcome')).toHaveClass('nowrap');
    const idCell = within(row).getByTestId('audit-request-id');
    expect(idCell).toHaveClass('cell-ellipsis');
    expect(idCell).toHaveAttribute('title', requestId);
    expect(idCell).toHaveTextContent(requestId);
  });
});
