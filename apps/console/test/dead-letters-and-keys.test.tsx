/**
 * Goal: the other actions are as safe as repairs. Replaying a dead letter needs a reason and shows the
 * API's answer (which says why not when the payment is final); a new API key is shown once, with a copy
 * button and a "store it now" note, and is gone for good once dismissed; a viewer gets no action buttons.
 * Method: the real console against a local fake of the operator API.
 */
import type { LocalServer } from '@paygate/ui/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { ADMIN, startAdminServer } from './support/admin-server';
import { deadLetter, errorBody, OPERATOR, page, repairResult, userDetail, VIEWER } from './support/fixtures';
import { renderApp } from './support/render-app';

const NEW_KEY = 'pgk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('POST /api/v1/admin/dead-letters/{id}/replay', () => {
  test('when the payment is already final, then the API says why not and the console shows it', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /dead-letters': { status: 200, body: page([deadLetter()]) },
      'POST /dead-letters/12/replay': {
        status: 200,
        body: repairResult({
          action: 'replay_dead_letter',
          outcome: 'already_final',
          message: 'Not replayed: payment 4182 is already failed, and a final payment never changes.',
          audit_id: 40,
        }),
      },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/dead-letters?state=waiting' });

    const letter = await screen.findByTestId('dead-letter');
    expect(letter).toHaveTextContent('bank answered 422 invalid_request');
    expect(within(letter).getByTestId('dead-letter-payment')).toHaveAttribute('href', '/payments/4182');
    await waitFor(() =>
      expect(server?.requestsTo('GET', `${ADMIN}/dead-letters`)[0]?.query.get('state')).toBe('waiting'),
    );

    await user.click(within(letter).getByRole('button', { name: 'Replay' }));
    const dialog = screen.getByRole('dialog', { name: 'Replay dead letter #12' });
    await user.type(within(dialog).getByLabelText('Reason'), 'Bank fixed the order limit');
    await user.click(within(dialog).getByTestId('replay-dialog-confirm'));

    expect(await screen.findByTestId('replay-result-message')).toHaveTextContent(
      'Not replayed: payment 4182 is already failed',
    );
    expect(server.requestsTo('POST', `${ADMIN}/dead-letters/12/replay`)[0]?.body).toEqual({
      reason: 'Bank fixed the order limit',
    });
  });

  test('when the API refuses (409) because the payment is final, then the dialog closes and the page says why', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /dead-letters': { status: 200, body: page([deadLetter()]) },
      'POST /dead-letters/12/replay': {
        status: 409,
        body: errorBody(
          'repair_refused',
          'Payment 4182 is failed, so it is not sent again; the dead letter is marked handled.',
        ),
      },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/dead-letters' });

    const letter = await screen.findByTestId('dead-letter');
    // Said before anyone clicks: replaying a final payment's letter only marks it handled.
    expect(within(letter).getByTestId('dead-letter-state-tag')).toHaveTextContent('Waiting: payment is final');
    await user.click(within(letter).getByRole('button', { name: 'Replay' }));
    const dialog = screen.getByRole('dialog', { name: 'Replay dead letter #12' });
    expect(within(dialog).getByTestId('replay-dialog-final')).toHaveTextContent(
      'Payment #4182 is already failed, so nothing is sent to the bank again',
    );
    await user.type(within(dialog).getByLabelText('Reason'), 'Bank fixed the order limit');
    await user.click(within(dialog).getByTestId('replay-dialog-confirm'));

    expect(await screen.findByTestId('replay-result-message')).toHaveTextContent(
      'Payment 4182 is failed, so it is not sent again; the dead letter is marked handled.',
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(server.requestsTo('POST', `${ADMIN}/dead-letters/12/replay`)).toHaveLength(1);
  });

  test("when the letter's payment is not final, then it waits for a replay that re-drives it", async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /dead-letters': { status: 200, body: page([deadLetter({ payment_status: 'processing' })]) },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/dead-letters' });

    const letter = await screen.findByTestId('dead-letter');
    expect(within(letter).getByTestId('dead-letter-state-tag')).toHaveTextContent('Waiting replay');
    await user.click(within(letter).getByRole('button', { name: 'Replay' }));
    const dialog = screen.getByRole('dialog', { name: 'Replay dead letter #12' });
    expect(dialog).toHaveTextContent('the worker handles it again for payment #4182');
    expect(within(dialog).queryByTestId('replay-dialog-final')).not.toBeInTheDocument();
  });

  test('when a viewer opens the dead letters, then there is no Replay button', async () => {
    server = await startAdminServer(VIEWER, { 'GET /dead-letters': { status: 200, body: page([deadLetter()]) } });
    renderApp({ baseUrl: server.baseUrl, path: '/dead-letters' });
    await screen.findByTestId('dead-letter');
    expect(screen.queryByRole('button', { name: 'Replay' })).not.toBeInTheDocument();
  });
});

