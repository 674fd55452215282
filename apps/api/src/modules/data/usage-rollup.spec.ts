import { hourOf, UsageBucket, UsageRollup, UsageStore, UsageWriter } from './usage-rollup';

type Row = UsageBucket & { id: number };

/** An in-memory quota_data table with all-or-nothing transactions, like the real store. */
class FakeStore implements UsageStore {
  rows: Row[] = [];
  transactions = 0;
  failNextOn: ((bucket: UsageBucket) => boolean) | null = null;
  private nextId = 1;

  async transaction(work: (writer: UsageWriter) => Promise<void>): Promise<void> {
    this.transactions++;
    const snapshot = this.rows.map((row) => ({ ...row }));
    const failOn = this.failNextOn;
    this.failNextOn = null;
    const writer: UsageWriter = {
      addToExisting: async (bucket) => {
        if (failOn?.(bucket)) throw new Error('write failed');
        const row = this.rows.find(
          (r) => r.userId === bucket.userId && r.username === bucket.username && r.modelName === bucket.modelName && r.createdAt === bucket.createdAt,
        );
        if (!row) return false;
        row.count += bucket.count;
        row.quota += bucket.quota;
        row.tokenUsed += bucket.tokenUsed;
        return true;
      },
      insert: async (bucket) => {
        this.rows.push({ ...bucket, id: this.nextId++ });
      },
    };
    try {
      await work(writer);
    } catch (error) {
      this.rows = snapshot;
      throw error;
    }
  }
}

const HOUR = 1_700_000_000 - (1_700_000_000 % 3600);

describe('hourOf', () => {
  it('truncates to the start of the hour', () => {
    expect(hourOf(HOUR)).toBe(HOUR);
    expect(hourOf(HOUR + 3599)).toBe(HOUR);
    expect(hourOf(HOUR + 3600)).toBe(HOUR + 3600);
    expect(hourOf(HOUR + 12.7)).toBe(HOUR);
  });
});

describe('UsageRollup', () => {
  it('sums events of the same user, model and hour into one bucket', () => {
    const rollup = new UsageRollup();
    rollup.add({ userId: 1, username: 'a', modelName: 'gpt-4o', quota: 100, tokens: 10, at: HOUR + 5 });
    rollup.add({ userId: 1, username: 'a', modelName: 'gpt-4o', quota: 50, tokens: 7, at: HOUR + 3000 });
    rollup.add({ userId: 1, username: 'a', modelName: 'gpt-4o', quota: 1, tokens: 1, at: HOUR + 3600 });
    rollup.add({ userId: 2, username: 'b', modelName: 'gpt-4o', quota: 9, tokens: 9, at: HOUR + 5 });
    rollup.add({ userId: 1, username: 'a', modelName: 'claude', quota: 3, tokens: 3, at: HOUR + 5 });
    expect(rollup.size).toBe(4);
    const first = rollup.pending().find((b) => b.userId === 1 && b.modelName === 'gpt-4o' && b.createdAt === HOUR);
    expect(first).toEqual({ userId: 1, username: 'a', modelName: 'gpt-4o', createdAt: HOUR, count: 2, quota: 150, tokenUsed: 17 });
  });

  it('uses the injected clock when the event has no time', () => {
    const rollup = new UsageRollup(() => HOUR + 1234);
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 1, tokens: 1 });
    expect(rollup.pending()[0].createdAt).toBe(HOUR);
  });

  it('inserts new keys and adds to existing rows on later flushes (one row per key)', async () => {
    const store = new FakeStore();
    const rollup = new UsageRollup();
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 100, tokens: 10, at: HOUR });
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 100, tokens: 10, at: HOUR + 1 });
    await expect(rollup.flush(store)).resolves.toBe(1);
    expect(rollup.size).toBe(0);
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 5, tokens: 2, at: HOUR + 2 });
    rollup.add({ userId: 1, username: 'a', modelName: 'other', quota: 1, tokens: 1, at: HOUR + 2 });
    await expect(rollup.flush(store)).resolves.toBe(2);
    expect(store.rows).toHaveLength(2);
    expect(store.rows.find((r) => r.modelName === 'm')).toMatchObject({ count: 3, quota: 205, tokenUsed: 22, createdAt: HOUR });
    expect(store.rows.find((r) => r.modelName === 'other')).toMatchObject({ count: 1, quota: 1, tokenUsed: 1 });
  });

  it('writes a whole flush in one transaction', async () => {
    const store = new FakeStore();
    const rollup = new UsageRollup();
    for (let user = 1; user <= 5; user++) rollup.add({ userId: user, username: `u${user}`, modelName: 'm', quota: 1, tokens: 1, at: HOUR });
    await rollup.flush(store);
    expect(store.transactions).toBe(1);
    expect(store.rows).toHaveLength(5);
  });

  it('does not open a transaction when there is nothing to write', async () => {
    const store = new FakeStore();
    await expect(new UsageRollup().flush(store)).resolves.toBe(0);
    expect(store.transactions).toBe(0);
  });

  it('keeps the buckets of a failed flush (merged with newer usage) for the next one', async () => {
    const store = new FakeStore();
    const rollup = new UsageRollup();
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 10, tokens: 1, at: HOUR });
    rollup.add({ userId: 2, username: 'b', modelName: 'm', quota: 20, tokens: 2, at: HOUR });
    store.failNextOn = (bucket) => bucket.userId === 2;
    await expect(rollup.flush(store)).rejects.toThrow('write failed');
    // Nothing was committed, and nothing was lost.
    expect(store.rows).toHaveLength(0);
    expect(rollup.size).toBe(2);
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 1, tokens: 1, at: HOUR });
    await rollup.flush(store);
    expect(store.rows.find((r) => r.userId === 1)).toMatchObject({ count: 2, quota: 11, tokenUsed: 2 });
    expect(store.rows.find((r) => r.userId === 2)).toMatchObject({ count: 1, quota: 20, tokenUsed: 2 });
  });

  it('a flush requested during another waits for it and then writes what arrived meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = new FakeStore();
    const slowStore: UsageStore = {
      transaction: async (work) => {
        await gate;
        await inner.transaction(work);
      },
    };
    const rollup = new UsageRollup();
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 1, tokens: 1, at: HOUR });
    const first = rollup.flush(slowStore);
    rollup.add({ userId: 1, username: 'a', modelName: 'm', quota: 2, tokens: 2, at: HOUR });
    const second = rollup.flush(slowStore);
    release();
    await expect(first).resolves.toBe(1);
    await expect(second).resolves.toBe(1);
    expect(inner.transactions).toBe(2);
    expect(inner.rows).toHaveLength(1);
    expect(inner.rows[0]).toMatchObject({ count: 2, quota: 3, tokenUsed: 3 });
  });

  it('cuts usernames and model names to the column size (64) so the row can be stored', () => {
    const rollup = new UsageRollup();
    rollup.add({ userId: 1, username: 'u'.repeat(80), modelName: 'm'.repeat(100), quota: 1, tokens: 1, at: HOUR });
    const [bucket] = rollup.pending();
    expect(bucket.username).toHaveLength(64);
    expect(bucket.modelName).toHaveLength(64);
  });
});
