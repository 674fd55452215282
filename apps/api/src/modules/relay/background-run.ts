/**
 * One background job at a time (test all channels, refresh all balances), optionally started
 * every few minutes. Its timers never keep the process alive, and stop() (at shutdown) aborts the
 * job's signal, cuts its pauses short and waits for it to end.
 */
export class BackgroundRun {
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly stopping = new AbortController();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Aborted by stop(): a job checks it between steps and passes it to its upstream calls. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Starts `job` now; false (and nothing started) while another job runs or after stop(). */
  start(job: () => Promise<void>): boolean {
    if (this.running || this.stopping.signal.aborted) return false;
    this.running = job()
      .catch((error: unknown) => this.onError(error))
      .finally(() => (this.running = null));
    return true;
  }

  /** Calls `tick` every `minutes` (never when minutes ≤ 0). */
  repeat(minutes: number, tick: () => void): void {
    if (minutes <= 0 || this.timer || this.stopping.signal.aborted) return;
    this.timer = setInterval(tick, minutes * 60_000);
    this.timer.unref();
  }

  /** Waits `ms` between the steps of a job; stop() ends the wait at once. */
  pause(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.running;
  }
}
