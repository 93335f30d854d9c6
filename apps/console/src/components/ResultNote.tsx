import type { RepairResultWire } from '@paygate/contracts';
import { Link } from 'react-router';

/**
 * What an action did, in the API's words, with its outcome code and a link to its audit entry. A polite
 * live region, so a screen reader reads it once it appears.
 */
export function ResultNote({ result, testId }: { result: RepairResultWire; testId: string }) {
  const auditPath =
    result.payment === null ? '/audit' : `/audit?payment_id=${encodeURIComponent(String(result.payment.id))}`;
  return (
    <div className="result" role="status" data-testid={testId} data-outcome={result.outcome}>
      <p data-testid={`${testId}-message`}>{result.message}</p>
      <p className="result__meta">
        Outcome <code>{result.outcome}</code> · <Link to={auditPath}>audit entry #{result.audit_id}</Link>
      </p>
    </div>
  );
}
