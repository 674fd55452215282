import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readEnv } from '../config/app-config';
import { buildDatabaseOptions, mysqlPoolOptions, poolSettings, postgresPoolOptions } from './data-source-options';

describe('poolSettings', () => {
  it("maps New API's defaults: 1000 open, 100 idle, 60 minutes (SQL_CONN_MAX_LIFETIME)", () => {
    expect(poolSettings(readEnv({}))).toEqual({ maxOpen: 1000, maxIdle: 100, lifetimeMs: 60 * 60_000 });
  });

  it("prefers New API's SQL_MAX_LIFETIME, in seconds, when it is set", () => {
    expect(poolSettings(readEnv({ SQL_MAX_LIFETIME: '300', SQL_CONN_MAX_LIFETIME: '5' })).lifetimeMs).toBe(300_000);
  });

  it('never keeps more idle connections than it may open', () => {
    expect(poolSettings(readEnv({ SQL_MAX_OPEN_CONNS: '20', SQL_MAX_IDLE_CONNS: '100' }))).toMatchObject({ maxOpen: 20, maxIdle: 20 });
  });
});

describe('driver pool options', () => {
  it('mysql2: maxIdle and an idle timeout standing in for the lifetime', () => {
    expect(mysqlPoolOptions({ maxOpen: 50, maxIdle: 10, lifetimeMs: 120_000 })).toEqual({
      maxIdle: 10,
      idleTimeout: 120_000,
      enableKeepAlive: true,
    });
    // Lifetime 0 means "forever" in Go; mysql2 would close at once, so it gets a day.
    expect(mysqlPoolOptions({ maxOpen: 50, maxIdle: 10, lifetimeMs: 0 }).idleTimeout).toBe(86_400_000);
  });

  it('pg: maxLifetimeSeconds is the lifetime; no idle connections wanted means dropping them right away', () => {
    expect(postgresPoolOptions({ maxOpen: 50, maxIdle: 10, lifetimeMs: 90_000 })).toEqual({
      maxLifetimeSeconds: 90,
      idleTimeoutMillis: 90_000,
      keepAlive: true,
    });
    expect(postgresPoolOptions({ maxOpen: 50, maxIdle: 0, lifetimeMs: 90_000 }).idleTimeoutMillis).toBe(1);
    expect(postgresPoolOptions({ maxOpen: 50, maxIdle: 5, lifetimeMs: 0 })).toMatchObject({ maxLifetimeSeconds: 0, idleTimeoutMillis: 0 });
  });
});

describe('buildDatabaseOptions', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'your-api-options-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts every table, logs included, in one SQLite database by default (WAL, busy timeout)', () => {
    const options = buildDatabaseOptions(readEnv({ SQLITE_PATH: join(dir, 'one-api.db'), SQLITE_BUSY_TIMEOUT: '4500' }));
    expect(options.logs).toBeUndefined();
    expect(options.mainKind).toBe('sqlite');
    expect(options.main).toMatchObject({
      type: 'better-sqlite3',
      database: join(dir, 'one-api.db'),
      enableWAL: true,
      timeout: 4500,
      synchronize: false,
    });
    expect((options.main.entities as { name: string }[]).map((e) => e.name)).toContain('LogEntity');
    expect((options.main.migrations as { name: string }[]).map((m) => m.name)).toEqual([
      'NewApiBaseline1732350000000',
      'NewApiLogBaseline1732350000001',
      'TopUpPaymentProvider1764000000000',
      'TaskPrivateData1764100000000',
    ]);
  });

  it('honours _busy_timeout in SQLITE_PATH', () => {
    const options = buildDatabaseOptions(readEnv({ SQLITE_PATH: `${join(dir, 'x.db')}?_busy_timeout=30000` }));
    expect(options.main).toMatchObject({ database: join(dir, 'x.db'), timeout: 30000 });
  });

  it('moves logs to LOG_SQL_DSN when it names another database', () => {
    const options = buildDatabaseOptions(
      readEnv({ SQL_DSN: 'postgres://app@pg:5432/gateway', LOG_SQL_DSN: `sqlite:${join(dir, 'logs.db')}` }),
    );
    expect(options.mainKind).toBe('postgres');
    expect(options.logKind).toBe('sqlite');
    expect((options.main.entities as { name: string }[]).map((e) => e.name)).not.toContain('LogEntity');
    expect((options.logs?.entities as { name: string }[]).map((e) => e.name)).toEqual(['LogEntity']);
    expect((options.logs?.migrations as { name: string }[]).map((m) => m.name)).toEqual(['NewApiLogBaseline1732350000001']);
  });

  it("keeps one database when LOG_SQL_DSN names the main one (New API's LOG_SQL_DSN=local)", () => {
    const env = readEnv({ SQLITE_PATH: join(dir, 'one-api.db'), LOG_SQL_DSN: 'local' });
    expect(buildDatabaseOptions(env).logs).toBeUndefined();
    const samePathSpeltOtherwise = readEnv({ SQLITE_PATH: join(dir, 'sub', '..', 'one-api.db'), LOG_SQL_DSN: `sqlite:${resolve(dir, 'one-api.db')}` });
    expect(buildDatabaseOptions(samePathSpeltOtherwise).logs).toBeUndefined();
  });

  it('maps the pool settings onto mysql2 and pg', () => {
    const env = { SQL_MAX_OPEN_CONNS: '40', SQL_MAX_IDLE_CONNS: '20', SQL_MAX_LIFETIME: '300' };
    const mysql = buildDatabaseOptions(readEnv({ ...env, SQL_DSN: 'u:p@tcp(db:3306)/app?tls=skip-verify' })).main;
    expect(mysql).toMatchObject({
      type: 'mysql',
      host: 'db',
      username: 'u',
      password: 'p',
      database: 'app',
      charset: 'utf8mb4_unicode_ci',
      poolSize: 40,
      ssl: { rejectUnauthorized: false },
      extra: { maxIdle: 20, idleTimeout: 300_000 },
    });
    const postgres = buildDatabaseOptions(readEnv({ ...env, SQL_DSN: 'postgres://u:p@pg/app' })).main;
    expect(postgres).toMatchObject({
      type: 'postgres',
      url: 'postgres://u:p@pg/app',
      parseInt8: true,
      poolSize: 40,
      extra: { maxLifetimeSeconds: 300, idleTimeoutMillis: 300_000 },
    });
  });
});
