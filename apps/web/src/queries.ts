import type { TransactionDetailWire, TransactionWire } from '@paygate/contracts';
import type { TransactionType } from '@paygate/domain/transaction-status';
import { isTerminal } from '@paygate/domain/transaction-status';
import { problemOf } from '@paygate/ui';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

import { useSettings } from './deps';
import { useLiveState } from './live/live';
import { useSession } from './session/session';
import type { Settings } from './settings';
import type { ListFilterQuery } from './transactions/list-filters';

/**
 * Every read the app makes, with its cache key. Keys start with what a write invalidates: a new
 * transaction invalidates ['balance'] and ['transactions'].
 */

export function useBalance(userId: number) {
  const { api } = useSession();
  const refetchInterval = useFallbackPoll();
  return useQuery({
    queryKey: ['balance', userId],
    queryFn: ({ signal }) => api.getBalance(userId, signal),
    refetchInterval,
  });
}

export function useRecentTransactions(userId: number) {
  const { api } = useSession();
  const { recentLimit } = useSettings();
  const refetchInterval = useFallbackPoll();
  return useQuery({
    queryKey: ['transactions', 'recent', userId],
    queryFn: ({ signal }) => api.listUserTransactions(userId, { limit: recentLimit }, signal),
    refetchInterval,
  });
}

/**
 * A transaction just created, as it is now: the create answer at first, then whatever the live stream says
 * (live/live.tsx writes its changes here), or a slow poll while the stream is down and it can still change.
 */
export function useLatestTransaction(created: TransactionWire) {
  const { api } = useSession();
  const live = useLiveState();
  const { fallbackPollIntervalMs } = useSettings();
  return useQuery<TransactionWire>({
    queryKey: ['latest', created.id],
    queryFn: ({ signal }) => api.getTransaction(created.type, created.id, signal),
    initialData: created,
    staleTime: Infinity,
    refetchInterval: (query) =>
      live === 'down' && !isTerminal(query.state.data?.status ?? created.status) ? fallbackPollIntervalMs : false,
  });
}

/** No polling while the live stream delivers; a slow poll while it is down, stopped by a 429 until retried. */
function useFallbackPoll(): (query: { state: { error: Error | null } }) => number | false {
  const live = useLiveState();
  const { fallbackPollIntervalMs } = useSettings();
  return (query) => {
    if (live !== 'down') return false;
    if (query.state.error !== null && problemOf(query.state.error).kind === 'rate_limited') return false;
    return fallbackPollIntervalMs;
  };
}

export function useTransactionPage(type: TransactionType, filters: ListFilterQuery, cursor: string | undefined) {
  const { api } = useSession();
  const { pageLimit } = useSettings();
  const refetchInterval = useFallbackPoll();
  return useQuery({
    queryKey: ['transactions', type, { ...filters, cursor: cursor ?? null }],
    queryFn: ({ signal }) => api.listTransactions(type, { limit: pageLimit, cursor, ...filters }, signal),
    refetchInterval,
    // The old page stays on screen (marked busy) while the next one loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });
}

/**
 * One transaction. While the live stream delivers, its changes refresh it; while the stream is down it is
 * polled while it can still change: every `detailPollIntervalMs` while pending or processing, never once
 * it is terminal, and not past `detailPollDurationMaxMs` (the page then offers "Check again"). A 429
 * stretches the next poll to the API's Retry-After.
 */
export function useTransactionDetail(type: TransactionType, id: number) {
  const { api } = useSession();
  const settings = useSettings();
  const queryClient = useQueryClient();
  const live = useLiveState() === 'live';
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
    refetchInterval: (current) =>
      pollExpired || live ? false : nextPollMs(current.state.data, current.state.error, settings),
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

  const polling = !live && !pollExpired && query.data !== undefined && !isSettled(query.data);
  const checkAgain = () => {
    setPollExpired(false);
    void query.refetch();
  };
  return { query, polling, pollExpired: !live && pollExpired && !isSettled(query.data), checkAgain };
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
