/**
 * Goal: the API key is kept nowhere (login sends it once; the session is the API's httpOnly cookie), a tab
 * with a live cookie opens logged in (GET /auth/me), and a session ends cleanly: by a 401 on any call (back
 * to the login page with a message) or by "Log out" (POST /auth/logout, user and cached data forgotten).
 * Method: the real app against a local HTTP server, through the real fetch.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { startLocalServer } from '@paygate/ui/testing';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { SESSION_STORAGE_KEY } from '../src/session/storage';
import { ALICE, ALICE_KEY, balance, errorBody, page } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('login', () => {
  test('when the email and key are right, then the key is stored nowhere, calls carry no key, and the dashboard opens', async () => {
    server = await startLocalServer((request) => {
      if (request.path === '/api/v1/auth/login')
        return { status: 200, body: { ...ALICE, user_id: ALICE.id, api_key: ALICE_KEY, message: 'Login successful' } };
      if (request.path.endsWith('/balance')) return { status: 200, body: balance() };
      return { status: 200, body: page([]) };
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/', loggedIn: false });

    await user.type(await screen.findByLabelText('Email'), ALICE.email);
    await user.type(screen.getByLabelText('API key'), ALICE_KEY);
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(server.requestsTo('POST', '/api/v1/auth/login')[0]?.body).toEqual({
      email: ALICE.email,
      api_key: ALICE_KEY,
    });
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).not.toContain(ALICE_KEY);
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toContain(ALICE.email);
    expect(window.localStorage.length).toBe(0);
    await waitFor(() => expect(server?.requestsTo('GET', `/api/v1/users/${ALICE.id}/balance`)).toHaveLength(1));
    expect(server.requestsTo('GET', `/api/v1/users/${ALICE.id}/balance`)[0]?.headers['x-api-key']).toBeUndefined();
  });

  test('when the key is wrong, then the login page says so and stores nothing', async () => {
    server = await startLocalServer(() => ({ status: 401, body: errorBody('unauthorized', 'Invalid credentials') }));
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/login', loggedIn: false });

    await user.type(screen.getByLabelText('Email'), ALICE.email);
    await user.type(screen.getByLabelText('API key'), 'wrong-key');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByTestId('login-error')).toHaveTextContent('The email or API key is not correct.');
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  test('when the fields are empty, then each says what is missing and nothing is sent', async () => {
    server = await startLocalServer(() => ({ status: 500 }));
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/login', loggedIn: false });

    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(screen.getByText('Enter your email.')).toBeInTheDocument();
    expect(screen.getByText('Enter your API key.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(server.requestsTo('POST', '/api/v1/auth/login')).toHaveLength(0);
  });
});

describe('a new tab', () => {
  test('when the session cookie is live, then GET /auth/me opens the dashboard without a login', async () => {
    server = await startLocalServer((request) => {
      if (request.path === '/api/v1/auth/me') return { status: 200, body: ALICE };
      if (request.path.endsWith('/balance')) return { status: 200, body: balance() };
      return { status: 200, body: page([]) };
    });
    renderApp({ baseUrl: server.baseUrl, path: '/', loggedIn: false });

    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(server.requestsTo('GET', '/api/v1/auth/me')).toHaveLength(1);
  });

  test('when there is no live cookie, then the login page opens without a message', async () => {
    server = await startLocalServer(() => ({ status: 401, body: errorBody('unauthorized', 'No session') }));
    renderApp({ baseUrl: server.baseUrl, path: '/', loggedIn: false });

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.queryByTestId('login-notice')).not.toBeInTheDocument();
  });
});

describe('a 401 on any call', () => {
  test('when the balance answers 401, then the app returns to login with a message and forgets the key', async () => {
    server = await startLocalServer(() => ({ status: 401, body: errorBody('unauthorized', 'API key revoked') }));
    renderApp({ baseUrl: server.baseUrl, path: '/' });

    expect(await screen.findByTestId('login-notice')).toHaveTextContent('Your session has ended, please log in again');
    expect(screen.getByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  test('when a detail page answers 401, then the app returns to login too', async () => {
    server = await startLocalServer(() => ({ status: 401, body: errorBody('unauthorized', 'API key revoked') }));
    renderApp({ baseUrl: server.baseUrl, path: '/withdrawals/3' });

    expect(await screen.findByTestId('login-notice')).toHaveTextContent('Your session has ended, please log in again');
    expect(window.sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });
});

describe('log out', () => {
  test('when the person logs out, then the server ends the session, sessionStorage is cleared and protected pages lead to login', async () => {
    server = await startLocalServer((request) => {
      if (request.path.endsWith('/balance'))
        return { status: 200, body: balance({ balance: '50.00', available_balance: '50.00' }) };
      return { status: 200, body: page([]) };
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/' });
    expect(await screen.findByTestId('balance')).toHaveTextContent('$50.00');

    await user.click(screen.getByRole('button', { name: 'Log out' }));

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByTestId('login-notice')).toHaveTextContent('You have logged out.');
    expect(window.sessionStorage.length).toBe(0);
    expect(screen.queryByText('$50.00')).not.toBeInTheDocument();
    await waitFor(() => expect(server?.requestsTo('POST', '/api/v1/auth/logout')).toHaveLength(1));
  });
});
