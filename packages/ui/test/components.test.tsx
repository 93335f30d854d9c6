/**
 * Goal: the shared pieces behave the same in both apps: the modal keeps focus inside and gives it back,
 * the shell marks the current page, the pager follows cursors, and operators can be shown the API's own
 * refusal with its request id.
 * Method: Testing Library in jsdom, with a memory router where links are involved.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, test } from 'vitest';

import { Modal, Pagination, ProblemAlert, Shell, useCursorStack } from '../src';

function ModalHarness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      {open && (
        <Modal title="Confirm" onClose={() => setOpen(false)} testId="modal">
          <label htmlFor="why">Reason</label>
          <input id="why" data-autofocus />
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </Modal>
      )}
    </>
  );
}

describe('Modal', () => {
  test('when opened, then it is a named dialog with focus inside, Tab wraps, and Escape gives focus back', async () => {
    const user = userEvent.setup();
    render(<ModalHarness />);
    const opener = screen.getByRole('button', { name: 'Open' });
    await user.click(opener);

    const dialog = screen.getByRole('dialog', { name: 'Confirm' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(screen.getByLabelText('Reason')).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab();
    expect(screen.getByLabelText('Reason')).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });
});

describe('Shell', () => {
  test('when a page is open, then its link is marked current and the account area is shown', () => {
    render(
      <MemoryRouter initialEntries={['/b']}>
        <Shell
          brand="Paygate Console"
          nav={[
            { to: '/a', label: 'A', testId: 'nav-a' },
            { to: '/b', label: 'B', testId: 'nav-b' },
          ]}
          account={<span>ops@example.com</span>}
        >
          <h1>B</h1>
        </Shell>
      </MemoryRouter>,
    );
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByTestId('nav-b')).toHaveAttribute('aria-current', 'page');
    expect(screen.getByTestId('nav-a')).not.toHaveAttribute('aria-current');
    expect(screen.getByText('ops@example.com')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveAttribute('href', '#main');
  });
});

function PagerHarness({ nextCursors }: { nextCursors: Record<string, string | null> }) {
  const pager = useCursorStack();
  const next = nextCursors[pager.cursor ?? 'first'] ?? null;
  return (
    <Pagination
      canPrevious={pager.canPrevious}
      canNext={next !== null}
      busy={false}
      onPrevious={pager.previous}
      onNext={() => pager.next(next)}
      pageNumber={pager.pageNumber}
    >
      {`Page ${pager.pageNumber} at ${pager.cursor ?? 'first'}`}
    </Pagination>
  );
}

describe('Pagination with a cursor stack', () => {
  test('when the person pages forward twice and back once, then the cursors are followed in order', async () => {
    const user = userEvent.setup();
    render(<PagerHarness nextCursors={{ first: 'c1', c1: 'c2', c2: null }} />);
    expect(screen.getByTestId('pagination-previous')).toBeDisabled();

    await user.click(screen.getByTestId('pagination-next'));
    await user.click(screen.getByTestId('pagination-next'));
    expect(screen.getByTestId('pagination-page')).toHaveTextContent('Page 3 at c2');
    expect(screen.getByTestId('pagination-next')).toBeDisabled();

    await user.click(screen.getByTestId('pagination-previous'));
    expect(screen.getByTestId('pagination-page')).toHaveTextContent('Page 2 at c1');
  });
});

describe('ProblemAlert for operators', () => {
  test('when a 403 carries the API message and operators ask for it, then that message and the request id are shown', () => {
    render(
      <ProblemAlert
        problem={{ kind: 'forbidden', message: 'Repairs need the operator role.', requestId: 'req-7' }}
        testId="problem"
        preferServerMessage
        alwaysShowRequestId
      />,
    );
    expect(screen.getByTestId('problem')).toHaveTextContent('Repairs need the operator role.');
    expect(screen.getByTestId('problem-request-id')).toHaveTextContent('req-7');
  });

  test('when the web app shows the same 403, then its own sentence is used and the request id is not', () => {
    render(
      <ProblemAlert
        problem={{ kind: 'forbidden', message: 'Repairs need the operator role.', requestId: 'req-7' }}
        testId="problem"
      />,
    );
    expect(screen.getByTestId('problem')).toHaveTextContent('You do not have access to this.');
    expect(screen.queryByTestId('problem-request-id')).not.toBeInTheDocument();
  });

  test('when the server failed (5xx), then its text is never shown, even to operators', () => {
    render(
      <ProblemAlert
        problem={{ kind: 'unexpected', status: 500, code: 'internal_error', message: 'stack...', requestId: 'r' }}
        testId="problem"
        preferServerMessage
        alwaysShowRequestId
      />,
    );
    expect(screen.getByTestId('problem')).toHaveTextContent('Something went wrong on our side.');
  });
});
