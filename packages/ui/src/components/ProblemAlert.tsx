import { useEffect, useRef } from 'react';

import { formatTime } from '../format';
import { formatAmountText } from '../money';
import type { ApiProblem } from '../problems';
import { isRetryable } from '../problems';
import { RateLimitCountdown } from './RateLimitCountdown';

export interface DescribeOptions {
  /**
   * Show the API's own sentence where it has one the person can act on (a 403 that says which role is
   * needed, a 404 that names the record, a 409 that says why a repair does not apply). The web app keeps
   * its own fixed sentences; the operator console, whose readers know the system, prefers the API's.
   */
  preferServerMessage?: boolean;
}

/** One sentence a person can act on, for every problem an API call can have. */
export function describeProblem(problem: ApiProblem, options: DescribeOptions = {}): string {
  const server = options.preferServerMessage === true ? serverMessage(problem) : null;
  if (server !== null) return server;
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

/** The API's message when it speaks to the person: refusals (4xx), never a server failure's text. */
function serverMessage(problem: ApiProblem): string | null {
  switch (problem.kind) {
    case 'forbidden':
    case 'not_found':
      return problem.message;
    case 'unexpected':
      return problem.status >= 400 && problem.status < 500 ? problem.message : null;
    default:
      return null;
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
  message?: string | undefined;
  preferServerMessage?: boolean;
  /**
   * Quote the request id for every problem that has one, not only for unexpected ones: operators pass it
   * on to whoever reads the logs.
   */
  alwaysShowRequestId?: boolean;
  /**
   * Move focus to the alert when it appears: after a refused submit, a keyboard or screen-reader user is
   * taken to the reason instead of being left on the button with nothing said.
   */
  focusOnShow?: boolean;
}

export function ProblemAlert({
  problem,
  testId,
  onRetry,
  retryLabel = 'Retry',
  retrying = false,
  message,
  preferServerMessage = false,
  alwaysShowRequestId = false,
  focusOnShow = false,
}: ProblemAlertProps) {
  const requestId = 'requestId' in problem ? problem.requestId : null;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnShow) ref.current?.focus();
  }, [focusOnShow]);
  return (
    <div
      ref={ref}
      className="alert alert--error"
      role="alert"
      tabIndex={focusOnShow ? -1 : undefined}
      data-testid={testId}
      data-problem={problem.kind}
    >
      <p>
        {message === undefined && problem.kind === 'rate_limited' && problem.retryAtMs !== null ? (
          <RateLimitCountdown retryAtMs={problem.retryAtMs} onRetry={onRetry} />
        ) : (
          (message ?? describeProblem(problem, { preferServerMessage }))
        )}
      </p>
      {alwaysShowRequestId
        ? requestId !== null && (
            <p className="alert__meta">
              Request ID <code data-testid={`${testId}-request-id`}>{requestId}</code>
            </p>
          )
        : problem.kind === 'unexpected' && (
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
