/**
 * The database layer against each kind of database (TEST_DATABASE=sqlite|mysql|postgres):
 * - the migrations build exactly what the entities describe (TypeORM finds nothing to change);
 * - a database New API [v25.04] created and filled opens as it is: rows kept, missing columns added,
 *   old bcrypt hashes accepted, stored options served, soft-deleted users refused;
 * - LOG_SQL_DSN puts `logs` (and only `logs`) in a second database, here a SQLite file in WAL mode.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { readEnv } from '../src/config/app-config';
import { buildDatabaseOptions } from '../src/database/data-source-options';
import { withServerFlavor } from '../src/database/server-flavor';
import { createTestDatabase, RunningApi, startApi, TestDatabase, TestDatabaseKind, testDatabaseKind } from './harness';
import { ManagementClient } from './management-client';

const kind = testDatabaseKind();

// Each describe starts an API (and creates a database): more than jest's 5 s default.
jest.setTimeout(60_000);

/** Every table the baseline migrations create (logs included when there is no LOG_SQL_DSN). */
const NEW_API_TABLES = [
  'users',
  'tokens',
  'channels',
  'abilities',
  'options',
  'redemptions',
  'top_ups',
  'midjourneys',
  'tasks',
  'quota_data',
  'setups',
  'models',
  'vendors',
  'logs',
];

// ------------------------------------------------------------------ dialect helpers

function quote(name: string, dialect: TestDatabaseKind = kind): string {
  return dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
}

async function columnsOf(db: TestDatabase, table: string): Promise<string[]> {
  const rows =
    db.kind === 'sqlite'
      ? await db.query<{ name: string }>(`PRAGMA table_info(${quote(table, 'sqlite')})`)
      : db.kind === 'mysql'
        ? await db.query<{ name: string }>(
            'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
            [table],
          )
        : await db.query<{ name: string }>(
            'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
            [table],
          );
  return rows.map((r) => r.name).sort();
}

async function tablesOf(db: TestDatabase): Promise<string[]> {
  const rows =
    db.kind === 'sqlite'
      ? await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : db.kind === 'mysql'
        ? await db.query<{ name: string }>(
            'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
          )
        : await db.query<{ name: string }>(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
          );
  return rows.map((r) => r.name).sort();
}

