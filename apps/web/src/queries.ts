import type { TransactionDetailWire } from '@paygate/contracts';
import type { TransactionStatus, TransactionType } from '@paygate/domain/transaction-status';
import { isTerminal } from '@paygate/domain/transaction-status';
import { problemOf } from '@paygate/ui';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

import { useSettings } from './deps';
import { useSession } from './session/session';
import type { Settings } from './settings';

/**
 * Every read the app makes, with its cache key. Keys start with what a write invalidates: a new
 * transaction invalidates ['balance'] and ['transactions'].
 */

export function useBalance(userId: number) {
  const { api } = useSession();
  return useQuery({ queryKey: ['balance', userId], queryFn: ({ signal }) => api.getBalance(userId, signal) });
}

export function useRecentTransactions(userId: number) {
  const { api } = useSession();
  const { recentLimit } = useSettings();
  return useQuery({
    queryKey: ['transactions', 'recent', userId],
    queryFn: ({ signal }) => api.listUserTransactions(userId, { limit: recentLimit }, signal),
  });
}

export function useTransactionPage(
  type: TransactionType,
  status: TransactionStatus | undefined,
  cursor: string | undefined,
) {
  const { api } = useSession();
  const { pageLimit } = useSettings();
  return useQuery({
    queryKey: ['transactions', type, { status: status ?? 'all', cursor: cursor ?? null }],
    queryFn: ({ signal }) => api.listTransactions(type, { limit: pageLimit, cursor, status }, signal),
    // The old page stays on screen (marked busy) while the next one loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });
}

/**
 * One transaction, polled while it can still change: every `detailPollIntervalMs` while pending or
 * processing, never once it is terminal, and not past `detailPollDurationMaxMs` (the page then offers
 * "Check again"). A 429 stretches the next poll to the API's Retry-After.
 */
export function useTransactionDetail(type: TransactionType, id: number) {
  const { api } = useSession();
  const settings = useSettings();
  const queryClient = useQueryClient();
  const [pollExpired, setPollExpired] = useState(false);

  useEffect(() => {
    if (pollExpired) return undefined;
    const timer = setTimeout(() => setPollExpired(true), settings.detailPollDurationMaxMs);
    return () => clearTimeout(timer);
  }, [pollExpired, settings.detailPollDurationMaxMs]);

  const query = useQuery({
    queryKey: ['transaction', type, id],
    queryFn: ({ signal }) => api.getTransaction(type, id, signal),
    staleTime: (current) => (isSettled(current.state.data) ? Infinity : 0),
    refetchInterval: (current) => (pollExpired ? false : nextPollMs(current.state.data, current.state.error, settings)),
  });

  // When the outcome arrives, the balance and the lists are out of date (refetched when next shown).
  const status = query.data?.status;
  const seenOpen = useRef(false);
  useEffect(() => {
    if (status === undefined) return;
    if (!isTerminal(status)) seenOpen.current = true;
    else if (seenOpen.current) {
      seenOpen.current = false;
      void queryClient.invalidateQueries({ queryKey: ['balance'] });
      void queryClient.invalidateQueries({ queryKey: ['transactions'] });
    }
  }, [status, queryClient]);

  const polling = !pollExpired && query.data !== undefined && !isSettled(query.data);
  const checkAgain = () => {
    setPollExpired(false);
    void query.refetch();
  };
  return { query, polling, pollExpired: pollExpired && !isSettled(query.data), checkAgain };
}

function isSettled(transaction: TransactionDetailWire | undefined): boolean {
  return transaction !== undefined && isTerminal(transaction.status);
}

function nextPollMs(data: TransactionDetailWire | undefined, error: Error | null, settings: Settings): number | false {
  if (isSettled(data)) return false;
  const problem = error === null ? null : problemOf(error);
  if (problem?.kind === 'rate_limited' && problem.retryAfterS !== null) {
    return Math.max(settings.detailPollIntervalMs, problem.retryAfterS * 1000);
  }
  if (problem?.kind === 'not_found' || problem?.kind === 'forbidden') return false;
  return settings.detailPollIntervalMs;
}
