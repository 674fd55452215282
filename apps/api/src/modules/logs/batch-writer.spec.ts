import { BatchWriter, BatchWriterHooks, BatchWriterOptions } from './batch-writer';

interface FakeTimer {
  callback: () => void;
  ms: number;
  cleared: boolean;
}

/** Records writes and lets the test fire timers by hand. */
function harness(options: Partial<BatchWriterOptions>, write?: (rows: number[]) => Promise<void>) {
  const writes: number[][] = [];
  const lost: { error: unknown; rows: number[] }[] = [];
  const timers: FakeTimer[] = [];
  const hooks: BatchWriterHooks<number> = {
    write:
      write ??
      (async (rows) => {
        writes.push([...rows]);
      }),
    onLost: (error, rows) => lost.push({ error, rows }),
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as FakeTimer).cleared = true;
    },
  };
  const writer = new BatchWriter<number>(hooks, options);
  const fire = () => {
    const live = timers.filter((t) => !t.cleared);
    for (const timer of live) {
      timer.cleared = true;
      timer.callback();
    }
    return live.length;
  };
  return { writer, writes, lost, timers, fire };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchWriter', () => {
  it('holds rows until the timer fires, then writes them in one call', async () => {
    const { writer, writes, timers, fire } = harness({ flushIntervalMs: 250, flushAtRows: 100, chunkRows: 50 });
    writer.add(1);
    writer.add(2);
    writer.add(3);
    await settle();
    expect(writes).toEqual([]);
    expect(writer.pendingCount).toBe(3);
    // One timer for the whole batch, armed with the configured interval.
    expect(timers).toHaveLength(1);
    expect(timers[0].ms).toBe(250);
    expect(fire()).toBe(1);
    await settle();
    expect(writes).toEqual([[1, 2, 3]]);
    expect(writer.pendingCount).toBe(0);
  });

  it('flushes at once when the buffer reaches flushAtRows, without waiting for the timer', async () => {
    const { writer, writes } = harness({ flushIntervalMs: 60_000, flushAtRows: 4, chunkRows: 10 });
    for (let i = 1; i <= 3; i++) writer.add(i);
    await settle();
    expect(writes).toEqual([]);
    writer.add(4);
    await settle();
    expect(writes).toEqual([[1, 2, 3, 4]]);
  });

  it('splits a flush into chunks of chunkRows rows, in order', async () => {
    const { writer, writes } = harness({ flushIntervalMs: 1000, flushAtRows: 1000, chunkRows: 3 });
    for (let i = 1; i <= 8; i++) writer.add(i);
    await writer.flush();
    expect(writes).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
  });

  it('flush() resolves only after rows added before it are written, including during a slow write', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const written: number[] = [];
    const { writer } = harness({ flushIntervalMs: 1000, flushAtRows: 2, chunkRows: 10 }, async (rows) => {
      await gate;
      written.push(...rows);
    });
    writer.add(1);
    writer.add(2); // starts a flush that blocks on the gate
    writer.add(3); // arrives while that write is in flight
    let done = false;
    const flushed = writer.flush().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    release();
    await flushed;
    expect(written).toEqual([1, 2, 3]);
  });

  it('flush() with nothing buffered writes nothing', async () => {
    const { writer, writes } = harness({ flushIntervalMs: 1000, flushAtRows: 10, chunkRows: 10 });
    await writer.flush();
    expect(writes).toEqual([]);
  });

  it('cancels the timer on an explicit flush, and arms a new one for later rows', async () => {
    const { writer, writes, timers, fire } = harness({ flushIntervalMs: 500, flushAtRows: 100, chunkRows: 50 });
    writer.add(1);
    await writer.flush();
    expect(timers[0].cleared).toBe(true);
    writer.add(2);
    expect(timers).toHaveLength(2);
    fire();
    await settle();
    expect(writes).toEqual([[1], [2]]);
  });

  it('retries a failed chunk row by row and reports only the rows that still fail', async () => {
    const attempts: number[][] = [];
    const { writer, lost } = harness({ flushIntervalMs: 1000, flushAtRows: 100, chunkRows: 10 }, async (rows) => {
      attempts.push([...rows]);
      if (rows.includes(2)) throw new Error('row 2 is bad');
    });
    writer.add(1);
    writer.add(2);
    writer.add(3);
    await writer.flush();
    expect(attempts).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(lost).toHaveLength(1);
    expect(lost[0].rows).toEqual([2]);
    expect((lost[0].error as Error).message).toBe('row 2 is bad');
  });

  it('never rejects even when every write fails', async () => {
    const { writer, lost } = harness({ flushIntervalMs: 1000, flushAtRows: 100, chunkRows: 2 }, async () => {
      throw new Error('database down');
    });
    for (let i = 0; i < 3; i++) writer.add(i);
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(lost.flatMap((entry) => entry.rows).sort()).toEqual([0, 1, 2]);
  });

  it('drops rows beyond maxPendingRows and counts them', async () => {
    const { writer, writes, lost } = harness({ flushIntervalMs: 1000, flushAtRows: 100, chunkRows: 100, maxPendingRows: 2 });
    writer.add(1);
    writer.add(2);
    writer.add(3);
    expect(writer.droppedCount).toBe(1);
    expect(lost.map((entry) => entry.rows)).toEqual([[3]]);
    await writer.flush();
    expect(writes).toEqual([[1, 2]]);
  });

  it('after close(), writes late rows immediately instead of arming a timer', async () => {
    const { writer, writes, timers } = harness({ flushIntervalMs: 60_000, flushAtRows: 100, chunkRows: 50 });
    writer.add(1);
    await writer.close();
    expect(writes).toEqual([[1]]);
    writer.add(2);
    await writer.flush();
    expect(writes).toEqual([[1], [2]]);
    expect(timers.filter((t) => !t.cleared)).toHaveLength(0);
  });

  it('rejects nonsensical sizes', () => {
    expect(() => new BatchWriter<number>({ write: async () => undefined }, { chunkRows: 0 })).toThrow();
  });
});
