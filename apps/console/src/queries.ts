import type { RepairAction } from '@paygate/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { useSettings } from './deps';
import type { AuditFilters, PaymentFilters } from './filters';
import { useSession } from './session';

/**
 * Every read and write the console makes, with its cache key. A write invalidates what it changes: a
 * repair the payment, the lists, the overview and the audit log.
 */

export type DeadLetterState = 'all' | 'waiting' | 'replayed';

export function useOverview() {
  const { api } = useSession();
  const { overviewRefreshMs } = useSettings();
  return useQuery({
    queryKey: ['overview'],
    queryFn: ({ signal }) => api.overview(signal),
    // The one page that watches by itself; paused while the tab is in the background.
    refetchInterval: overviewRefreshMs,
    refetchIntervalInBackground: false,
  });
}

export function usePayments(filters: PaymentFilters, cursor: string | undefined) {
  const { api } = useSession();
  const { pageLimit } = useSettings();
  return useQuery({
    queryKey: ['payments', filters, cursor ?? null],
    queryFn: ({ signal }) => api.payments(filters, { limit: pageLimit, cursor }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePaymentStory(id: number) {
  const { api } = useSession();
  return useQuery({ queryKey: ['payment', id], queryFn: ({ signal }) => api.paymentStory(id, signal) });
}

export function useRepair(paymentId: number) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: RepairAction; reason: string }) => api.repair(paymentId, action, reason),
    onSettled: () => invalidate(queryClient, [['payment', paymentId], ['payments'], ['overview'], ['audit']]),
  });
}

export function useDeadLetters(state: DeadLetterState, cursor: string | undefined) {
  const { api } = useSession();
  const { pageLimit } = useSettings();
  return useQuery({
    queryKey: ['dead-letters', state, cursor ?? null],
    queryFn: ({ signal }) => api.deadLetters(state, { limit: pageLimit, cursor }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useReplayDeadLetter() {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => api.replayDeadLetter(id, reason),
    onSettled: () => invalidate(queryClient, [['dead-letters'], ['payment'], ['payments'], ['overview'], ['audit']]),
  });
}

export function useUsers(search: string | undefined, cursor: string | undefined) {
  const { api } = useSession();
  const { pageLimit } = useSettings();
  return useQuery({
    queryKey: ['users', search ?? null, cursor ?? null],
    queryFn: ({ signal }) => api.users(search, { limit: pageLimit, cursor }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUserDetail(id: number) {
  const { api } = useSession();
  return useQuery({ queryKey: ['user', id], queryFn: ({ signal }) => api.user(id, signal) });
}

export function useIssueKey(userId: number) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api.issueKey(userId, reason),
    onSettled: () => invalidate(queryClient, [['user', userId], ['users'], ['audit']]),
  });
}

export function useRevokeKey(userId: number) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ prefix, reason }: { prefix: string; reason: string }) => api.revokeKey(userId, prefix, reason),
    onSettled: () => invalidate(queryClient, [['user', userId], ['users'], ['audit']]),
  });
}

export function useLedgerCheck() {
  const { api } = useSession();
  return useQuery({ queryKey: ['ledger'], queryFn: ({ signal }) => api.ledger(signal) });
}

export function useAudit(filters: AuditFilters, cursor: string | undefined) {
  const { api } = useSession();
  const { pageLimit } = useSettings();
  return useQuery({
    queryKey: ['audit', filters, cursor ?? null],
    queryFn: ({ signal }) => api.audit(filters, { limit: pageLimit, cursor }, signal),
    placeholderData: keepPreviousData,
  });
}

async function invalidate(
  queryClient: ReturnType<typeof useQueryClient>,
  keys: readonly (readonly unknown[])[],
): Promise<void> {
  await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
