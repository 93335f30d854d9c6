/**
 * Goal: the amount field refuses exactly what the API refuses (same parser: parseAmount), says why next to
 * the field, and sends the normalised amount. Method: the pure check over a table of inputs, then the real
 * deposit form against a local server, asserting what a person sees and what reaches the API.
 */
import { checkAmountInput } from '@paygate/ui';
import type { LocalServer } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { balance, page, transaction } from './support/fixtures';
import { renderApp } from './support/render-app';

const GROUPING = 'Use commas only between groups of three digits, as in 1,000.50, or leave them out.';

describe('checkAmountInput', () => {
  test.each([
    ['12.34', '12.34'],
    ['12.3', '12.30'],
    ['12', '12.00'],
    ['0.01', '0.01'],
    [' 5 ', '5.00'],
    ['1000000000.00', '1000000000.00'],
    ['1000000000', '1000000000.00'],
    // As displayed: en-US thousands separators.
    ['1,000.50', '1000.50'],
    ['1,000', '1000.00'],
    ['12,345,678.9', '12345678.90'],
    ['1,000,000,000.00', '1000000000.00'],
  ])('when the input is %j, then it is accepted as %j', (input, amount) => {
    expect(checkAmountInput(input)).toMatchObject({ ok: true, amount });
  });

  test.each([
    ['', 'Enter an amount, for example 100.50'],
    ['   ', 'Enter an amount, for example 100.50'],
    ['0', 'Amount must be greater than zero.'],
    ['0.00', 'Amount must be greater than zero.'],
    ['-5', 'Amount must be positive.'],
    ['1.234', 'Amount may have at most 2 decimals.'],
    ['0.001', 'Amount may have at most 2 decimals.'],
    ['1000000000.01', 'Amount must not exceed 1000000000.00.'],
    ['99999999999', 'Amount must not exceed 1000000000.00.'],
    ['1e3', 'Amount must be written without an exponent.'],
    ['abc', 'Amount must be a decimal number such as 100.50.'],
    ['1,00.5', GROUPING],
    ['1000,50', GROUPING],
    ['1,5', GROUPING],
    [',100', GROUPING],
    ['1,000,00', GROUPING],
    ['1,,000', GROUPING],
    ['1,000.', 'Amount must be a decimal number such as 100.50.'],
    ['1,000.001', 'Amount may have at most 2 decimals.'],
    ['1,000,000,000.01', 'Amount must not exceed 1000000000.00.'],
    ['12.', 'Amount must be a decimal number such as 100.50.'],
    ['Infinity', 'Amount must be a finite number.'],
  ])('when the input is %j, then it is refused with %j', (input, message) => {
    expect(checkAmountInput(input)).toEqual({ ok: false, message });
  });
});

describe('deposit form amount field', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function openDashboard() {
    server = await startLocalServer((request) => {
      if (request.method === 'POST')
        return { status: 202, body: transaction({ amount: (request.body as { amount: string }).amount }) };
      if (request.path.endsWith('/balance')) return { status: 200, body: balance() };
      return { status: 200, body: page([]) };
    });
    renderApp({ baseUrl: server.baseUrl });
    return { server, input: await screen.findByLabelText('Amount to deposit (USD)') };
  }

  test('when the amount has three decimals, then the error sits next to the field and nothing is sent', async () => {
    const user = userEvent.setup();
    const { server: api, input } = await openDashboard();

    await user.type(input, '1.234');
    await user.click(screen.getByRole('button', { name: 'Deposit' }));

    const error = screen.getByTestId('deposit-amount-error');
    expect(error).toHaveTextContent('Amount may have at most 2 decimals.');
    expect(error).toHaveAttribute('role', 'alert');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(expect.stringContaining('Amount may have at most 2 decimals.'));
    expect(api.requestsTo('POST', '/api/v1/deposits')).toHaveLength(0);
  });

  test('when the amount is over the maximum, then it is refused with the maximum named', async () => {
    const user = userEvent.setup();
    const { server: api, input } = await openDashboard();

    await user.type(input, '1000000000.01');
    await user.click(screen.getByRole('button', { name: 'Deposit' }));

    expect(screen.getByTestId('deposit-amount-error')).toHaveTextContent('Amount must not exceed 1000000000.00.');
    expect(api.requestsTo('POST', '/api/v1/deposits')).toHaveLength(0);
  });

  test('when the person corrects the amount, then the error goes and the normalised amount is sent', async () => {
    const user = userEvent.setup();
    const { server: api, input } = await openDashboard();

    await user.type(input, '0');
    await user.click(screen.getByRole('button', { name: 'Deposit' }));
    expect(screen.getByTestId('deposit-amount-error')).toHaveTextContent('Amount must be greater than zero.');

    await user.clear(input);
    await user.type(input, '12.5');
    expect(screen.queryByTestId('deposit-amount-error')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Deposit' }));

    expect(await screen.findByTestId('deposit-result')).toHaveTextContent('Deposit #42 of $12.50 accepted');
    expect(api.requestsTo('POST', '/api/v1/deposits')[0]?.body).toEqual({ amount: '12.50' });
    expect(screen.getByTestId('deposit-result-link')).toHaveAttribute('href', '/deposits/42');
  });

  test('when the amount is typed as displayed, with thousands separators, then the plain amount is sent', async () => {
    const user = userEvent.setup();
    const { server: api, input } = await openDashboard();

    await user.type(input, '1,000.50');
    await user.click(screen.getByRole('button', { name: 'Deposit' }));

    expect(await screen.findByTestId('deposit-result')).toHaveTextContent('Deposit #42 of $1,000.50 accepted');
    expect(api.requestsTo('POST', '/api/v1/deposits')[0]?.body).toEqual({ amount: '1000.50' });
  });

  test('when a comma is not a thousands separator, then the field says how to write it and nothing is sent', async () => {
    const user = userEvent.setup();
    const { server: api, input } = await openDashboard();

    await user.type(input, '1,00.5');
    await user.click(screen.getByRole('button', { name: 'Deposit' }));

    expect(screen.getByTestId('deposit-amount-error')).toHaveTextContent(GROUPING);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(api.requestsTo('POST', '/api/v1/deposits')).toHaveLength(0);
  });

  test('when the API answers 422 about the amount, then its message sits next to the field', async () => {
    server = await startLocalServer((request) => {
      if (request.method === 'POST') {
        return {
          status: 422,
          body: {
            error: 'validation_error',
            message: 'amount: amount must be positive',
            details: [{ field: 'amount', message: 'amount must be positive' }],
            request_id: 'r',
          },
        };
      }
      if (request.path.endsWith('/balance')) return { status: 200, body: balance() };
      return { status: 200, body: page([]) };
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await user.type(await screen.findByLabelText('Amount to withdraw (USD)'), '5');
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));

    expect(await screen.findByTestId('withdrawal-amount-error')).toHaveTextContent('Amount must be positive');
    expect(screen.queryByTestId('withdrawal-error')).not.toBeInTheDocument();
  });
});
