import type { ApiProblem } from '../api/problems';
import { isRetryable } from '../api/problems';
import { formatTime } from '../format';
import { formatAmountText } from '../money';

/** One sentence a person can act on, for every problem an API call can have. */
export function describeProblem(problem: ApiProblem): string {
  switch (problem.kind) {
    case 'network':
      return 'We could not reach Paygate. Check your connection and try again.';
    case 'timeout':
      return 'Paygate took too long to answer. Try again.';
    case 'unauthorized':
      return 'Your session has ended, please log in again';
    case 'forbidden':
      return 'You do not have access to this.';
    case 'not_found':
      return 'We could not find what you asked for.';
    case 'insufficient_balance':
      return problem.availableBalance === null || problem.currency === null
        ? 'Insufficient balance: your available balance is too low for this withdrawal.'
        : `Insufficient balance: you have ${formatAmountText(problem.availableBalance, problem.currency)} available.`;
    case 'rate_limited':
      return problem.retryAfterS === null || problem.retryAtMs === null
        ? 'Too many requests. Please wait a minute and try again.'
        : `Too many requests. Please try again in ${plural(problem.retryAfterS, 'second')} (at ${formatTime(new Date(problem.retryAtMs))}).`;
    case 'validation':
      return problem.fields.length > 0
        ? problem.fields.map((field) => `${field.field}: ${field.message}`).join(' ')
        : problem.message;
    case 'in_progress':
      return 'Paygate is still working on this request. Try again in a moment.';
    case 'unavailable':
      return 'Paygate is temporarily unavailable. Try again in a moment.';
    case 'unexpected':
      return 'Something went wrong on our side.';
  }
}

interface ProblemAlertProps {
  problem: ApiProblem;
  testId: string;
  /** Offered only for problems a retry can fix. */
  onRetry?: (() => void) | undefined;
  retryLabel?: string;
  retrying?: boolean;
  /** Replaces the standard sentence (for instance a 404 that names the transaction). */
  message?: string;
}

export function ProblemAlert({
  problem,
  testId,
  onRetry,
  retryLabel = 'Retry',
  retrying = false,
  message,
}: ProblemAlertProps) {
  const requestId = 'requestId' in problem ? problem.requestId : null;
  return (
    <div className="alert alert--error" role="alert" data-testid={testId} data-problem={problem.kind}>
      <p>{message ?? describeProblem(problem)}</p>
      {problem.kind === 'unexpected' && (
        <p className="alert__meta">
          {requestId === null
            ? 'If it keeps happening, contact support.'
            : 'If it keeps happening, contact support and quote request ID '}
          {requestId !== null && <code data-testid={`${testId}-request-id`}>{requestId}</code>}
          {requestId !== null && '.'}
        </p>
      )}
      {onRetry !== undefined && isRetryable(problem) && (
        <button
          type="button"
          className="button button--secondary"
          onClick={onRetry}
          disabled={retrying}
          data-testid={`${testId}-retry`}
        >
          {retrying ? 'Retrying…' : retryLabel}
        </button>
      )}
    </div>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
