/**
 * The web app's limits, in one place. Rates are chosen to stay well inside the API's per-user limits
 * (balance 10/min, history and lists 20/min): the dashboard never polls, only the detail page does.
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
  recentLimit: 10,
  pageLimit: 20,
};
