/**
 * Group commit: items added while a write is in progress wait and go out together in the next write, so
 * many small results cost one statement, and an idle writer writes at once.
 */
export class BatchWriter<T> {
  #pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #isWriting = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly batchSizeMax: number,
  ) {}

  /** Resolves once the item is written; rejects with the write's error. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (!this.#isWriting) void this.#writeAll();
    });
  }

  async #writeAll(): Promise<void> {
    this.#isWriting = true;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.batchSizeMax);
      try {
        await this.write(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#isWriting = false;
  }
}
