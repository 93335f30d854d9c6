/**
 * The web app's limits, in one place. Pages follow the live stream (GET /api/v1/events); only while it is
 * down do they poll, at rates well inside the web session's budgets (balance 60/min, lists 120/min).
 */
export interface Settings {
  /** Each API call is abandoned after this long and shown as a network problem the user can retry. */
  requestTimeoutMs: number;
  /** How often the detail page asks again while a transaction is pending or processing. */
  detailPollIntervalMs: number;
  /** The detail page stops polling after this long and offers a "Check again" button instead. */
  detailPollDurationMaxMs: number;
  /** Data younger than this is shown without refetching when the window regains focus. */
  staleTimeMs: number;
  /** A failed GET caused by the network is tried this many more times before the error is shown. */
  queryRetryCountMax: number;
  /** While the live stream is down, the balance and the lists are read again this often. */
  fallbackPollIntervalMs: number;
  /** After the live stream was refused, it is tried again this long after. */
  liveRetryMs: number;
  /** Rows on the dashboard's recent list and on each page of the full lists. */
  recentLimit: number;
  pageLimit: number;
}

export const DEFAULT_SETTINGS: Settings = {
  requestTimeoutMs: 15_000,
  detailPollIntervalMs: 2_000,
  detailPollDurationMaxMs: 10 * 60_000,
  staleTimeMs: 30_000,
  queryRetryCountMax: 2,
  fallbackPollIntervalMs: 10_000,
  liveRetryMs: 10_000,
  recentLimit: 10,
  pageLimit: 20,
};
