import cluster from 'node:cluster';
import type BetterSqlite3 from 'better-sqlite3';
import { checkpointInBackground } from './sqlite-checkpointer';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Retries at the end of the next turn before a batch that finds the write lock taken waits on 1 ms timers. */
const IMMEDIATE_BUSY_RETRIES = 20;

/** Longest a deferrable unit waits for company before it is committed. */
export const DEFERRED_WRITE_MS = 5;

/**
 * One writer for a SQLite connection: synchronous units of work queued during one turn of the
 * event loop are run together in one IMMEDIATE transaction, so a burst of requests pays for one
 * commit (which writes every changed page to the WAL: most of a small write's cost) instead of
 * one per statement. Units someone waits for (admission) are committed at the end of the current
 * turn; deferrable ones (settlements, log rows: written behind the response) wait up to
 * DEFERRED_WRITE_MS and join the next commit, so a request's settlement usually shares the
 * commit of the next request's admission. Each unit is still atomic on its own: if any unit throws,
 * the transaction is rolled back and every unit is run again in a transaction of its own, so one
 * bad unit cannot take the others with it. Units must therefore only touch the database (no
 * in-memory side effects): they may run twice.
 *
 * A unit never runs inside someone else's open transaction on the shared connection (TypeORM keeps
 * one open across awaits): the batch waits until it is closed, so a rollback there cannot undo it.
 *
 * Cluster workers share the file's write lock with each other: there a batch that finds it taken
 * retries on a later turn instead of sleeping in SQLite's busy handler (see flush). A lone process
 * is the file's only writer, so it skips the two PRAGMA statements per commit that this costs; if
 * another program does hold the lock, its commit waits inside SQLite up to the busy timeout.
 */
export class SqliteWriteBatch {
  private static readonly byConnection = new WeakMap<BetterSqlite3.Database, SqliteWriteBatch>();

  /**
   * The writer of a connection, shared by everyone writing through it (one commit per turn for all).
   * `sharedLock`: other processes write the same file (default: in a cluster worker).
   */
  static of(db: BetterSqlite3.Database, sharedLock = cluster.isWorker): SqliteWriteBatch {
    let writer = SqliteWriteBatch.byConnection.get(db);
    if (!writer) {
      checkpointInBackground(db);
      writer = new SqliteWriteBatch(db, sharedLock);
      SqliteWriteBatch.byConnection.set(db, writer);
    }
    return writer;
  }

  private queue: Job[] = [];
  /** A flush at the end of this turn (setImmediate) is pending. */
  private soon = false;
  private later: NodeJS.Timeout | null = null;
  private readonly transaction: BetterSqlite3.Transaction<(jobs: Job[]) => unknown[]>;
  /** The connection's lock wait (busy_timeout), in ms: how long a batch keeps trying for the write lock. */
  private readonly busyTimeoutMs: number;
  /** When the current batch first found the write lock taken by another process. */
  private busySince: number | null = null;
  /** Retries of the current batch so far. */
  private busyRetries = 0;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly sharedLock: boolean,
  ) {
    this.transaction = db.transaction((jobs: Job[]) => jobs.map((job) => job.work()));
    this.busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true })) || 0;
  }

  /**
   * Queues `work`; resolves with its result once its transaction has committed: at the end of this
   * turn of the event loop, or with `deferrable` within DEFERRED_WRITE_MS.
   */
  run<T>(work: () => T, deferrable = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.soon) return;
      if (!deferrable) {
        this.soon = true;
        setImmediate(() => this.flush());
      } else if (this.later === null) {
        this.later = setTimeout(() => this.flush(), DEFERRED_WRITE_MS);
      }
    });
  }

  /** Resolves once every unit queued before the call has been written (or has failed). */
  drain(): Promise<void> {
    return this.run(() => undefined);
  }

  private flush(): void {
    if (this.later !== null) {
      clearTimeout(this.later);
      this.later = null;
    }
    if (this.db.inTransaction) {
      this.soon = true;
      setTimeout(() => this.flush(), 1);
      return;
    }
    this.soon = false;
    const jobs = this.queue;
    this.queue = [];
    if (jobs.length === 0) return;
    let results: unknown[];
    try {
      results = this.commitWithoutWaiting(jobs);
    } catch (error) {
      if (isBusy(error)) {
        // Another process (a cluster worker, a second node) holds the write lock. SQLite's own
        // wait would sleep inside this synchronous call and stall every request of this process:
        // try again shortly instead, until the connection's busy timeout has passed.
        const now = Date.now();
        this.busySince ??= now;
        if (now - this.busySince < this.busyTimeoutMs) {
          this.queue = jobs.concat(this.queue);
          this.soon = true;
          // The other writer's commit usually ends within a turn or two: ask again at the end of
          // the next turn (the requests in between go on), and only after that on a timer.
          if (this.busyRetries++ < IMMEDIATE_BUSY_RETRIES) setImmediate(() => this.flush());
          else setTimeout(() => this.flush(), 1);
          return;
        }
      }
      this.busySince = null;
      this.busyRetries = 0;
      // Locked by another process beyond the busy timeout: retrying unit by unit would block the
      // event loop that long again for each of them.
      if (jobs.length === 1 || isBusy(error)) {
        for (const job of jobs) job.reject(error);
        return;
      }
      for (const job of jobs) {
        try {
          job.resolve(this.transaction.immediate([job])[0]);
        } catch (alone) {
          job.reject(alone);
        }
      }
      return;
    }
    this.busySince = null;
    this.busyRetries = 0;
    for (let i = 0; i < jobs.length; i++) jobs[i].resolve(results[i]);
  }

  /** The batch in one IMMEDIATE transaction; with a shared lock, failing at once (SQLITE_BUSY) if it is taken. */
  private commitWithoutWaiting(jobs: Job[]): unknown[] {
    if (!this.sharedLock) return this.transaction.immediate(jobs);
    // Not a prepared statement kept for reuse: SQLite applies this pragma when it is prepared.
    this.db.pragma('busy_timeout = 0');
    try {
      return this.transaction.immediate(jobs);
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
