/**
 * How a failure reported by the bank (in a webhook or an order's status) is recorded on the transaction:
 * a stable error_code built from the bank's reason when it is a plain snake_case word
 * (insufficient_funds -> bank_insufficient_funds), else `bank_failed`, plus a sentence a person can read.
 * The API's webhook handler and the worker's reconciler both use it, so the same failure reads the same.
 */

export interface BankFailure {
  code: string;
  message: string;
}

const REASON = /^[a-z][a-z0-9_]{0,40}$/;

const MESSAGES: Record<string, string> = {
  insufficient_funds: 'The bank refused the payment: insufficient funds.',
  declined: 'The bank declined the payment.',
  account_closed: 'The bank refused the payment: the account is closed.',
};

export function bankFailure(reason: string | null | undefined): BankFailure {
  const text = (reason ?? '').trim();
  if (REASON.test(text))
    return { code: `bank_${text}`, message: MESSAGES[text] ?? `The bank refused the payment (${text}).` };
  if (text.length === 0) return { code: 'bank_failed', message: 'The bank refused the payment.' };
  return { code: 'bank_failed', message: `The bank refused the payment: ${text.slice(0, 300)}` };
}
