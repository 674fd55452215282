import type BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_INTERVAL_MS = 250;

/**
 * Moves WAL checkpoints of a SQLite database off the event loop. By default the commit that takes
 * the WAL past 1000 pages also copies them into the database file and fsyncs it, inside the
 * synchronous better-sqlite3 call: 10–35 ms during which no request or streamed event moves (the
 * benchmark's sequential p99 and forwarding-delay p99 were made of these). Here the connection's
 * automatic checkpoints are turned off and a worker thread checkpoints every 250 ms instead.
 * Without the compiled worker (unit tests run the TypeScript sources) or for an in-memory
 * database, nothing changes.
 */
export function checkpointInBackground(db: BetterSqlite3.Database): void {
  if (db.memory || db.readonly) return;
  const script = join(__dirname, 'sqlite-checkpoint-worker.js');
  if (!existsSync(script)) return;
  // Framework-free (unit tests load this file): problems go out as process warnings.
  const warn = (message: string) => process.emitWarning(message, 'SqliteCheckpointer');
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: { file: db.name, intervalMs: CHECKPOINT_INTERVAL_MS } });
  } catch (error) {
    warn(`WAL checkpoints stay on the main thread: ${String(error)}`);
    return;
  }
  worker.on('message', (message: { error?: string }) => {
    if (message?.error) warn(`WAL checkpoint failed: ${message.error}`);
  });
  worker.on('error', (error) => {
    // The worker is gone: let the connection checkpoint for itself again.
    warn(`WAL checkpoint worker stopped: ${error.message}`);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  // After the listeners: adding a 'message' listener refs the worker's port again.
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
}
