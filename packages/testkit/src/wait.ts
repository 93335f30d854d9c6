/**
 * The one way tests wait: for a state, never for a guessed duration. `check` returns undefined until the
 * state is reached, then the value the test wants. The deadline only bounds a failing test; it is
 * generous, so a busy machine slows a test down instead of failing it.
 */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? WAIT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** How long a state may take to arrive before a test fails, unless it says otherwise. */
export const WAIT_TIMEOUT_MS = 60_000;
