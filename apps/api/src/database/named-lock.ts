import { createHash } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * A mutual exclusion by name, for check-then-insert flows that have no unique index to lean on
 * (e.g. one user per OAuth provider id: New API's tables have none, and adding one could break
 * databases that already hold duplicates or empty strings).
 *
 * In this process the callers of one name queue behind each other (so each process holds at most
 * one database connection per name while waiting). Across processes and nodes:
 * - MySQL/MariaDB: GET_LOCK(name, timeout) on a dedicated connection, RELEASE_LOCK after `fn`;
 * - PostgreSQL: pg_advisory_lock(64-bit hash of the name) / pg_advisory_unlock, likewise;
 * - SQLite: the in-process queue only (one process owns the file; cluster workers on SQLite
 *   serialize writes in SQLite itself).
 * The lock is held until `fn` has committed, so a caller that gets it next and re-reads sees the
 * row the previous holder inserted.
 */

const localQueues = new Map<string, Promise<unknown>>();

export class NamedLockTimeout extends Error {}

export async function withNamedLock<T>(dataSource: DataSource, name: string, fn: () => Promise<T>, timeoutSeconds = 10): Promise<T> {
  return withLocalLock(name, () => withDatabaseLock(dataSource, name, fn, timeoutSeconds));
}

async function withLocalLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = localQueues.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  localQueues.set(name, tail);
  try {
    return await run;
  } finally {
    // The last in the queue removes it, so the map does not grow with every name ever locked.
    if (localQueues.get(name) === tail) localQueues.delete(name);
  }
}

async function withDatabaseLock<T>(dataSource: DataSource, name: string, fn: () => Promise<T>, timeoutSeconds: number): Promise<T> {
  const type = dataSource.options.type;
  if (type !== 'mysql' && type !== 'mariadb' && type !== 'postgres') return fn();
  const digest = createHash('sha256').update(name).digest();
  const runner: QueryRunner = dataSource.createQueryRunner();
  try {
    if (type === 'postgres') {
      const key = digest.readBigInt64BE(0).toString();
      await acquirePostgres(runner, key, timeoutSeconds);
      try {
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    }
    // MySQL lock names are at most 64 characters.
    const lockName = `your-api:${digest.toString('hex').slice(0, 40)}`;
    const rows = (await runner.query('SELECT GET_LOCK(?, ?) AS got', [lockName, timeoutSeconds])) as Array<{ got: number | string | null }>;
    if (Number(rows[0]?.got) !== 1) throw new NamedLockTimeout(`Timed out waiting for lock ${name}`);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lockName]);
    }
  } finally {
    await runner.release();
  }
}

/** pg_advisory_lock has no timeout of its own: poll pg_try_advisory_lock until the deadline. */
async function acquirePostgres(runner: QueryRunner, key: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    const rows = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS got', [key])) as Array<{ got: boolean }>;
    if (rows[0]?.got === true) return;
    if (Date.now() >= deadline) throw new NamedLockTimeout('Timed out waiting for a named lock');
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
