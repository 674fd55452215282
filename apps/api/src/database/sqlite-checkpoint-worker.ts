/**
 * Worker thread of SqliteCheckpointer: its own connection to the database file, checkpointing the
 * WAL into the database every `intervalMs` (PASSIVE: never waits for, nor blocks, the API's
 * readers and writers). Copying pages and the fsync that follows take milliseconds, which the
 * API's event loop would otherwise spend inside the commit that crosses wal_autocheckpoint.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');

// Runs until the process exits (the thread is unref'd); an interrupted checkpoint is harmless.
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}, intervalMs);

