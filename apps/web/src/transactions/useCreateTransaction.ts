import type { TransactionWire } from '@paygate/contracts';
import type { TransactionType } from '@paygate/domain/transaction-status';
import type { ApiProblem } from '@paygate/ui';
import { keepsIdempotencyKey, problemOf } from '@paygate/ui';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';

import { useSession } from '../session/session';
import { newIdempotencyKey } from './idempotency-key';

export type SubmissionState =
  | { status: 'idle' }
  | { status: 'sending'; amount: string }
  | { status: 'succeeded'; transaction: TransactionWire }
  | { status: 'failed'; amount: string; problem: ApiProblem };

interface Attempt {
  amount: string;
  idempotencyKey: string;
}

/**
 * Creates a deposit or withdrawal so that it happens at most once per intended submission:
 * - one Idempotency-Key per submission, kept while its outcome is unknown (network error, timeout, 5xx,
 *   409, 429) and sent again by "Retry" or by submitting the same amount again, so the API replays the
 *   first answer instead of creating a second transaction;
 * - a new key for a new submission: a different amount, or anything after a success or a definitive refusal;
 * - a second submit while one is in flight is ignored (a double click sends one request).
 */
export function useCreateTransaction(type: TransactionType) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [state, setState] = useState<SubmissionState>({ status: 'idle' });
  const attempt = useRef<Attempt | null>(null);
  // A ref, not state: two clicks in the same frame both run before React re-renders the disabled button.
  const inFlight = useRef(false);

  const submit = useCallback(
    /** Resolves true when this call created (or replayed) the transaction; a skipped double submit is false. */
    async (amount: string): Promise<boolean> => {
      if (inFlight.current) return false;
      inFlight.current = true;
      const current =
        attempt.current?.amount === amount ? attempt.current : { amount, idempotencyKey: newIdempotencyKey() };
      attempt.current = current;
      setState({ status: 'sending', amount });
      try {
        const transaction = await api.createTransaction(type, amount, current.idempotencyKey);
        attempt.current = null;
        setState({ status: 'succeeded', transaction });
        // The balance and the lists changed; these are the only refetches the dashboard makes on its own.
        void queryClient.invalidateQueries({ queryKey: ['balance'] });
        void queryClient.invalidateQueries({ queryKey: ['transactions'] });
        return true;
      } catch (error) {
        const problem = problemOf(error);
        if (!keepsIdempotencyKey(problem)) attempt.current = null;
        setState({ status: 'failed', amount, problem });
        return false;
      } finally {
        inFlight.current = false;
      }
    },
    [api, queryClient, type],
  );

  const retry = useCallback(() => {
    if (state.status === 'failed') void submit(state.amount);
  }, [state, submit]);

  const reset = useCallback(() => {
    if (!inFlight.current) setState({ status: 'idle' });
  }, []);

  return { state, submit, retry, reset };
}
