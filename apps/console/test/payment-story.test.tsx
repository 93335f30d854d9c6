/**
 * Goal: one payment's story answers "why did payment 4182 fail?": the facts, the failure in the user's and
 * the operator's words side by side, every entry in time order with its raw data; and repairs are safe:
 * each needs a confirmation and a reason of the contract's length, shows the API's result, and a viewer
 * is offered none (the API's 403 is shown in its own words if it comes anyway).
 * Method: the real console against a local fake of the operator API.
 */
import { REPAIR_REASON_LENGTH_MIN } from '@paygate/contracts';
import type { LocalServer } from '@paygate/ui/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';

import { ADMIN, startAdminServer } from './support/admin-server';
import { errorBody, failedStory, OPERATOR, repairResult, stuckStory, VIEWER } from './support/fixtures';
import { renderApp } from './support/render-app';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /api/v1/admin/payments/{id}', () => {
  test('when the payment failed, then its entries are in time order and both failure texts are side by side', async () => {
    server = await startAdminServer(OPERATOR, { 'GET /payments/4182': { status: 200, body: failedStory() } });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/payments/4182' });

    const story = await screen.findByTestId('story');
    const kinds = within(story)
      .getAllByTestId('story-entry')
      .map((entry) => entry.getAttribute('data-kind'));
    expect(kinds).toEqual(['request', 'outbox_published', 'bank_attempt', 'bank_attempt', 'transition']);
    const titles = within(story)
      .getAllByTestId('story-entry-title')
      .map((title) => title.textContent);
    expect(titles[2]).toBe('Bank answered 503 after 1.2 s; retry in 4 s');
    expect(titles[3]).toBe('Bank answered 422 insufficient_funds after 0.3 s');

    expect(screen.getByTestId('failure-user-message')).toHaveTextContent('The bank declined the payment.');
    expect(screen.getByTestId('failure-operator-detail')).toHaveTextContent('Bank answered 422 insufficient_funds');
    expect(screen.getByTestId('fact-bank-reference')).toHaveTextContent('BNK-7Q2M9X');
    expect(screen.getByTestId('fact-user')).toHaveTextContent('alice@example.com');
    expect(screen.getByTestId('story-amount')).toHaveTextContent('$1,250.50');
    expect(screen.queryByTestId('repairs')).not.toBeInTheDocument();

    // The raw data is folded away until asked for, and then is the entry's JSON.
    const firstAttempt = within(story).getAllByTestId('story-entry')[2];
    await user.click(within(firstAttempt!).getByText('Raw data'));
    expect(within(firstAttempt!).getByText(/"latency_ms": 1200/)).toBeVisible();
  });

  test('when the id is unknown, then the page says there is no such payment', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /payments/9': { status: 404, body: errorBody('not_found', 'Payment 9 not found') },
    });
    renderApp({ baseUrl: server.baseUrl, path: '/payments/9' });
    expect(await screen.findByTestId('story-error')).toHaveTextContent('There is no payment #9.');
  });
});

describe('POST /api/v1/admin/payments/{id}/reconcile', () => {
  test('when the reason is missing or too short, then nothing is sent; with a reason, the result is shown', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /payments/4182': { status: 200, body: stuckStory() },
      'POST /payments/4182/reconcile': { status: 200, body: repairResult() },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/payments/4182' });

    await user.click(await screen.findByTestId('repair-reconcile'));
    const dialog = screen.getByRole('dialog', { name: 'Reconcile with the bank' });
    expect(within(dialog).getByLabelText('Reason')).toHaveFocus();

    await user.click(within(dialog).getByTestId('repair-dialog-confirm'));
    expect(within(dialog).getByTestId('repair-dialog-reason-error')).toHaveTextContent(
      `at least ${REPAIR_REASON_LENGTH_MIN} characters`,
    );
    await user.type(within(dialog).getByLabelText('Reason'), ' a ');
    await user.click(within(dialog).getByTestId('repair-dialog-confirm'));
    expect(server.requestsTo('POST', `${ADMIN}/payments/4182/reconcile`)).toHaveLength(0);

    await user.clear(within(dialog).getByLabelText('Reason'));
    await user.type(within(dialog).getByLabelText('Reason'), '  Customer called; bank confirmed  ');
    await user.click(within(dialog).getByTestId('repair-dialog-confirm'));

    expect(await screen.findByTestId('repair-result-message')).toHaveTextContent(
      'The bank says the payment succeeded; it is now settled.',
    );
    expect(screen.getByTestId('repair-result')).toHaveAttribute('data-outcome', 'settled_success');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(server.requestsTo('POST', `${ADMIN}/payments/4182/reconcile`)[0]?.body).toEqual({
      reason: 'Customer called; bank confirmed',
    });
    // The story is read again after the repair.
    await waitFor(() => expect(server?.requestsTo('GET', `${ADMIN}/payments/4182`).length).toBe(2));
  });

  test('when the API refuses with 403, then its own message and request id are shown in the dialog', async () => {
    server = await startAdminServer(OPERATOR, {
      'GET /payments/4182': { status: 200, body: stuckStory() },
      'POST /payments/4182/fail': {
        status: 403,
        body: errorBody('forbidden', 'Failing a payment needs the operator role; yours is viewer.'),
      },
    });
    const user = userEvent.setup();
    renderApp({ baseUrl: server.baseUrl, path: '/payments/4182' });

    await user.click(await screen.findByTestId('repair-fail'));
    const dialog = screen.getByRole('dialog', { name: 'Fail this payment' });
    await user.type(within(dialog).getByLabelText('Reason'), 'Bank confirmed it will never pay out');
    await user.click(within(dialog).getByTestId('repair-dialog-confirm'));

    const problem = await within(dialog).findByTestId('repair-dialog-error');
    expect(problem).toHaveTextContent('Failing a payment needs the operator role; yours is viewer.');
    expect(within(problem).getByTestId('repair-dialog-error-request-id')).toHaveTextContent('req-err-1');
  });
});

describe('a viewer', () => {
  test('when a viewer opens a stuck payment, then no repair button is offered, only a note', async () => {
    server = await startAdminServer(VIEWER, { 'GET /payments/4182': { status: 200, body: stuckStory() } });
    renderApp({ baseUrl: server.baseUrl, path: '/payments/4182' });

    expect(await screen.findByTestId('repairs-viewer-note')).toHaveTextContent('your role is viewer');
    expect(screen.queryByTestId('repairs')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Reconcile|Retry submission|Fail payment/ })).not.toBeInTheDocument();
    expect(screen.getByTestId('operator-role')).toHaveTextContent('Viewer');
  });
});
