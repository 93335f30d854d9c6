import type { Logger } from './logger';

/**
 * Runs a task every `intervalMs`, never two at once: the next run is scheduled when the last one ends, so a
 * slow run (a bank that answers slowly) delays the next instead of piling runs up. `stop` waits for the
 * run in progress, if any.
 */
export class Periodic {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #isStopped = true;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.#isStopped = false;
    this.#schedule();
  }

  /** Runs the task now (or waits for the run in progress) and resolves when it is done. */
  async runNow(): Promise<void> {
    if (this.#running) return this.#running;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    if (this.#isStopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.runNow().finally(() => this.#schedule());
    }, this.intervalMs);
  }

  async #run(): Promise<void> {
    try {
      await this.task();
    } catch (error) {
      this.logger.warn({ err: error, task: this.name }, 'periodic task failed; it runs again at the next interval');
    }
  }
}
