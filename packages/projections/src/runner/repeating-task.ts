/**
 * Runs a task now, then again each interval after the last run ended, until stopped: the shape of
 * the schedules beside the projections (caseload alerts daily, audit heads every few seconds). The
 * task handles and logs its own failures; a rejection here is only ever the next run's to retry.
 */
export class RepeatingTask {
  readonly #task: () => Promise<void>;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(task: () => Promise<void>, intervalMs: number) {
    this.#task = task;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#stopped = false;
    const run = () => {
      this.#running = this.#task()
        .catch(() => undefined)
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(run, this.#intervalMs).unref();
        });
    };
    run();
  }

  /** Stops the repeats and waits for a run under way to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
