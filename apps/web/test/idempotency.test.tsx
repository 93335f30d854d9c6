/**
 * Goal: a submission creates at most one transaction. Its Idempotency-Key is generated once, reused when
 * the same submission is retried after a network error, and replaced only for a new submission (another
 * amount, or after a success or a definitive refusal); a double click sends one request.
 * Method: the real dashboard against a local server that scripts each POST (drop the connection, delay,
 * 202, 400), reading the keys the server actually received.
 */
import type { LocalServer, Reply } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { balance, errorBody, page, transaction } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves the dashboard's reads and answers the n-th POST with posts[n] (the last one after that). */
async function startApi(posts: Reply[], path = '/api/v1/deposits'): Promise<LocalServer> {
  let postCount = 0;
  return startLocalServer((request) => {
    if (request.method === 'POST' && request.path === path) {
      const reply = posts[Math.min(postCount, posts.length - 1)] ?? 'drop';
      postCount += 1;
      return reply;
    }
    if (request.path.endsWith('/balance')) return { status: 200, body: balance({ available_balance: '12.34' }) };
    return { status: 200, body: page([]) };
  });
}

const accepted = (id: number, amount: string, delayMs?: number): Reply => ({
  status: 202,
  body: transaction({ id, amount }),
  ...(delayMs === undefined ? {} : { delayMs }),
});

function keysSent(api: LocalServer, path = '/api/v1/deposits'): unknown[] {
  return api.requestsTo('POST', path).map((request) => request.headers['idempotency-key']);
}

async function deposit(user: ReturnType<typeof userEvent.setup>, amount: string) {
  const input = await screen.findByLabelText('Amount to deposit (USD)');
  await user.clear(input);
  await user.type(input, amount);
  await user.click(screen.getByRole('button', { name: 'Deposit' }));
}

describe('POST /deposits from the dashboard', () => {
  test('when the first attempt fails on the network, then Retry reuses its key, and the next submission gets a new one', async () => {
    server = await startApi(['drop', accepted(42, '12.34'), accepted(43, '5.00')]);
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await deposit(user, '12.34');
    const alert = await screen.findByTestId('deposit-error');
    expect(alert).toHaveTextContent('We could not reach Paygate');
    await user.click(screen.getByRole('button', { name: /^Retry deposit of \$12\.34/ }));
    expect(await screen.findByTestId('deposit-result')).toHaveTextContent('Deposit #42');

    await deposit(user, '5');
    await waitFor(() => expect(screen.getByTestId('deposit-result')).toHaveTextContent('Deposit #43'));

    const [first, retried, next] = keysSent(server);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retried).toBe(first);
    expect(next).not.toBe(first);
    expect(server.requestsTo('POST', '/api/v1/deposits').map((request) => request.body)).toEqual([
      { amount: '12.34' },
      { amount: '12.34' },
      { amount: '5.00' },
    ]);
  });

  test('when the same amount is submitted again after a network error, then the key is reused', async () => {
    server = await startApi(['drop', accepted(42, '12.30')]);
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await deposit(user, '12.3');
    await screen.findByTestId('deposit-error');
    await deposit(user, '12.30');
    await screen.findByTestId('deposit-result');

    const [first, second] = keysSent(server);
    expect(second).toBe(first);
  });

  test('when the amount is changed after a network error, then a new key is used', async () => {
    server = await startApi(['drop', accepted(42, '20.00')]);
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await deposit(user, '12.34');
    await screen.findByTestId('deposit-error');
    await deposit(user, '20');
    await screen.findByTestId('deposit-result');

    const [first, second] = keysSent(server);
    expect(second).not.toBe(first);
  });

  test('when the submit button is double-clicked, then one request is sent and the button is disabled meanwhile', async () => {
    server = await startApi([accepted(42, '12.34', 300)]);
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    const input = await screen.findByLabelText('Amount to deposit (USD)');
    await user.type(input, '12.34');
    await user.dblClick(screen.getByRole('button', { name: 'Deposit' }));
    expect(screen.getByTestId('deposit-submit')).toBeDisabled();
    expect(screen.getByTestId('deposit-submit')).toHaveTextContent('Depositing…');

    expect(await screen.findByTestId('deposit-result')).toBeInTheDocument();
    expect(server.requestsTo('POST', '/api/v1/deposits')).toHaveLength(1);
    expect(screen.getByTestId('deposit-submit')).toBeEnabled();
    expect(input).toHaveValue('');
  });
});

describe('POST /withdrawals refusals', () => {
  test('when the balance is too low, then the available amount is shown and a new attempt gets a new key', async () => {
    const refusal: Reply = {
      status: 400,
      body: errorBody('insufficient_balance', 'Insufficient balance', {
        details: { available_balance: '12.34', currency: 'USD' },
      }),
    };
    server = await startApi([refusal, refusal], '/api/v1/withdrawals');
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    const input = await screen.findByLabelText('Amount to withdraw (USD)');
    await user.type(input, '500');
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));

    const alert = await screen.findByTestId('withdrawal-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent('Insufficient balance: you have $12.34 available.');
    expect(screen.queryByTestId('withdrawal-error-retry')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Withdraw' }));
    await waitFor(() => expect(server?.requestsTo('POST', '/api/v1/withdrawals')).toHaveLength(2));
    const [first, second] = keysSent(server, '/api/v1/withdrawals');
    expect(second).not.toBe(first);
  });

  test('when the API rate-limits the request, then it says when to retry and keeps the key', async () => {
    server = await startApi(
      [
        {
          status: 429,
          headers: { 'Retry-After': '42' },
          body: {
            error: 'rate_limit_exceeded',
            message: 'Too many requests. Please try again later.',
            retry_after: 42,
            request_id: 'r',
          },
        },
        accepted(42, '12.34'),
      ],
      '/api/v1/withdrawals',
    );
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await user.type(await screen.findByLabelText('Amount to withdraw (USD)'), '12.34');
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));
    expect(await screen.findByTestId('withdrawal-error')).toHaveTextContent(
      'Too many requests. Trying again by itself in 42 seconds',
    );

    await user.click(screen.getByRole('button', { name: 'Withdraw' }));
    await screen.findByTestId('withdrawal-result');
    const [first, second] = keysSent(server, '/api/v1/withdrawals');
    expect(second).toBe(first);
  });

  test('when the API answers an unknown error code, then a generic message shows the request id', async () => {
    server = await startApi(
      [{ status: 418, body: { error: 'teapot_overheated', message: 'internal detail', request_id: 'req-abc-123' } }],
      '/api/v1/withdrawals',
    );
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl });

    await user.type(await screen.findByLabelText('Amount to withdraw (USD)'), '1');
    await user.click(screen.getByRole('button', { name: 'Withdraw' }));

    const alert = await screen.findByTestId('withdrawal-error');
    expect(alert).toHaveTextContent('Something went wrong on our side.');
    expect(screen.getByTestId('withdrawal-error-request-id')).toHaveTextContent('req-abc-123');
    expect(alert).not.toHaveTextContent('internal detail');
  });
});
