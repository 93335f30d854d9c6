/**
 * Goal: the console never holds a credential and a session ends cleanly. Nobody logged in (GET /auth/me
 * answers 401) lands on the login page and comes back afterwards; a 401 on any later call returns there
 * with a notice and forgets what was on screen; the top bar says who is logged in and with which role.
 * Method: the real console against a local HTTP server faking the operator API, through the real fetch.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { ADMIN, startAdminServer } from './support/admin-server';
import { errorBody, OPERATOR, overview, page, payment } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /api/v1/admin/auth/me answers 401', () => {
  test('when nobody is logged in, then a deep link leads to the login page and back to it after login', async () => {
    let loggedIn = false;
    server = await startAdminServer(null, {
      'GET /auth/me': () =>
        loggedIn ? { status: 200, body: OPERATOR } : { status: 401, body: errorBody('unauthorized', 'Log in first.') },
      'POST /auth/login': () => {
        loggedIn = true;
        return { status: 200, body: OPERATOR, headers: { 'Set-Cookie': 'paygate_operator_session=x; HttpOnly' } };
      },
      'GET /payments': { status: 200, body: page([payment()]) },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/payments?status=processing' });

    expect(await screen.findByRole('heading', { name: 'Operator log in' })).toBeInTheDocument();
    expect(screen.queryByTestId('login-notice')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Email'), OPERATOR.email);
    await user.type(screen.getByLabelText('Password'), 'correct horse battery staple');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('heading', { name: 'Payments' })).toBeInTheDocument();
    expect(server.requestsTo('POST', `${ADMIN}/auth/login`)[0]?.body).toEqual({
      email: OPERATOR.email,
      password: 'correct horse battery staple',
    });
    await waitFor(() =>
      expect(server?.requestsTo('GET', `${ADMIN}/payments`)[0]?.query.get('status')).toBe('processing'),
    );
    expect(screen.getByTestId('operator-email')).toHaveTextContent(OPERATOR.email);
    expect(screen.getByTestId('operator-role')).toHaveTextContent('Operator');
    // The credential lives in the API's httpOnly cookie only: nothing is stored by the console.
    expect(window.sessionStorage.length).toBe(0);
    expect(window.localStorage.length).toBe(0);
  });

  test('when the password is wrong, then the login page says so in words and stays', async () => {
    server = await startAdminServer(null, {
      'POST /auth/login': { status: 401, body: errorBody('unauthorized', 'Invalid credentials') },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/login' });

    await user.type(await screen.findByLabelText('Email'), OPERATOR.email);
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByTestId('login-error')).toHaveTextContent('The email or password is not correct.');
    expect(screen.getByTestId('login-error-request-id')).toHaveTextContent('req-err-1');
  });
});

describe('a 401 on any later call', () => {
  test('when the overview answers 401, then the console returns to login with a notice and forgets the page', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /overview': { status: 401, body: errorBody('unauthorized', 'Session expired') },
    });
    renderApp({ baseUrl: server.baseUrl, path: '/' });

    expect(await screen.findByTestId('login-notice')).toHaveTextContent('Your session has ended, please log in again');
    expect(screen.getByRole('heading', { name: 'Operator log in' })).toBeInTheDocument();
  });

  test('when the operator logs out, then the API is told and the login page says so', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /overview': { status: 200, body: overview() },
      'POST /auth/logout': { status: 204 },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/' });
    await screen.findByTestId('throughput-chart');

    await user.click(screen.getByRole('button', { name: 'Log out' }));

    expect(await screen.findByTestId('login-notice')).toHaveTextContent('You have logged out.');
    expect(server.requestsTo('POST', `${ADMIN}/auth/logout`)).toHaveLength(1);
    expect(screen.queryByTestId('throughput-chart')).not.toBeInTheDocument();
  });
});
