/**
 * Goal: a 429 on the dashboard counts down visibly, second by second, and reads again by itself when the
 * time is up, so the page recovers without a reload or a click.
 * Method: the real app against a local server that refuses the first balance read with retry_after 2.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';

import { ALICE, balance, errorBody, page } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a 429 on the dashboard', () => {
  test('when the balance is refused for 2 seconds, then the countdown shows 2, then 1, then the balance arrives by itself', async () => {
    let balanceReads = 0;
    server = await startLocalServer((request) => {
      if (request.path === '/api/v1/auth/me') return { status: 200, body: ALICE };
      if (request.path.endsWith('/balance')) {
        balanceReads += 1;
        if (balanceReads === 1) {
          return {
            status: 429,
            headers: { 'Retry-After': '2' },
            body: errorBody('rate_limit_exceeded', 'Too many requests. Please try again later.', { retry_after: 2 }),
          };
        }
        return { status: 200, body: balance({ balance: '77.00', available_balance: '77.00' }) };
      }
      return { status: 200, body: page([]) };
    });
    renderApp({ baseUrl: server.baseUrl, path: '/' });

    const countdown = await screen.findByTestId('rate-limit-countdown');
    expect(countdown).toHaveAttribute('data-seconds-left', '2');
    expect(countdown).toHaveTextContent('Trying again by itself in 2 seconds');
    await waitFor(() => expect(screen.getByTestId('rate-limit-countdown')).toHaveAttribute('data-seconds-left', '1'));
    expect(screen.getByTestId('rate-limit-countdown')).toHaveTextContent('Trying again by itself in 1 second');
    expect(await screen.findByTestId('balance')).toHaveTextContent('$77.00');
    expect(screen.queryByTestId('balance-error')).not.toBeInTheDocument();
    expect(balanceReads).toBe(2);
  });
});