describe('POST /api/v1/admin/users/{id}/keys', () => {
  test('when a key is issued, then it is shown once with a copy button and a note, and never again', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /users/7': { status: 200, body: userDetail() },
      'POST /users/7/keys': { status: 201, body: { api_key: NEW_KEY, prefix: 'pgk_live_9f8', audit_id: 41 } },
      'GET /overview': { status: 401, body: { error: 'unauthorized', message: 'x', request_id: 'r' } },
    });
    const user = userEvent.setup();
    const { copyText } = renderApp({ baseUrl: server.baseUrl, path: '/users/7' });

    expect(await screen.findByTestId('user-balance')).toHaveTextContent('$1,000.00');
    expect(screen.getByTestId('user-held')).toHaveTextContent('$250.00');
    await user.click(screen.getByTestId('issue-key'));
    const dialog = screen.getByRole('dialog', { name: 'Issue a new key for alice@example.com' });
    await user.type(within(dialog).getByLabelText('Reason'), 'User lost their key (ticket 881)');
    await user.click(within(dialog).getByTestId('issue-dialog-confirm'));

    const reveal = await screen.findByTestId('key-reveal');
    expect(within(reveal).getByTestId('key-reveal-key')).toHaveValue(NEW_KEY);
    expect(within(reveal).getByTestId('key-reveal-note')).toHaveTextContent('Store it now.');
    await user.click(within(reveal).getByRole('button', { name: 'Copy' }));
    expect(copyText).toHaveBeenCalledWith(NEW_KEY);
    expect(await within(reveal).findByTestId('key-reveal-copy-status')).toHaveTextContent('Copied');
    expect(server.requestsTo('POST', `${ADMIN}/users/7/keys`)[0]?.body).toEqual({
      reason: 'User lost their key (ticket 881)',
    });

    await user.click(within(reveal).getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('key-reveal')).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(NEW_KEY);
    expect(window.sessionStorage.length + window.localStorage.length).toBe(0);
    // Reading the user again (after the issue) brings back prefixes only.
    await waitFor(() => expect(server?.requestsTo('GET', `${ADMIN}/users/7`).length).toBe(2));
    expect(document.body).not.toHaveTextContent(NEW_KEY);
  });

  test('when a key is revoked, then the reason goes with it and the API answer is shown', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /users/7': { status: 200, body: userDetail() },
      'POST /users/7/keys/pgk_a1b2/revoke': {
        status: 200,
        body: repairResult({
          action: 'revoke_key',
          outcome: 'revoked',
          message: 'Key pgk_a1b2 is revoked.',
          payment: null,
        }),
      },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/users/7' });

    await user.click(await screen.findByRole('button', { name: 'Revoke key pgk_a1b2' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke key pgk_a1b2…' });
    await user.type(within(dialog).getByLabelText('Reason'), 'Key leaked in a support ticket');
    await user.click(within(dialog).getByTestId('revoke-dialog-confirm'));

    expect(await screen.findByTestId('revoke-result-message')).toHaveTextContent('Key pgk_a1b2 is revoked.');
  });
});
