/**
 * The V8 heap limit every Node app runs with (api, worker, bank-sim), in MB of old space.
 *
 * Why a limit at all: V8 sizes its heap growth from the limit, and on a host with 24 GiB its default limit
 * is about 4 GB, so the API let promoted garbage pile up to ~100 MB of old space between major collections
 * (live heap ~23 MB) and reached 190-207 MB RSS under `pnpm bench api`. With a 256 MB limit the same load
 * peaks at ~130 MB RSS for the same CPU per request (measured side by side, README "Benchmarks"). 256 MB is
 * ten times the live heap: every request body, page and event stream is already bounded by config, so
 * reaching it means a leak, which then restarts the process instead of swapping the host.
 */
const NODE_HEAP_MAX_MB = 256;

/** On the command line before the script (package.json `start`, `pnpm start`, the test stack, `pnpm bench`); the
 * images set it in NODE_OPTIONS, which an operator may override. */
export const NODE_HEAP_FLAG = `--max-old-space-size=${NODE_HEAP_MAX_MB}`;
