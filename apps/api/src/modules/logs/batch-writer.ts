/**
 * Buffers rows in memory and writes them in multi-row batches: on a timer, as soon as enough rows
 * wait, and on `flush()`. Pure (no Nest, no database) so its rules can be tested with fake timers.
 *
 * Writes are serialised: a flush waits for the previous one, so `flush()` at shutdown returns only
 * after every row handed to `add()` before it has been written or reported as failed.
 */
export interface BatchWriterOptions {
  /** Longest time a row waits before its batch is written. */
  flushIntervalMs: number;
  /** A flush starts at once when this many rows are waiting. */
  flushAtRows: number;
  /** Rows per write call (one INSERT); keep rows × columns below the database's parameter limit. */
  chunkRows: number;
  /** Rows waiting beyond this are dropped (counted) so a stalled database cannot exhaust memory. */
  maxPendingRows: number;
}

export interface BatchWriterHooks<T> {
  /** Writes one chunk; rejects if nothing of it was written. */
  write(rows: T[]): Promise<void>;
  /** Told about rows that could not be written (after a row-by-row retry) or were dropped. */
  onLost?(error: unknown, rows: T[]): void;
  /** Timer functions; tests may pass fakes. */
  setTimer?(callback: () => void, ms: number): unknown;
  clearTimer?(timer: unknown): void;
}

export const DEFAULT_BATCH_WRITER_OPTIONS: BatchWriterOptions = {
  flushIntervalMs: 1000,
  flushAtRows: 200,
  chunkRows: 50,
  maxPendingRows: 100_000,
};

export class BatchWriter<T> {
  private pending: T[] = [];
  private timer: unknown = null;
  private chain: Promise<void> = Promise.resolve();
  /** A flush that is queued but has not started; later flush() calls join it. */
  private queued: Promise<void> | null = null;
  private closed = false;
  private dropped = 0;
  private readonly options: BatchWriterOptions;

  constructor(
    private readonly hooks: BatchWriterHooks<T>,
    options: Partial<BatchWriterOptions> = {},
  ) {
    this.options = { ...DEFAULT_BATCH_WRITER_OPTIONS, ...options };
    if (this.options.chunkRows < 1 || this.options.flushAtRows < 1) throw new Error('chunkRows and flushAtRows must be at least 1');
  }

  /** Rows waiting to be written. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Rows dropped because the buffer was full. */
  get droppedCount(): number {
    return this.dropped;
  }

  add(row: T): void {
    if (this.pending.length >= this.options.maxPendingRows) {
      this.dropped++;
      this.hooks.onLost?.(new Error('batch buffer is full'), [row]);
      return;
    }
    this.pending.push(row);
    // After close() nothing waits for a timer: late rows (requests still finishing) go out at once.
    if (this.closed || this.pending.length >= this.options.flushAtRows) {
      void this.flush();
    } else if (this.timer === null) {
      this.timer = this.setTimer(() => {
        this.timer = null;
        void this.flush();
      }, this.options.flushIntervalMs);
    }
  }

  /** Writes everything added so far; resolves when it is written (or reported lost). Never rejects. */
  flush(): Promise<void> {
    this.cancelTimer();
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = null;
      return this.drain();
    });
    this.queued = next;
    this.chain = next;
    return next;
  }

  /** Stops the timer and flushes; rows added afterwards are written immediately. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const rows = this.pending;
      this.pending = [];
      for (let start = 0; start < rows.length; start += this.options.chunkRows) {
        await this.writeChunk(rows.slice(start, start + this.options.chunkRows));
      }
    }
  }

  /** A failed chunk is retried row by row, so one bad row does not lose its neighbours. */
  private async writeChunk(chunk: T[]): Promise<void> {
    try {
      await this.hooks.write(chunk);
      return;
    } catch (error) {
      if (chunk.length === 1) {
        this.hooks.onLost?.(error, chunk);
        return;
      }
    }
    for (const row of chunk) {
      try {
        await this.hooks.write([row]);
      } catch (error) {
        this.hooks.onLost?.(error, [row]);
      }
    }
  }

  private setTimer(callback: () => void, ms: number): unknown {
    if (this.hooks.setTimer) return this.hooks.setTimer(callback, ms);
    const timer = setTimeout(callback, ms);
    // A waiting batch must not keep the process alive; shutdown flushes it explicitly.
    timer.unref();
    return timer;
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    if (this.hooks.clearTimer) this.hooks.clearTimer(this.timer);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = null;
  }
}
