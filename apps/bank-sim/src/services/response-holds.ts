/**
 * The "timeout" scenario: the order is accepted, but the answer is held back for BANK_HANG_MS, longer than
 * the caller waits. Holds end early when the client hangs up or the bank stops, so shutdown is not blocked
 * by sockets nobody listens to.
 */
export class ResponseHolds {
  readonly #releases = new Set<() => void>();

  get heldCount(): number {
    return this.#releases.size;
  }

  wait(holdMs: number, clientGone: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        clientGone.removeEventListener('abort', release);
        this.#releases.delete(release);
        resolve();
      };
      const timer = setTimeout(release, holdMs);
      this.#releases.add(release);
      if (clientGone.aborted) release();
      else clientGone.addEventListener('abort', release, { once: true });
    });
  }

  releaseAll(): void {
    for (const release of [...this.#releases]) release();
  }
}
