/**
 * Goal: after a refused submit a keyboard or screen-reader user is taken to the reason: focus moves to the
 * alert (role=alert, tabIndex -1), or to the amount field when the API refused the amount itself.
 * Method: the real dashboard forms against a local server that refuses, asserting document.activeElement.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { balance, errorBody, page } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function startRefusingApi(refusal: { status: number; body: unknown }): Promise<LocalServer> {
  return startLocalServer((request) => {
    if (request.method === 'POST') return refusal;
    if (request.path.endsWith('/balance')) return { status: 200, body: balance() };
    return { status: 200, body: page([]) };
  });
}

describe('focus after a refused submit', () => {
  test('when a withdrawal is refused for insufficient balance, then focus moves to the alert, every time', async () => {
    server = await startRefusingApi({
      status: 400,
      body: errorBody('insufficient_balance', 'Insufficient balance', {
        details: { available_balance: '12.34', currency: 'USD' },
      }),
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await user.type(await screen.findByLabelText('Amount to withdraw (USD)'), '500');
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));

    const alert = await screen.findByTestId('withdrawal-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveAttribute('tabIndex', '-1');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(alert).toHaveTextContent('Insufficient balance: you have $12.34 available.');

    // Submitting again from the button (the same refusal) brings focus back to the new alert.
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));
    await waitFor(() => expect(server?.requestsTo('POST', '/api/v1/withdrawals')).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId('withdrawal-error')).toHaveFocus());
  });

  test('when a deposit is refused by another 4xx, then focus moves to its alert', async () => {
    server = await startRefusingApi({ status: 403, body: errorBody('forbidden', 'Deposits are not allowed for you.') });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await user.type(await screen.findByLabelText('Amount to deposit (USD)'), '10');
    await user.click(screen.getByRole('button', { name: 'Deposit' }));

    const alert = await screen.findByTestId('deposit-error');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(alert).toHaveAttribute('tabIndex', '-1');
  });

  test('when the API refuses the amount itself, then focus moves to the field, which reads the reason', async () => {
    server = await startRefusingApi({
      status: 422,
      body: errorBody('validation_error', 'amount: amount must be positive', {
        details: [{ field: 'amount', message: 'amount must be positive' }],
      }),
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    const input = await screen.findByLabelText('Amount to deposit (USD)');
    await user.type(input, '5');
    await user.click(screen.getByRole('button', { name: 'Deposit' }));

    expect(await screen.findByTestId('deposit-amount-error')).toHaveTextContent('Amount must be positive');
    await waitFor(() => expect(input).toHaveFocus());
    expect(input).toHaveAccessibleDescription(expect.stringContaining('Amount must be positive'));
  });
});
