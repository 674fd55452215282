import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFERRED_WRITE_MS, SqliteWriteBatch } from './sqlite-write-batch';

describe('SqliteWriteBatch', () => {
  let db: Database.Database;
  let writer: SqliteWriteBatch;

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL CHECK (n >= 0))');
    db.prepare('INSERT INTO t (id, n) VALUES (1, 10), (2, 10)').run();
    writer = SqliteWriteBatch.of(db);
  });

  afterEach(() => db.close());

  const add = (id: number, delta: number) => () => db.prepare('UPDATE t SET n = n + ? WHERE id = ?').run(delta, id).changes;
  const value = (id: number) => (db.prepare('SELECT n FROM t WHERE id = ?').get(id) as { n: number }).n;

  it('is shared per connection', () => {
    expect(SqliteWriteBatch.of(db)).toBe(writer);
  });

  it('commits the units of one turn together and resolves each with its result', async () => {
    let inOneTransaction = true;
    const results = await Promise.all([
      writer.run(add(1, 1)),
      writer.run(add(2, 1)),
      writer.run(() => {
        inOneTransaction = db.inTransaction;
        return 'third';
      }),
    ]);
    expect(results).toEqual([1, 1, 'third']);
    expect(inOneTransaction).toBe(true);
    expect(value(1)).toBe(11);
    expect(value(2)).toBe(11);
  });

  it('runs the others again on their own when one unit fails, and rejects only that one', async () => {
    const outcomes = await Promise.allSettled([writer.run(add(1, 5)), writer.run(add(2, -50)), writer.run(add(2, 2))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(value(1)).toBe(15);
    expect(value(2)).toBe(12);
  });

  it('holds a deferrable unit back until the next urgent one, or DEFERRED_WRITE_MS at most', async () => {
    const deferred = writer.run(add(1, 1), true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(value(1)).toBe(10);
    await writer.run(add(2, 1));
    expect(value(1)).toBe(11);

    const started = Date.now();
    await deferred;
    await writer.run(add(1, 1), true);
    expect(value(1)).toBe(12);
    expect(Date.now() - started).toBeLessThan(DEFERRED_WRITE_MS + 100);
  });

  it('waits for a transaction someone else holds open on the connection, instead of joining it', async () => {
    db.exec('BEGIN');
    db.prepare('UPDATE t SET n = 0 WHERE id = 2').run();
    const pending = writer.run(add(1, 1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(value(1)).toBe(10);
    db.exec('ROLLBACK');
    await pending;
    expect(value(1)).toBe(11);
    expect(value(2)).toBe(10);
  });

  it('retries the write lock another process holds without blocking the event loop, until the busy timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-batch-'));
    const file = join(dir, 'shared.db');
    const mine = new Database(file);
    const other = new Database(file);
    try {
      mine.pragma('journal_mode = WAL');
      mine.pragma('busy_timeout = 400');
      mine.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      mine.prepare('INSERT INTO t (id, n) VALUES (1, 0)').run();
      const shared = SqliteWriteBatch.of(mine, true);
      const read = () => (mine.prepare('SELECT n FROM t WHERE id = 1').get() as { n: number }).n;
      const bump = () => mine.prepare('UPDATE t SET n = n + 1 WHERE id = 1').run().changes;

      // The other connection holds the write lock for 60 ms, released from a timer: only an event
      // loop that keeps turning lets that timer run (a blocking wait would time out instead).
      other.exec('BEGIN IMMEDIATE');
      const release = setTimeout(() => other.exec('COMMIT'), 60);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const started = Date.now();
      await expect(shared.run(bump)).resolves.toBe(1);
      clearInterval(ticker);
      clearTimeout(release);
      expect(Date.now() - started).toBeGreaterThanOrEqual(50);
      expect(ticks).toBeGreaterThanOrEqual(3);
      expect(read()).toBe(1);
      expect(mine.pragma('busy_timeout', { simple: true })).toBe(400);

      // Held past the busy timeout: the unit fails with SQLITE_BUSY and nothing is written.
      other.exec('BEGIN IMMEDIATE');
      await expect(shared.run(bump)).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      other.exec('COMMIT');
      expect(read()).toBe(1);
    } finally {
      mine.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in a lone process, waits for a lock another program holds inside SQLite, up to the busy timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-batch-'));
    const file = join(dir, 'lone.db');
    const mine = new Database(file);
    const other = new Database(file);
    try {
      mine.pragma('journal_mode = WAL');
      mine.pragma('busy_timeout = 80');
      mine.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      mine.prepare('INSERT INTO t (id, n) VALUES (1, 0)').run();
      const lone = SqliteWriteBatch.of(mine, false);
      other.exec('BEGIN IMMEDIATE');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const started = Date.now();
      // One blocking wait of the busy timeout (no retries on later turns), then SQLITE_BUSY.
      await expect(lone.run(() => mine.prepare('UPDATE t SET n = n + 1 WHERE id = 1').run().changes)).rejects.toMatchObject({
        code: expect.stringMatching(/^SQLITE_BUSY/),
      });
      clearInterval(ticker);
      expect(Date.now() - started).toBeGreaterThanOrEqual(70);
      expect(ticks).toBeLessThanOrEqual(1);
      other.exec('COMMIT');
      await expect(lone.run(() => mine.prepare('UPDATE t SET n = n + 1 WHERE id = 1').run().changes)).resolves.toBe(1);
    } finally {
      mine.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drain() resolves after everything queued before it', async () => {
    void writer.run(add(1, 3), true);
    await writer.drain();
    expect(value(1)).toBe(13);
  });
});
