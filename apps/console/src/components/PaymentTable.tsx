import type { AdminPaymentWire } from '@paygate/contracts';
import { formatAmountText, StatusBadge, TYPE_LABELS } from '@paygate/ui';
import { Link } from 'react-router';

import { paymentPath, userPath } from '../paths';
import { Time } from './Time';

/** Payments, newest first; scrolls sideways inside its card on narrow screens. */
export function PaymentTable({
  items,
  caption,
  testId,
  showUser = true,
}: {
  items: readonly AdminPaymentWire[];
  caption: string;
  testId: string;
  showUser?: boolean;
}) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Payment</th>
            <th scope="col">Type</th>
            <th scope="col" className="numeric">
              Amount
            </th>
            <th scope="col">Status</th>
            {showUser && <th scope="col">User</th>}
            <th scope="col">Bank reference</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} data-testid="payment-row" data-payment-id={item.id} data-status={item.status}>
              <td>
                <Link to={paymentPath(item.id)} aria-label={`Payment #${item.id}`}>
                  #{item.id}
                </Link>
              </td>
              <td>{TYPE_LABELS[item.type]}</td>
              <td className="numeric">{formatAmountText(item.amount, item.currency)}</td>
              <td>
                <StatusBadge status={item.status} />
              </td>
              {showUser && (
                <td className="cell-ellipsis">
                  <Link to={userPath(item.user_id)} className="link-plain">
                    {item.user_email}
                  </Link>
                </td>
              )}
              <td className="mono">{item.bank_reference ?? <span className="muted">—</span>}</td>
              <td className="nowrap">
                <Time iso={item.created_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
