/** Words for the web app's own records; the shared ones (dates, statuses, types) are in @paygate/ui. */

/** What each recorded cause means; a cause this list does not know is shown as it is. */
const CAUSE_LABELS: Record<string, string> = {
  'api.create': 'Accepted by Paygate',
  'worker.submit': 'Sent to the bank',
  'worker.failed': 'Could not be sent to the bank',
  'bank.webhook': 'Bank reported the outcome',
  'bank.callback': 'Bank reported the outcome',
  reconciliation: 'Outcome confirmed with the bank',
  'worker.reconcile': 'Outcome confirmed with the bank',
};

export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause;
}
