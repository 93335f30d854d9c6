import type { TransactionWire } from '@paygate/contracts';
import { formatAmountText, formatDateTimeZone, StatusBadge, TYPE_LABELS } from '@paygate/ui';
import { Link } from 'react-router';

import { transactionPath } from '../routes';

/** Transactions newest first; on narrow screens each row becomes a compact card (see .table--stack in the CSS). */
export function TransactionTable({
  items,
  caption,
  testId,
}: {
  items: readonly TransactionWire[];
  caption: string;
  testId: string;
}) {
  return (
    <table className="table table--stack" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Transaction</th>
          <th scope="col">Type</th>
          <th scope="col" className="numeric">
            Amount
          </th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr
            key={`${item.type}-${item.id}`}
            data-testid="transaction-row"
            data-transaction-id={item.id}
            data-status={item.status}
          >
            <td>
              <Link to={transactionPath(item.type, item.id)} aria-label={`${TYPE_LABELS[item.type]} #${item.id}`}>
                #{item.id}
              </Link>
            </td>
            <td>{TYPE_LABELS[item.type]}</td>
            <td className="numeric">{formatAmountText(item.amount, item.currency)}</td>
            <td>
              <StatusBadge status={item.status} />
            </td>
            <td>
              <time dateTime={item.created_at}>{formatDateTimeZone(item.created_at)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
