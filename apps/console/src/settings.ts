/**
 * The console's limits, in one place. Operators watch the overview during incidents, so it refreshes by
 * itself; every other page is read when opened, on window focus when older than the stale time, and on
 * "Refresh".
 */
export interface Settings {
  /** Each API call is abandoned after this long and shown as a problem the operator can retry. */
  requestTimeoutMs: number;
  /** How often the overview asks again while it is on screen (react-query's refetchInterval). */
  overviewRefreshMs: number;
  /** Data younger than this is shown without refetching when the window regains focus. */
  staleTimeMs: number;
  /** A failed GET caused by the network is tried this many more times before the error is shown. */
  queryRetryCountMax: number;
  /** Rows on each page of the lists (the operator API allows 1..100). */
  pageLimit: number;
}

/** The overview refreshes every 10 s: fresh enough to watch an incident, light on the API (6 reads a minute). */
export const OVERVIEW_REFRESH_MS = 10_000;

export const DEFAULT_SETTINGS: Settings = {
  requestTimeoutMs: 15_000,
  overviewRefreshMs: OVERVIEW_REFRESH_MS,
  staleTimeMs: 10_000,
  queryRetryCountMax: 2,
  pageLimit: 25,
};
