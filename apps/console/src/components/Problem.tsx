import type { ApiProblem } from '@paygate/ui';
import { ProblemAlert, problemOf } from '@paygate/ui';

import { CONTRACT_MISMATCH } from '../api/client';

interface ProblemProps {
  error: unknown;
  testId: string;
  onRetry?: (() => void) | undefined;
  retrying?: boolean;
  /** Replaces the sentence, e.g. for a 404 that names the payment. */
  message?: string | undefined;
}

/**
 * An API problem as operators see it: the API's own sentence when it refuses something (it says which role
 * is needed, or why a repair does not apply), and always the request id, to quote when asking for help or
 * to find the request in the logs.
 */
export function Problem({ error, testId, onRetry, retrying = false, message }: ProblemProps) {
  const problem = problemOf(error);
  return (
    <ProblemAlert
      problem={problem}
      testId={testId}
      onRetry={onRetry}
      retrying={retrying}
      message={message ?? contractMessage(problem)}
      preferServerMessage
      alwaysShowRequestId
    />
  );
}

function contractMessage(problem: ApiProblem): string | undefined {
  if (problem.kind !== 'unexpected' || problem.code !== CONTRACT_MISMATCH || problem.message === null) return undefined;
  return `${problem.message} The console and the API disagree: report this with the request id.`;
}