async function count(db: TestDatabase, table: string): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${quote(table, db.kind)}`);
  return Number(row.n);
}

/** Opens a DataSource with exactly the API's options (no migrations run) on a test database. */
async function openDataSource(db: TestDatabase): Promise<DataSource> {
  const options = buildDatabaseOptions(readEnv({ SQL_DSN: db.dsn, SQLITE_PATH: db.sqlitePath || 'unused.db' }));
  const dataSource = new DataSource(await withServerFlavor({ ...options.main, logging: false }));
  return dataSource.initialize();
}

/** A throw-away SQLite file, whatever TEST_DATABASE says (for the LOG_SQL_DSN database). */
function sqliteFile(name: string): { path: string; query<T>(sql: string): T[]; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'your-api-logdb-'));
  const path = join(dir, name);
   
  const BetterSqlite = require('better-sqlite3') as typeof import('better-sqlite3');
  let db: import('better-sqlite3').Database | null = null;
  return {
    path,
    query: <T>(sql: string) => {
      db ??= new BetterSqlite(path);
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all() : (statement.run(), [])) as T[];
    },
    close: () => {
      db?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ no drift on an empty database

describe(`schema built by the migrations (${kind})`, () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('creates every New API table and records both baseline migrations', async () => {
    const tables = await tablesOf(api.database);
    expect(tables).toEqual(expect.arrayContaining([...NEW_API_TABLES, 'your_api_migrations']));
    const migrations = await api.database.query<{ name: string }>(`SELECT name FROM your_api_migrations ORDER BY id`);
    expect(migrations.map((m) => m.name)).toEqual(['NewApiBaseline1732350000000', 'NewApiLogBaseline1732350000001', 'TopUpPaymentProvider1764000000000', 'TaskPrivateData1764100000000']);
  });

  it('leaves TypeORM nothing to change: tables and entities agree exactly', async () => {
    const dataSource = await openDataSource(api.database);
    try {
      const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
      // Joined into one string so a failure prints the statements TypeORM would run.
      expect(upQueries.map((q) => q.query).join(';\n')).toBe('');
    } finally {
      await dataSource.destroy();
    }
  });
});

// ------------------------------------------------------------------ a New API database, adopted

const SYSTEM_NAME = 'Legacy Gateway 旧站';
const ROOT_PASSWORD = 'legacy-root-pw1';
const ALICE_PASSWORD = 'alice-pw-2025';
const BOB_PASSWORD = 'bob-pw-deleted';
const NOW = 1_744_300_000; // 2025-04-10, around [v25.04]

/** bcrypt as Go's golang.org/x/crypto/bcrypt writes it: cost 10, `$2a$` prefix. */
function goBcrypt(password: string): string {
  return bcrypt.hashSync(password, 10).replace(/^\$2b\$/, '$2a$');
}

function fixtureStatements(dialect: TestDatabaseKind): string[] {
  const file = join(__dirname, 'fixtures', 'new-api-v25.04', `${dialect}.sql`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter(Boolean);
}

async function seedNewApiDatabase(db: TestDatabase): Promise<void> {
  for (const statement of fixtureStatements(db.kind)) await db.query(statement);
  const q = (name: string) => quote(name, db.kind);
  // better-sqlite3 binds no booleans; MySQL and PostgreSQL take them as they are.
  const bool = (value: boolean) => (db.kind === 'sqlite' ? (value ? 1 : 0) : value);
  const deletedAt = db.kind === 'sqlite' ? '2025-04-09 10:00:00.123+00:00' : db.kind === 'mysql' ? '2025-04-09 10:00:00.123' : '2025-04-09 10:00:00.123+00';

  const insertUser = `INSERT INTO users (id, username, password, display_name, role, status, email, github_id, wechat_id, telegram_id, access_token, quota, used_quota, request_count, ${q('group')}, aff_code, aff_count, aff_quota, aff_history, inviter_id, deleted_at, linux_do_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  await db.query(insertUser, [1, 'root', goBcrypt(ROOT_PASSWORD), 'Root User', 100, 1, '', '', '', '', 'a'.repeat(32), 100_000_000, 4200, 17, 'default', 'r00t', 0, 0, 0, 0, null, '']);
  await db.query(insertUser, [2, 'alice', goBcrypt(ALICE_PASSWORD), 'Alice', 1, 1, 'alice@example.com', 'alice-gh', '', '', null, 1_234_567, 89_000, 42, 'vip', 'Al1c', 2, 3000, 5000, 1, null, '']);
  await db.query(insertUser, [3, 'bob', goBcrypt(BOB_PASSWORD), 'Bob', 1, 1, 'bob@example.com', '', '', '', null, 500, 0, 0, 'default', 'b0bb', 0, 0, 0, 1, deletedAt, '']);

  const insertToken = `INSERT INTO tokens (id, user_id, ${q('key')}, status, name, created_time, accessed_time, expired_time, remain_quota, unlimited_quota, model_limits_enabled, model_limits, allow_ips, used_quota, ${q('group')}, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  await db.query(insertToken, [1, 1, 'R'.repeat(48), 1, 'root-unlimited', NOW, NOW, -1, 0, bool(true), bool(false), '', '', 12_345, '', null]);
  await db.query(insertToken, [2, 2, 'A'.repeat(24) + 'a'.repeat(24), 1, 'alice-key', NOW, NOW + 60, NOW + 86_400, 500_000, bool(false), bool(true), 'gpt-4o-mini,gpt-4o', '10.0.0.1', 77, 'vip', null]);
  await db.query(insertToken, [3, 2, 'D'.repeat(48), 1, 'alice-deleted', NOW, NOW, -1, 10, bool(false), bool(false), '', '', 0, '', deletedAt]);

  const insertChannel = `INSERT INTO channels (id, type, ${q('key')}, status, name, weight, created_time, test_time, response_time, base_url, other, balance, balance_updated_time, models, ${q('group')}, used_quota, model_mapping, status_code_mapping, priority, auto_ban, other_info, tag, setting, param_override) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  await db.query(insertChannel, [1, 1, 'sk-upstream-one', 1, 'openai-main', 5, NOW, NOW, 321, '', '', 12.5, NOW, 'gpt-4o-mini,gpt-4o', 'default,vip', 9_876_543, '{"gpt-4":"gpt-4o"}', '{"400":"500"}', 10, 1, '{"status_reason":""}', 'main', '{"proxy":""}', '']);
  await db.query(insertChannel, [2, 14, 'sk-ant-two', 2, 'claude-backup', 0, NOW, 0, 0, 'https://api.anthropic.com', '', 0, 0, 'claude-3-5-sonnet', 'default', 0, '', '', 0, 0, '', null, null, null]);

  const insertAbility = `INSERT INTO abilities (${q('group')}, model, channel_id, enabled, priority, weight, tag) VALUES (?, ?, ?, ?, ?, ?, ?)`;
  for (const group of ['default', 'vip']) {
    for (const model of ['gpt-4o-mini', 'gpt-4o']) await db.query(insertAbility, [group, model, 1, bool(true), 10, 5, 'main']);
  }
  await db.query(insertAbility, ['default', 'claude-3-5-sonnet', 2, bool(false), 0, 0, null]);

  const insertOption = `INSERT INTO options (${q('key')}, value) VALUES (?, ?)`;
  await db.query(insertOption, ['SystemName', SYSTEM_NAME]);
  await db.query(insertOption, ['QuotaPerUnit', '500000']);
  await db.query(insertOption, ['SomeFutureSetting', 'kept as is']);

  const insertLog = `INSERT INTO logs (id, user_id, created_at, type, content, username, token_name, model_name, quota, prompt_tokens, completion_tokens, use_time, is_stream, channel_id, token_id, ${q('group')}, other) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  await db.query(insertLog, [1, 2, NOW - 100, 1, '通过兑换码充值 $10', 'alice', '', '', 5_000_000, 0, 0, 0, bool(false), 0, 0, '', '']);
  await db.query(insertLog, [2, 2, NOW - 50, 2, '模型倍率 1.00', 'alice', 'alice-key', 'gpt-4o-mini', 150, 1000, 200, 3, bool(true), 1, 2, 'vip', '{"model_ratio":0.075,"group_ratio":1}']);
  await db.query(insertLog, [3, 1, NOW - 10, 3, 'manage: alice quota', 'root', '', '', 0, 0, 0, 0, bool(false), 0, 0, '', '']);

  // Explicit ids above leave PostgreSQL's sequences at 1; New API's own rows would have moved them.
  if (db.kind === 'postgres') {
    for (const table of ['users', 'tokens', 'channels', 'logs']) {
      await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
    }
  }
}

describe(`a database created by New API v25.04 (${kind})`, () => {
  let api: RunningApi;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    try {
      await seedNewApiDatabase(db);
    } catch (error) {
      await db.drop();
      throw error;
    }
    api = await startApi({ database: db });
  });

  afterAll(async () => {
    if (api) await api.stop();
    else await db?.drop();
  });

  it('keeps every row New API wrote, with its values', async () => {
    expect({
      users: await count(db, 'users'),
      tokens: await count(db, 'tokens'),
      channels: await count(db, 'channels'),
      abilities: await count(db, 'abilities'),
      logs: await count(db, 'logs'),
    }).toEqual({ users: 3, tokens: 3, channels: 2, abilities: 5, logs: 3 });

    const [alice] = await db.query<Record<string, unknown>>(
      `SELECT username, email, quota, used_quota, aff_code, inviter_id, ${quote('group')} AS grp FROM users WHERE id = 2`,
    );
    expect({ ...alice, quota: Number(alice.quota), used_quota: Number(alice.used_quota), inviter_id: Number(alice.inviter_id) }).toEqual({
      username: 'alice',
      email: 'alice@example.com',
      quota: 1_234_567,
      used_quota: 89_000,
      aff_code: 'Al1c',
      inviter_id: 1,
      grp: 'vip',
    });
    const [bob] = await db.query<{ deleted_at: unknown }>('SELECT deleted_at FROM users WHERE id = 3');
    expect(bob.deleted_at).not.toBeNull();

    const [token] = await db.query<Record<string, unknown>>(
      `SELECT ${quote('key')} AS k, remain_quota, model_limits, expired_time FROM tokens WHERE id = 2`,
    );
    expect({ ...token, remain_quota: Number(token.remain_quota), expired_time: Number(token.expired_time) }).toEqual({
      k: 'A'.repeat(24) + 'a'.repeat(24),
      remain_quota: 500_000,
      model_limits: 'gpt-4o-mini,gpt-4o',
      expired_time: NOW + 86_400,
    });

    const [channel] = await db.query<Record<string, unknown>>(
      `SELECT ${quote('key')} AS k, models, ${quote('group')} AS grp, priority, balance, model_mapping FROM channels WHERE id = 1`,
    );
    expect({ ...channel, priority: Number(channel.priority), balance: Number(channel.balance) }).toEqual({
      k: 'sk-upstream-one',
      models: 'gpt-4o-mini,gpt-4o',
      grp: 'default,vip',
      priority: 10,
      balance: 12.5,
      model_mapping: '{"gpt-4":"gpt-4o"}',
    });

    const options = await db.query<{ k: string; value: string }>(`SELECT ${quote('key')} AS k, value FROM options`);
    expect(options).toEqual(
      expect.arrayContaining([
        { k: 'SystemName', value: SYSTEM_NAME },
        { k: 'QuotaPerUnit', value: '500000' },
        { k: 'SomeFutureSetting', value: 'kept as is' },
      ]),
    );

    const [log] = await db.query<Record<string, unknown>>('SELECT model_name, quota, prompt_tokens, other FROM logs WHERE id = 2');
    expect({ ...log, quota: Number(log.quota), prompt_tokens: Number(log.prompt_tokens) }).toEqual({
      model_name: 'gpt-4o-mini',
      quota: 150,
      prompt_tokens: 1000,
      other: '{"model_ratio":0.075,"group_ratio":1}',
    });
  });

  it('adds the columns and tables that came after v25.04, and nothing of New API is dropped', async () => {
    const userColumns = await columnsOf(db, 'users');
    expect(userColumns).toEqual(expect.arrayContaining(['oidc_id', 'setting', 'remark', 'linux_do_id', 'access_token', 'deleted_at']));
    expect(await columnsOf(db, 'channels')).toEqual(expect.arrayContaining(['channel_info', 'param_override', 'tag']));
    expect(await columnsOf(db, 'logs')).toEqual(expect.arrayContaining(['request_id', 'other', 'group']));
    expect(await tablesOf(db)).toEqual(expect.arrayContaining(NEW_API_TABLES));
    // New rows in an added column get the column's default.
    const [root] = await db.query<{ remark: string | null; oidc_id: string | null }>('SELECT remark, oidc_id FROM users WHERE id = 1');
    expect(root).toEqual({ remark: '', oidc_id: '' });
  });

  it('logs in both users with the passwords New API hashed', async () => {
    const root = await new ManagementClient(api.baseUrl).login('root', ROOT_PASSWORD);
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({ success: true, data: { id: 1, role: 100 } });
    const alice = await new ManagementClient(api.baseUrl).login('alice', ALICE_PASSWORD);
    expect(alice.status).toBe(200);
    expect(alice.body).toMatchObject({ success: true, data: { id: 2, role: 1, group: 'vip' } });
    const wrong = await new ManagementClient(api.baseUrl).login('alice', 'not-her-password');
    expect(wrong.body.success).toBe(false);
  });

  it('reads a legacy user through the management API', async () => {
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', ROOT_PASSWORD);
    const reply = await root.get<Record<string, unknown>>('/api/user/2');
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({
      id: 2,
      username: 'alice',
      quota: 1_234_567,
      used_quota: 89_000,
      request_count: 42,
      group: 'vip',
      aff_code: 'Al1c',
      aff_history_quota: 5000,
      inviter_id: 1,
      github_id: 'alice-gh',
    });
  });

  it('serves the stored SystemName on /api/status', async () => {
    const response = await fetch(`${api.baseUrl}/api/status`);
    const body = (await response.json()) as { success: boolean; data: { system_name: string } };
    expect(body.success).toBe(true);
    expect(body.data.system_name).toBe(SYSTEM_NAME);
  });

  it('refuses a soft-deleted user even with the right password', async () => {
    const bob = await new ManagementClient(api.baseUrl).login('bob', BOB_PASSWORD);
    expect(bob.status).not.toBe(200);
    expect(bob.body.success).toBe(false);
    expect(await count(db, 'users')).toBe(3); // still there, only hidden
  });
});

// ------------------------------------------------------------------ LOG_SQL_DSN: logs in their own database

describe(`LOG_SQL_DSN with a separate SQLite log database (main: ${kind})`, () => {
  let api: RunningApi;
  const logDatabase = sqliteFile('logs.db');

  beforeAll(async () => {
    api = await startApi({ env: { LOG_SQL_DSN: `sqlite:${logDatabase.path}` } });
  });

  afterAll(async () => {
    await api?.stop();
    logDatabase.close();
  });

  it('creates logs only in the log database, and the other tables only in the main one', async () => {
    const logTables = logDatabase.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    expect(logTables.map((t) => t.name).sort()).toEqual(['logs', 'your_api_migrations']);
    const mainTables = await tablesOf(api.database);
    expect(mainTables).not.toContain('logs');
    expect(mainTables).toEqual(expect.arrayContaining(NEW_API_TABLES.filter((t) => t !== 'logs')));
  });

  it('runs SQLite in WAL mode', () => {
    expect(logDatabase.query<{ journal_mode: string }>('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('serves the logs from the log database', async () => {
    logDatabase.query(
      `INSERT INTO logs (user_id, created_at, type, content, username) VALUES (1, ${NOW}, 3, 'written into the log database', 'root')`,
    );
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const reply = await root.get<{ items: { content: string }[] }>('/api/log/?p=1&page_size=10');
    expect(reply.status).toBe(200);
    expect(reply.body.data?.items.map((i) => i.content)).toContain('written into the log database');
  });
});

describe('SQLite main database', () => {
  // Runs with SQLite whatever TEST_DATABASE says: SQLite is the default deployment.
  it('runs in WAL journal mode', async () => {
    const main = sqliteFile('one-api.db');
    const api = await startApi({
      database: { kind: 'sqlite', dsn: '', sqlitePath: main.path, query: async () => [], drop: async () => main.close() },
    });
    try {
      expect(main.query<{ journal_mode: string }>('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(main.query<{ name: string }>("SELECT name FROM sqlite_master WHERE name = 'logs'")).toEqual([{ name: 'logs' }]);
    } finally {
      await api.stop();
    }
  });
});
