import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, LoggerOptions } from 'typeorm';
import type { EnvValues } from '../config/app-config';
import { DatabaseTarget, parseDsn, sameDatabase } from './dsn';
import { LOG_ENTITIES, MAIN_ENTITIES } from './entities';
import { NewApiBaseline1732350000000, NewApiLogBaseline1732350000001 } from './migrations/1732350000000-new-api-baseline';
import { TopUpPaymentProvider1764000000000 } from './migrations/1764000000000-top-up-payment-provider';
import { TaskPrivateData1764100000000 } from './migrations/1764100000000-task-private-data';

export type DatabaseKind = 'sqlite' | 'mysql' | 'postgres';

export function kindOf(target: DatabaseTarget): DatabaseKind {
  return target.type === 'better-sqlite3' ? 'sqlite' : target.type;
}

/** Pool limits of New API's SQL_MAX_* variables, as plain numbers (Go's database/sql meaning). */
export interface PoolSettings {
  maxOpen: number;
  maxIdle: number;
  /** Milliseconds a connection may be reused; 0 = forever (Go's SetConnMaxLifetime(0)). */
  lifetimeMs: number;
}

export function poolSettings(env: EnvValues): PoolSettings {
  const maxOpen = env.SQL_MAX_OPEN_CONNS;
  // SQL_MAX_LIFETIME is New API's name (seconds); SQL_CONN_MAX_LIFETIME is ours (minutes).
  const lifetimeMs = env.SQL_MAX_LIFETIME > 0 ? env.SQL_MAX_LIFETIME * 1000 : env.SQL_CONN_MAX_LIFETIME * 60_000;
  return { maxOpen, maxIdle: Math.min(env.SQL_MAX_IDLE_CONNS, maxOpen), lifetimeMs };
}

/**
 * mysql2 has no lifetime limit, only an idle timeout, and applies it only to connections beyond
 * `maxIdle`'s share (it evicts while more than maxIdle are free, or the oldest free one is older than
 * idleTimeout, but runs that check only when maxIdle < connectionLimit).
 */
export function mysqlPoolOptions(pool: PoolSettings): Record<string, unknown> {
  return {
    maxIdle: pool.maxIdle,
    // 0 = keep forever: one day stands in (mysql2 would treat 0 as "close at once").
    idleTimeout: pool.lifetimeMs > 0 ? pool.lifetimeMs : 24 * 3600_000,
    enableKeepAlive: true,
  };
}

/** pg-pool: `max` (poolSize), `maxLifetimeSeconds` is Go's lifetime; it has no idle count, only an idle timeout. */
export function postgresPoolOptions(pool: PoolSettings): Record<string, unknown> {
  const lifetimeSeconds = Math.ceil(pool.lifetimeMs / 1000);
  return {
    maxLifetimeSeconds: lifetimeSeconds,
    // No idle connections wanted → drop them right after use (pg's 0 would mean "never").
    idleTimeoutMillis: pool.maxIdle === 0 ? 1 : pool.lifetimeMs,
    keepAlive: true,
  };
}

function connectionOptions(target: DatabaseTarget, env: EnvValues): DataSourceOptions {
  const pool = poolSettings(env);
  switch (target.type) {
    case 'better-sqlite3': {
      const file = resolve(target.database);
      mkdirSync(dirname(file), { recursive: true });
      const busyTimeout = target.busyTimeout ?? env.SQLITE_BUSY_TIMEOUT;
      return {
        type: 'better-sqlite3',
        database: file,
        // WAL lets the API read while a write is in progress; the busy timeout makes a second
        // writer (another process, or a LOG_SQL_DSN file) wait instead of failing at once.
        enableWAL: true,
        timeout: busyTimeout,
        prepareDatabase: (db: { pragma(statement: string): unknown }) => {
          db.pragma(`busy_timeout = ${busyTimeout}`);
          db.pragma('synchronous = NORMAL');
          db.pragma('mmap_size = 268435456');
        },
      };
    }
    case 'mysql': {
      const tls = target.params.tls;
      return {
        type: 'mysql',
        host: target.host,
        port: target.port,
        username: target.username,
        password: target.password,
        database: target.database,
        socketPath: target.socketPath,
        charset: 'utf8mb4_unicode_ci',
        supportBigNumbers: true,
        bigNumberStrings: false,
        ssl:
          tls === 'true'
            ? {}
            : tls === 'skip-verify' || tls === 'preferred'
              ? { rejectUnauthorized: false }
              : undefined,
        poolSize: pool.maxOpen,
        extra: mysqlPoolOptions(pool),
      };
    }
    case 'postgres':
      return {
        type: 'postgres',
        url: target.url,
        // GORM made New API's ids and counters bigint (int8); read them as numbers like MySQL's and
        // SQLite's drivers do (values stay far below 2^53).
        parseInt8: true,
        poolSize: pool.maxOpen,
        extra: postgresPoolOptions(pool),
      };
  }
}

export interface DatabaseOptions {
  main: DataSourceOptions;
  /** Present only when LOG_SQL_DSN names a second database. */
  logs?: DataSourceOptions;
  mainKind: DatabaseKind;
  logKind: DatabaseKind;
}

function resolved(target: DatabaseTarget): DatabaseTarget {
  return target.type === 'better-sqlite3' ? { ...target, database: resolve(target.database) } : target;
}

/**
 * Builds TypeORM options for the main database and, with LOG_SQL_DSN, the log database.
 * MySQL targets come out as `type: 'mysql'`; `withServerFlavor` (server-flavor.ts) switches them to
 * 'mariadb' when the server is MariaDB, which TypeORM needs to read MariaDB's schema correctly.
 */
export function buildDatabaseOptions(env: EnvValues): DatabaseOptions {
  const mainTarget = resolved(parseDsn(env.SQL_DSN, env.SQLITE_PATH, 'SQL_DSN'));
  const logTarget = env.LOG_SQL_DSN.trim()
    ? resolved(parseDsn(env.LOG_SQL_DSN, env.SQLITE_PATH, 'LOG_SQL_DSN'))
    : undefined;
  // New API's LOG_SQL_DSN=local means "the SQLite file", i.e. usually the main database itself.
  const separateLogs = logTarget !== undefined && !sameDatabase(mainTarget, logTarget);
  const logging: LoggerOptions = ['error', 'warn'];
  const common = { migrationsTableName: 'your_api_migrations', synchronize: false, logging };
  const main: DataSourceOptions = {
    ...connectionOptions(mainTarget, env),
    ...common,
    entities: separateLogs ? MAIN_ENTITIES : [...MAIN_ENTITIES, ...LOG_ENTITIES],
    migrations: separateLogs
      ? [NewApiBaseline1732350000000, TopUpPaymentProvider1764000000000, TaskPrivateData1764100000000]
      : [NewApiBaseline1732350000000, NewApiLogBaseline1732350000001, TopUpPaymentProvider1764000000000, TaskPrivateData1764100000000],
  };
  if (!separateLogs || !logTarget) return { main, mainKind: kindOf(mainTarget), logKind: kindOf(mainTarget) };
  const logs: DataSourceOptions = {
    ...connectionOptions(logTarget, env),
    ...common,
    entities: LOG_ENTITIES,
    migrations: [NewApiLogBaseline1732350000001],
  };
  return { main, logs, mainKind: kindOf(mainTarget), logKind: kindOf(logTarget) };
}
