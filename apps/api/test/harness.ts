/**
 * End-to-end harness: starts the built API (apps/api/dist/main.js) as a real process on a free
 * port against a fresh database, and talks to it over real HTTP.
 *
 * The database comes from TEST_DATABASE (sqlite, the default | mysql | postgres). For mysql and
 * postgres a new database is created per API process from TEST_MYSQL_URL / TEST_POSTGRES_URL
 * (admin connections) and dropped afterwards; if the server cannot be reached the test fails.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const API_ENTRY = resolve(__dirname, '../dist/main.js');

export type TestDatabaseKind = 'sqlite' | 'mysql' | 'postgres';

export function testDatabaseKind(): TestDatabaseKind {
  const kind = (process.env.TEST_DATABASE ?? 'sqlite').toLowerCase();
  if (kind !== 'sqlite' && kind !== 'mysql' && kind !== 'postgres') {
    throw new Error(`TEST_DATABASE must be sqlite, mysql or postgres, got "${kind}"`);
  }
  return kind;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A throw-away database of the kind under test. `dsn` is what SQL_DSN should be ('' for SQLite). */
export interface TestDatabase {
  kind: TestDatabaseKind;
  dsn: string;
  sqlitePath: string;
  /** Runs SQL against the test database (for building New API-shaped fixtures and checking rows). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const kind = testDatabaseKind();
  const name = `yapi_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'your-api-test-'));
    const sqlitePath = join(dir, 'one-api.db');
     
    const BetterSqlite = require('better-sqlite3') as typeof import('better-sqlite3');
    let db: import('better-sqlite3').Database | null = null;
    const open = () => (db ??= new BetterSqlite(sqlitePath));
    return {
      kind,
      dsn: '',
      sqlitePath,
      query: async <T>(sql: string, params: unknown[] = []) => {
        const statement = open().prepare(sql);
        return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
      },
      drop: async () => {
        db?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (kind === 'mysql') {
    const adminUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
     
    const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
    const admin = await mysql.createConnection(adminUrl).catch((error: Error) => {
      throw new Error(`TEST_DATABASE=mysql but MariaDB/MySQL at ${redact(adminUrl)} is unreachable: ${error.message}`);
    });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const url = new URL(adminUrl);
    const auth = url.username ? `${decodeURIComponent(url.username)}${url.password ? `:${decodeURIComponent(url.password)}` : ''}@` : '';
    const dsn = `${auth}tcp(${url.hostname}:${url.port || 3306})/${name}?charset=utf8mb4&parseTime=True&loc=Local`;
    const conn = await mysql.createConnection({ ...connectionFromUrl(url), database: name });
    return {
      kind,
      dsn,
      sqlitePath: '',
      query: async <T>(sql: string, params: unknown[] = []) => {
        const [rows] = await conn.query(sql, params);
        return (Array.isArray(rows) ? rows : []) as T[];
      },
      drop: async () => {
        await conn.end();
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
      },
    };
  }
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
   
  const { Client } = require('pg') as typeof import('pg');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect().catch((error: Error) => {
    throw new Error(`TEST_DATABASE=postgres but PostgreSQL at ${redact(adminUrl)} is unreachable: ${error.message}`);
  });
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    kind,
    dsn: url.toString(),
    sqlitePath: '',
    query: async <T>(sql: string, params: unknown[] = []) => {
      // Tests write `?` placeholders; PostgreSQL wants $1, $2…
      let i = 0;
      const text = sql.replace(/\?/g, () => `$${++i}`);
      return (await client.query(text, params)).rows as T[];
    },
    drop: async () => {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

function connectionFromUrl(url: URL) {
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export interface RunningApi {
  baseUrl: string;
  port: number;
  /** The API's process id (in cluster mode, the primary's). */
  pid: number;
  database: TestDatabase;
  /** Everything the process printed, for assertions and for debugging failures. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartApiOptions {
  env?: Record<string, string>;
  /** Use an existing database (e.g. one a test filled in New API's shape) instead of a new one. */
  database?: TestDatabase;
  /** Keep the database when stopping (to restart on the same data). */
  keepDatabase?: boolean;
}

export async function startApi(options: StartApiOptions = {}): Promise<RunningApi> {
  if (!existsSync(API_ENTRY)) {
    throw new Error(`${API_ENTRY} is missing: build the API first (npm run build:api)`);
  }
  const database = options.database ?? (await createTestDatabase());
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [API_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      SQL_DSN: database.dsn,
      SQLITE_PATH: database.sqlitePath || 'unused.db',
      SESSION_SECRET: 'e2e-session-secret',
      // Several API processes share the test servers (MariaDB allows 151 connections by default).
      SQL_MAX_OPEN_CONNS: '20',
      // Suites sign in and register far more often than the per-IP limits allow (rate-limit.e2e-spec.ts turns them on).
      GLOBAL_API_RATE_LIMIT_ENABLE: 'false',
      CRITICAL_RATE_LIMIT_ENABLE: 'false',
      SEARCH_RATE_LIMIT_ENABLE: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  // A failed start must not leave a database (or its connections) behind that this call created.
  const failStart = async (message: string): Promise<never> => {
    if (child.exitCode === null) child.kill('SIGKILL');
    if (!options.database) await database.drop().catch(() => undefined);
    throw new Error(message);
  };
  for (;;) {
    if (child.exitCode !== null) await failStart(`API exited with code ${child.exitCode} during start:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/api/status`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) await failStart(`API did not answer /api/status within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    port,
    pid: child.pid!,
    database,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.keepDatabase) await database.drop();
    },
  };
}

/** Runs the API entry with an environment and returns its exit code and output (config errors). */
export async function runApiExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [API_ENTRY], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearTimeout(timer);
  return { code, output };
}
