import type { TransactionWire } from '@paygate/contracts';
import type { TransactionType } from '@paygate/domain/transaction-status';
import type { ApiProblem } from '@paygate/ui';
import { checkAmountInput, formatAmountText, ProblemAlert, StatusBadge, TYPE_LABELS } from '@paygate/ui';
import type { SubmitEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { AmountField } from '../components/AmountField';
import { useLatestTransaction } from '../queries';
import { transactionPath } from '../routes';
import { useCreateTransaction } from './useCreateTransaction';

const WORDING: Record<TransactionType, { title: string; label: string; action: string; sending: string }> = {
  deposit: { title: 'Deposit', label: 'Amount to deposit', action: 'Deposit', sending: 'Depositing…' },
  withdrawal: { title: 'Withdraw', label: 'Amount to withdraw', action: 'Withdraw', sending: 'Withdrawing…' },
};

/** The quick deposit or withdrawal form: checks the amount like the API, then submits it exactly once. */
export function CreateTransactionForm({ type, currency }: { type: TransactionType; currency: string }) {
  const id = useId();
  const wording = WORDING[type];
  const [amountText, setAmountText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const { state, submit, retry, reset } = useCreateTransaction(type);
  const sending = state.status === 'sending';
  const problem = state.status === 'failed' ? state.problem : null;
  const serverFieldError = problem === null ? null : amountIssue(problem);
  const amountInput = useRef<HTMLInputElement>(null);
  // An amount the API refused is said under the field, so focus goes to the field, which reads it out
  // (any other refusal focuses its alert, see ProblemAlert's focusOnShow).
  useEffect(() => {
    if (serverFieldError !== null) amountInput.current?.focus();
  }, [serverFieldError]);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    const check = checkAmountInput(amountText);
    if (!check.ok) {
      setInputError(check.message);
      return;
    }
    setInputError(null);
    void submit(check.amount).then((succeeded) => {
      if (succeeded) setAmountText('');
    });
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid={`${type}-form`}>
      <h2 id={`${id}-title`} className="card__title">
        {wording.title}
      </h2>
      <form noValidate onSubmit={onSubmit}>
        <AmountField
          id={`${id}-amount`}
          label={`${wording.label} (${currency})`}
          currency={currency}
          value={amountText}
          error={inputError ?? serverFieldError}
          testId={`${type}-amount`}
          inputRef={amountInput}
          onChange={(value) => {
            setAmountText(value);
            setInputError(null);
            // A changed amount is a new submission: the old answer no longer applies.
            if (state.status === 'failed' || state.status === 'succeeded') reset();
          }}
        />
        <button
          type="submit"
          className="button button--primary"
          disabled={sending}
          aria-disabled={sending}
          data-testid={`${type}-submit`}
        >
          {sending ? wording.sending : wording.action}
        </button>
      </form>
      {problem !== null && serverFieldError === null && (
        <ProblemAlert
          problem={problem}
          testId={`${type}-error`}
          focusOnShow
          onRetry={retry}
          retryLabel={
            state.status === 'failed'
              ? `Retry ${TYPE_LABELS[type].toLowerCase()} of ${formatAmountText(state.amount, currency)}`
              : 'Retry'
          }
        />
      )}
      <div aria-live="polite" role="status" className="result-slot">
        {state.status === 'succeeded' && (
          <div className="result" data-testid={`${type}-result`} data-transaction-id={state.transaction.id}>
            <p>
              {TYPE_LABELS[type]} #{state.transaction.id} of{' '}
              {formatAmountText(state.transaction.amount, state.transaction.currency)} accepted{' '}
              <LatestStatus created={state.transaction} />
            </p>
            <Link to={transactionPath(type, state.transaction.id)} data-testid={`${type}-result-link`}>
              View {TYPE_LABELS[type].toLowerCase()} #{state.transaction.id}
            </Link>
          </div>
        )}
      </div>
    </section>
  );
}

/** The confirmation's status follows the transaction as it settles. */
function LatestStatus({ created }: { created: TransactionWire }) {
  const latest = useLatestTransaction(created);
  return <StatusBadge status={latest.data.status} />;
}

/** A 422 about the amount belongs next to the field, not in a banner. */
function amountIssue(problem: ApiProblem): string | null {
  if (problem.kind !== 'validation') return null;
  const issue = problem.fields.find((field) => field.field === 'amount' || field.field.endsWith('.amount'));
  if (issue === undefined) return null;
  const others = problem.fields.filter((field) => field !== issue);
  return others.length === 0 ? sentence(issue.message) : null;
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
