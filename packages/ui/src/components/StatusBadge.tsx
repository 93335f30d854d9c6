import type { TransactionStatus } from '@paygate/domain/transaction-status';

import { STATUS_LABELS } from '../format';

/** A status as a word and a colour (never the colour alone), with a stable hook for tests. */
export function StatusBadge({ status }: { status: TransactionStatus }) {
  return (
    <span className={`badge badge--${status}`} data-testid="status-badge" data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
