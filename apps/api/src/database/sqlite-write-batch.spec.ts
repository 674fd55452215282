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

  it('drain() resolves after everything queued before it', async () => {
    void writer.run(add(1, 3), true);
    await writer.drain();
    expect(value(1)).toBe(13);
  });
});
