import type { BalanceWire, TransactionPage, TransactionWire } from '@paygate/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createContext, use, useEffect, useState } from 'react';

import type { AppDeps } from '../deps';
import { useUser } from '../session/session';

/**
 * Live updates: one EventSource per logged-in tab on GET /api/v1/events (the session cookie goes with it).
 * `transaction.updated` puts the new state of a transaction into every cached list that shows it and
 * refreshes its detail; a transaction no list knows yet (made elsewhere) refreshes the lists;
 * `balance.updated` replaces the cached balance. While the stream is down (no EventSource, a refused or
 * dropped connection) the pages poll instead (`useLiveStatus().live === false`), slowly enough to stay
 * inside the session's rate budgets, and the stream is tried again.
 */

export type LiveState = 'connecting' | 'live' | 'down';

const LiveContext = createContext<LiveState>('down');

export function useLiveState(): LiveState {
  return use(LiveContext);
}

export function LiveUpdates({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  const userId = useUser().id;
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>(() => (hasEventSource() ? 'connecting' : 'down'));

  useEffect(() => {
    if (!hasEventSource()) return undefined;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    const connect = () => {
      source = new EventSource(`${deps.baseUrl}/api/v1/events`);
      source.onopen = () => {
        // After an outage the lists may have missed changes the stream will not repeat: read them again.
        if (opened) void queryClient.invalidateQueries({ queryKey: ['transactions'] });
        opened = true;
        setState('live');
      };
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) {
          // Refused (429, 401, 5xx): the browser gives up; so try again later, and poll meanwhile.
          setState('down');
          retry = setTimeout(connect, deps.settings.liveRetryMs);
        } else {
          setState('connecting');
        }
      };
      source.addEventListener('transaction.updated', (event) => {
        const transaction = parse(event) as TransactionWire | undefined;
        if (transaction !== undefined) applyTransaction(queryClient, transaction);
      });
      source.addEventListener('balance.updated', (event) => {
        const balance = parse(event) as BalanceWire | undefined;
        if (balance !== undefined) queryClient.setQueryData(['balance', userId], balance);
      });
    };
    connect();
    return () => {
      if (retry !== undefined) clearTimeout(retry);
      source?.close();
    };
  }, [deps.baseUrl, deps.settings.liveRetryMs, queryClient, userId]);

  return <LiveContext value={state}>{children}</LiveContext>;
}

/** The new state of one transaction, everywhere it is cached. */
function applyTransaction(queryClient: QueryClient, transaction: TransactionWire): void {
  // The confirmation shown after a submission (useLatestTransaction), when this tab made it.
  if (queryClient.getQueryData(['latest', transaction.id]) !== undefined) {
    queryClient.setQueryData(['latest', transaction.id], transaction);
  }
  const seen = { known: false };
  queryClient.setQueriesData<TransactionPage>({ queryKey: ['transactions'] }, (page) => {
    if (page?.items === undefined || !page.items.some((item) => item.id === transaction.id)) return page;
    seen.known = true;
    return { ...page, items: page.items.map((item) => (item.id === transaction.id ? transaction : item)) };
  });
  if (!seen.known) void queryClient.invalidateQueries({ queryKey: ['transactions'] });
  // The detail page shows the audit trail too, which the event does not carry: read it again.
  void queryClient.invalidateQueries({ queryKey: ['transaction', transaction.type, transaction.id] });
}

/** The event's JSON; the server wrote it with the contracts' encoders, so its shape is trusted. */
function parse(event: MessageEvent<unknown>): unknown {
  if (typeof event.data !== 'string') return undefined;
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    return undefined;
  }
}

function hasEventSource(): boolean {
  return typeof EventSource !== 'undefined';
}

const LIVE_LABELS: Record<LiveState, { text: string; title: string }> = {
  live: { text: 'Live', title: 'Balances and transactions update by themselves as they change.' },
  connecting: { text: 'Connecting…', title: 'Reconnecting to live updates.' },
  down: {
    text: 'Updates every few seconds',
    title: 'Live updates are unavailable; the page checks regularly instead.',
  },
};

/** The small sign that the pages follow changes by themselves. */
export function LiveIndicator() {
  const state = useLiveState();
  const label = LIVE_LABELS[state];
  return (
    <span className={`live live--${state}`} data-testid="live-status" data-state={state} title={label.title}>
      <span className="live__dot" aria-hidden="true" />
      {label.text}
    </span>
  );
}
