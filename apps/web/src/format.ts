/** Words for the web app's own records; the shared ones (dates, statuses, types) are in @paygate/ui. */

/**
 * What each recorded cause means, in the end user's words. A cause this list does not know gets a plain
 * sentence: internal codes (worker.retry_horizon, ...) are for operators, never on the end user's screen.
 */
const CAUSE_LABELS: Record<string, string> = {
  'api.create': 'Accepted by Paygate',
  'worker.submit': 'Sent to the bank',
  'worker.failed': 'Could not be sent to the bank',
  'bank.webhook': 'Bank reported the outcome',
  'bank.callback': 'Bank reported the outcome',
  reconciliation: 'Outcome confirmed with the bank',
  'worker.reconcile': 'Outcome confirmed with the bank',
  'worker.bank_order': 'Bank reported the outcome',
  'worker.bank_rejected': 'The bank refused the payment',
  'worker.retry_horizon': 'The bank could not be reached for too long',
  'operator.fail': 'Stopped by our support team',
};

export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? 'Status updated';
}
