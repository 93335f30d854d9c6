/** Goal: every status reads as a word (not a colour alone) and carries a stable hook for browser tests. */
import { TRANSACTION_STATUSES } from '@paygate/domain/transaction-status';
import { StatusBadge } from '@paygate/ui';
import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';

const EXPECTED = { pending: 'Pending', processing: 'Processing', success: 'Success', failed: 'Failed' } as const;

describe('StatusBadge', () => {
  test.each(TRANSACTION_STATUSES)('when the status is %s, then it shows its label and its status class', (status) => {
    render(<StatusBadge status={status} />);

    const badge = screen.getByTestId('status-badge');
    expect(badge).toHaveTextContent(EXPECTED[status]);
    expect(badge).toHaveAttribute('data-status', status);
    expect(badge).toHaveClass('badge', `badge--${status}`);
  });

  test('when all four are shown, then each label is different', () => {
    render(
      <>
        {TRANSACTION_STATUSES.map((status) => (
          <StatusBadge key={status} status={status} />
        ))}
      </>,
    );
    const labels = screen.getAllByTestId('status-badge').map((badge) => badge.textContent);
    expect(new Set(labels).size).toBe(TRANSACTION_STATUSES.length);
  });
});
