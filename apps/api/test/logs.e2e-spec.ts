import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ManagementClient } from './management-client';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';

/**
 * /api/log, /api/data and /api/group over real HTTP, on fixtures written straight into the
 * database in New API's shape; plus LogsService.record/enqueue and DataService.recordUsage run
 * inside a real (built) application context against the same database.
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const bool = (value: boolean) => (kind === 'postgres' ? value : value ? 1 : 0);
const now = () => Math.floor(Date.now() / 1000);

const REPO_ROOT = resolve(__dirname, '../../..');
const DIST = resolve(__dirname, '../dist');

interface LogItem {
  id: number;
  user_id: number;
  created_at: number;
  type: number;
  content: string;
  username: string;
  token_name: string;
  model_name: string;
  quota: number;
  prompt_tokens: number;
  completion_tokens: number;
  channel?: number;
  group: string;
  request_id: string;
  other: string;
  is_stream: boolean;
}

interface LogPage {
  page: number;
  page_size: number;
  total: number;
  items: LogItem[];
}

interface QuotaRow {
  id: number;
  user_id: number;
  username: string;
  model_name: string;
  created_at: number;
  token_used: number;
  count: number;
  quota: number;
}

async function insertUser(db: TestDatabase, username: string, role: number, accessToken: string): Promise<number> {
  await db.query('INSERT INTO users (username, password, display_name, role, status, access_token) VALUES (?, ?, ?, ?, 1, ?)', [
    username,
    'not-a-login-password',
    username,
    role,
    accessToken,
  ]);
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return Number(row.id);
}

interface LogFixture {
  user_id: number;
  created_at: number;
  type: number;
  content?: string;
  username: string;
  token_name?: string;
  model_name?: string;
  quota?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  channel_id?: number;
  group?: string;
  request_id?: string;
  other?: string;
}

async function insertLog(db: TestDatabase, log: LogFixture): Promise<void> {
  await db.query(
    `INSERT INTO logs (user_id, created_at, type, content, username, token_name, model_name, quota, prompt_tokens,
       completion_tokens, use_time, is_stream, channel_id, token_id, ${quoted('group')}, request_id, other)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      log.user_id,
      log.created_at,
      log.type,
      log.content ?? '',
      log.username,
      log.token_name ?? '',
      log.model_name ?? '',
      log.quota ?? 0,
      log.prompt_tokens ?? 0,
      log.completion_tokens ?? 0,
      1,
      bool(false),
      log.channel_id ?? 0,
      0,
      log.group ?? '',
      log.request_id ?? '',
      log.other ?? '',
    ],
  );
}

/**
 * Boots the built application (no HTTP) against the test database, runs `body` with `logs`
 * (LogsService) and `data` (DataService) in scope, closes the application (running its shutdown
 * hooks) and returns what `body` returned.
 */
async function runInsideApp(database: TestDatabase, body: string, env: Record<string, string> = {}): Promise<unknown> {
  const script = `
    require('reflect-metadata');
    const { NestFactory } = require('@nestjs/core');
    const { DataSource } = require('typeorm');
    const { AppModule } = require(${JSON.stringify(`${DIST}/app.module.js`)});
    const { AppConfig } = require(${JSON.stringify(`${DIST}/config/app-config.js`)});
    const { LogsService } = require(${JSON.stringify(`${DIST}/modules/logs/logs.service.js`)});
    const { DataService } = require(${JSON.stringify(`${DIST}/modules/data/data.service.js`)});
    (async () => {
      const app = await NestFactory.createApplicationContext(AppModule.forRoot(AppConfig.fromProcess()), { logger: ['error', 'warn'] });
      const logs = app.get(LogsService);
      const data = app.get(DataService);
      const countLogs = async (model) =>
        Number((await app.get(DataSource).query('SELECT COUNT(*) AS n FROM logs WHERE model_name = ' + "'" + model + "'"))[0].n);
      const result = await (async () => { ${body} })();
      await app.close();
      process.stdout.write('\\nRESULT ' + JSON.stringify(result === undefined ? null : result) + '\\n');
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      SQL_DSN: database.dsn,
      SQLITE_PATH: database.sqlitePath || 'unused.db',
      SESSION_SECRET: 'e2e-session-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  clearTimeout(timer);
  const match = /\nRESULT (.*)\n/.exec(output);
  if (code !== 0 || !match) throw new Error(`in-app script failed (exit ${code}):\n${output}`);
  return JSON.parse(match[1]) as unknown;
}

// Starting an API (and the in-app scripts) takes a few seconds on MariaDB/PostgreSQL.
jest.setTimeout(60_000);

describe('logs, dashboard data and groups', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let admin: ManagementClient;
  let alice: ManagementClient;
  let bob: ManagementClient;
  let anonymous: ManagementClient;
  let ids: { root: number; admin: number; alice: number; bob: number };
  /** Fixture logs are 10 days old (outside the rpm window) except the two "recent" ones. */
  const T0 = now() - 10 * 24 * 3600;

  beforeAll(async () => {
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const db = api.database;
    ids = {
      root: root.userId!,
      admin: await insertUser(db, 'log_admin', 10, 'a'.repeat(32)),
      alice: await insertUser(db, 'alice', 1, 'b'.repeat(32)),
      bob: await insertUser(db, 'bob', 1, 'c'.repeat(32)),
    };
    admin = new ManagementClient(api.baseUrl).useAccessToken('a'.repeat(32), ids.admin);
    alice = new ManagementClient(api.baseUrl).useAccessToken('b'.repeat(32), ids.alice);
    bob = new ManagementClient(api.baseUrl).useAccessToken('c'.repeat(32), ids.bob);
    anonymous = new ManagementClient(api.baseUrl);

    // ids 1..8 in this order
    const fixtures: LogFixture[] = [
      {
        user_id: ids.alice, created_at: T0 + 100, type: 2, username: 'alice', token_name: 'a-key', model_name: 'gpt-4o',
        quota: 1000, prompt_tokens: 10, completion_tokens: 20, channel_id: 3, group: 'default', request_id: 'req-a1',
        content: 'model ratio 2.5', other: JSON.stringify({ model_ratio: 2.5, admin_info: { use_channel: ['3'] } }),
      },
      {
        user_id: ids.alice, created_at: T0 + 200, type: 2, username: 'alice', token_name: 'a-key', model_name: 'claude-3-haiku',
        quota: 500, prompt_tokens: 5, completion_tokens: 5, channel_id: 4, group: 'vip',
      },
      {
        user_id: ids.bob, created_at: T0 + 300, type: 2, username: 'bob', token_name: 'b-key', model_name: 'gpt-4o',
        quota: 700, prompt_tokens: 7, completion_tokens: 7, channel_id: 3, group: 'default',
      },
      { user_id: ids.bob, created_at: T0 + 400, type: 1, username: 'bob', content: 'Recharged 10 USD' },
      { user_id: ids.root, created_at: T0 + 500, type: 3, username: 'root', content: 'Managed user bob' },
      {
        user_id: ids.alice, created_at: T0 + 600, type: 5, username: 'alice', token_name: 'a-key', model_name: 'gpt-4o',
        channel_id: 4, content: 'upstream error 500', other: JSON.stringify({ status_code: 500, admin_info: { use_channel: ['4'] } }),
      },
      {
        user_id: ids.alice, created_at: now() - 5, type: 2, username: 'alice', token_name: 'a-key', model_name: 'gpt-4o',
        quota: 300, prompt_tokens: 100, completion_tokens: 50, channel_id: 3, group: 'default',
      },
      {
        user_id: ids.bob, created_at: now() - 10, type: 2, username: 'bob', token_name: 'b-key', model_name: 'gpt-4o',
        quota: 200, prompt_tokens: 40, completion_tokens: 60, channel_id: 3, group: 'default',
      },
    ];
    for (const fixture of fixtures) await insertLog(db, fixture);
  });

  afterAll(async () => {
    await api?.stop();
  });

  /** Keeps the two "recent" fixtures inside the last minute, however long earlier tests took. */
  async function refreshRecentLogs(): Promise<void> {
    await api.database.query('UPDATE logs SET created_at = ? WHERE id IN (7, 8)', [now() - 5]);
  }

  const idsOf = (page: { items: { id: number }[] } | undefined) => page?.items.map((item) => item.id);

  describe('GET /api/log/ (admin)', () => {
    it('lists every log newest first with New API field names', async () => {
      const reply = await root.get<LogPage>('/api/log/');
      expect(reply.status).toBe(200);
      expect(reply.body.success).toBe(true);
      expect(reply.body.data).toMatchObject({ page: 1, page_size: 10, total: 8 });
      expect(idsOf(reply.body.data)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
      const first = reply.body.data!.items.find((item) => item.id === 1)!;
      expect(first).toMatchObject({
        user_id: ids.alice,
        username: 'alice',
        type: 2,
        channel: 3,
        token_name: 'a-key',
        model_name: 'gpt-4o',
        quota: 1000,
        prompt_tokens: 10,
        completion_tokens: 20,
        group: 'default',
        request_id: 'req-a1',
        is_stream: false,
      });
      expect(first).not.toHaveProperty('channel_id');
      expect(typeof first.other).toBe('string');
      expect(JSON.parse(first.other)).toEqual({ model_ratio: 2.5, admin_info: { use_channel: ['3'] } });
    });

    it('pages with p and page_size', async () => {
      const reply = await root.get<LogPage>('/api/log/?p=2&page_size=3');
      expect(reply.body.data).toMatchObject({ page: 2, page_size: 3, total: 8 });
      expect(idsOf(reply.body.data)).toEqual([5, 4, 3]);
    });

    it.each([
      ['type=2', [8, 7, 3, 2, 1]],
      ['username=bob', [8, 4, 3]],
      ['token_name=a-key', [7, 6, 2, 1]],
      ['model_name=gpt-4o', [8, 7, 6, 3, 1]],
      ['model_name=claude%25', [2]],
      ['channel=4', [6, 2]],
      ['group=vip', [2]],
      ['request_id=req-a1', [1]],
      [`start_timestamp=${T0 + 200}&end_timestamp=${T0 + 400}`, [4, 3, 2]],
      [`type=2&username=alice&start_timestamp=${T0}`, [7, 2, 1]],
      ['type=0&username=&token_name=&model_name=&channel=&group=&start_timestamp=0&end_timestamp=0', [8, 7, 6, 5, 4, 3, 2, 1]],
    ])('filters by %s', async (query, expected) => {
      const reply = await root.get<LogPage>(`/api/log/?${query}`);
      expect(reply.status).toBe(200);
      expect(idsOf(reply.body.data)).toEqual(expected);
      expect(reply.body.data!.total).toBe(expected.length);
    });

    it('rejects a non-numeric filter with 400', async () => {
      const reply = await root.get('/api/log/?type=abc');
      expect(reply.status).toBe(400);
      expect(reply.body.success).toBe(false);
    });

    it('is open to admins, closed to common users (403) and to anonymous callers (401)', async () => {
      expect((await admin.get<LogPage>('/api/log/')).body.data?.total).toBe(8);
      expect((await alice.get('/api/log/')).status).toBe(403);
      expect((await anonymous.get('/api/log/')).status).toBe(401);
    });
  });

  describe('GET /api/log/search (admin)', () => {
    it('matches a numeric keyword against the type', async () => {
      const reply = await root.get<LogItem[]>('/api/log/search?keyword=5');
      expect(reply.status).toBe(200);
      expect(reply.body.data?.map((item) => item.id)).toEqual([6]);
    });

    it('matches the start of the content, newest first', async () => {
      expect((await root.get<LogItem[]>('/api/log/search?keyword=Recharged')).body.data?.map((item) => item.id)).toEqual([4]);
      expect((await root.get<LogItem[]>('/api/log/search?keyword=bob')).body.data).toEqual([]);
      expect((await root.get<LogItem[]>('/api/log/search?keyword=model')).body.data?.map((item) => item.id)).toEqual([1]);
    });

    it('is closed to common users', async () => {
      expect((await alice.get('/api/log/search?keyword=5')).status).toBe(403);
    });
  });

  describe('GET /api/log/stat (admin)', () => {
    beforeEach(refreshRecentLogs);

    it('sums consumed quota in the range; rpm/tpm count consume logs of the last minute', async () => {
      const reply = await root.get<{ quota: number; rpm: number; tpm: number }>('/api/log/stat');
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual({ quota: 2700, rpm: 2, tpm: 250 });
    });

    it('applies the filters (the time range only to quota)', async () => {
      expect((await root.get('/api/log/stat?username=alice')).body.data).toEqual({ quota: 1800, rpm: 1, tpm: 150 });
      expect((await root.get(`/api/log/stat?start_timestamp=${T0 + 150}&end_timestamp=${T0 + 350}`)).body.data).toEqual({
        quota: 1200,
        rpm: 2,
        tpm: 250,
      });
      expect((await root.get('/api/log/stat?model_name=claude-3-haiku')).body.data).toEqual({ quota: 500, rpm: 0, tpm: 0 });
      expect((await root.get('/api/log/stat?channel=3&group=default')).body.data).toEqual({ quota: 2200, rpm: 2, tpm: 250 });
    });

    it('is closed to common users', async () => {
      expect((await alice.get('/api/log/stat')).status).toBe(403);
    });
  });

  describe('/api/log/self (user)', () => {
    it('lists only the caller’s logs, without channel ids or admin_info', async () => {
      const reply = await alice.get<LogPage>('/api/log/self');
      expect(reply.status).toBe(200);
      expect(reply.body.data?.total).toBe(4);
      expect(idsOf(reply.body.data)).toEqual([7, 6, 2, 1]);
      for (const item of reply.body.data!.items) {
        expect(item.user_id).toBe(ids.alice);
        expect(item).not.toHaveProperty('channel');
        expect(item).not.toHaveProperty('channel_name');
        expect(item.other).not.toContain('admin_info');
      }
      const first = reply.body.data!.items.find((item) => item.id === 1)!;
      expect(JSON.parse(first.other)).toEqual({ model_ratio: 2.5 });
      expect(first).toMatchObject({ quota: 1000, model_name: 'gpt-4o', token_name: 'a-key' });
    });

    it('ignores the admin-only filters username and channel', async () => {
      expect(idsOf((await alice.get<LogPage>('/api/log/self?username=bob')).body.data)).toEqual([7, 6, 2, 1]);
      expect(idsOf((await alice.get<LogPage>('/api/log/self?channel=4')).body.data)).toEqual([7, 6, 2, 1]);
    });

    it('applies the other filters and paging', async () => {
      expect(idsOf((await alice.get<LogPage>('/api/log/self?type=2')).body.data)).toEqual([7, 2, 1]);
      expect(idsOf((await alice.get<LogPage>('/api/log/self?model_name=claude-3-haiku')).body.data)).toEqual([2]);
      const paged = await alice.get<LogPage>('/api/log/self?p=2&page_size=3');
      expect(paged.body.data).toMatchObject({ page: 2, page_size: 3, total: 4 });
      expect(idsOf(paged.body.data)).toEqual([1]);
      expect((await bob.get<LogPage>('/api/log/self')).body.data?.total).toBe(3);
    });

    it('searches only the caller’s logs', async () => {
      const reply = await alice.get<LogItem[]>('/api/log/self/search?keyword=5');
      expect(reply.status).toBe(200);
      expect(reply.body.data?.map((item) => item.id)).toEqual([6]);
      expect(reply.body.data?.[0]).not.toHaveProperty('channel');
      expect(reply.body.data?.[0].other).toBe(JSON.stringify({ status_code: 500 }));
      expect((await bob.get<LogItem[]>('/api/log/self/search?keyword=5')).body.data).toEqual([]);
      expect((await bob.get<LogItem[]>('/api/log/self/search?keyword=Recharged')).body.data?.map((item) => item.id)).toEqual([4]);
      expect((await alice.get<LogItem[]>('/api/log/self/search?keyword=Recharged')).body.data).toEqual([]);
    });

    it('stat covers only the caller', async () => {
      await refreshRecentLogs();
      expect((await alice.get('/api/log/self/stat')).body.data).toEqual({ quota: 1800, rpm: 1, tpm: 150 });
      expect((await bob.get('/api/log/self/stat?username=alice')).body.data).toEqual({ quota: 900, rpm: 1, tpm: 100 });
    });

    it('needs a logged-in caller', async () => {
      expect((await anonymous.get('/api/log/self')).status).toBe(401);
      expect((await anonymous.get('/api/log/self/stat')).status).toBe(401);
    });
  });

  describe('LogsService inside the application', () => {
    it('record() writes a row at once; enqueue() rows are written by the shutdown flush', async () => {
      const written = await runInsideApp(
        api.database,
        `
        await logs.record({
          userId: ${ids.alice}, type: 2, content: 'recorded directly', username: 'alice', tokenName: 'a-key',
          modelName: 'in-app-record', quota: 42, promptTokens: 3, completionTokens: 4, useTime: 2, isStream: true,
          channelId: 9, tokenId: 11, group: 'vip', requestId: 'req-in-app', other: { model_ratio: 3, admin_info: { use_channel: ['9'] } },
        });
        for (let i = 0; i < 130; i++) {
          logs.enqueue({ userId: ${ids.bob}, type: 2, content: 'queued ' + i, username: 'bob', modelName: 'in-app-enqueue', quota: 1 });
        }
        // Still buffered: the batch waits for its timer or for the shutdown flush.
        return { recorded: await countLogs('in-app-record'), queued: await countLogs('in-app-enqueue') };
      `,
      );
      expect(written).toEqual({ recorded: 1, queued: 0 });

      const recorded = await root.get<LogPage>('/api/log/?model_name=in-app-record');
      expect(recorded.body.data?.total).toBe(1);
      const row = recorded.body.data!.items[0];
      expect(row).toMatchObject({
        user_id: ids.alice,
        type: 2,
        content: 'recorded directly',
        username: 'alice',
        token_name: 'a-key',
        quota: 42,
        prompt_tokens: 3,
        completion_tokens: 4,
        is_stream: true,
        channel: 9,
        group: 'vip',
        request_id: 'req-in-app',
      });
      expect(JSON.parse(row.other)).toEqual({ model_ratio: 3, admin_info: { use_channel: ['9'] } });
      expect(Math.abs(row.created_at - now())).toBeLessThan(120);

      const queued = await root.get<LogPage>('/api/log/?model_name=in-app-enqueue&page_size=100');
      expect(queued.body.data?.total).toBe(130);
      const contents = new Set((await api.database.query<{ content: string }>("SELECT content FROM logs WHERE model_name = 'in-app-enqueue'")).map((r) => r.content));
      expect(contents.size).toBe(130);
      expect(contents.has('queued 0') && contents.has('queued 129')).toBe(true);
    });

    it('flush() writes enqueued rows before shutdown', async () => {
      const counted = await runInsideApp(
        api.database,
        `
        logs.enqueue({ userId: ${ids.bob}, type: 4, content: 'flushed explicitly', username: 'bob', modelName: 'in-app-flush' });
        const before = await countLogs('in-app-flush');
        await logs.flush();
        return [before, await countLogs('in-app-flush')];
      `,
      );
      expect(counted).toEqual([0, 1]);
      expect((await root.get<LogPage>('/api/log/?model_name=in-app-flush')).body.data?.total).toBe(1);
    });

    it('skips consume logs (not others) while LogConsumeEnabled is off', async () => {
      expect((await root.put('/api/option/', { key: 'LogConsumeEnabled', value: 'false' })).status).toBe(200);
      try {
        await runInsideApp(
          api.database,
          `
          await logs.record({ userId: ${ids.bob}, type: 2, content: 'consume', username: 'bob', modelName: 'in-app-switch' });
          logs.enqueue({ userId: ${ids.bob}, type: 2, content: 'consume queued', username: 'bob', modelName: 'in-app-switch' });
          await logs.record({ userId: ${ids.bob}, type: 4, content: 'system', username: 'bob', modelName: 'in-app-switch' });
        `,
        );
      } finally {
        await root.put('/api/option/', { key: 'LogConsumeEnabled', value: 'true' });
      }
      const reply = await root.get<LogPage>('/api/log/?model_name=in-app-switch');
      expect(reply.body.data?.items.map((item) => item.content)).toEqual(['system']);
    });
  });

  describe('DELETE /api/log/ (admin)', () => {
    it('is closed to common users and needs target_timestamp', async () => {
      expect((await alice.delete(`/api/log/?target_timestamp=${T0 + 350}`)).status).toBe(403);
      const missing = await root.delete('/api/log/');
      expect(missing.status).toBe(400);
      expect(missing.body.success).toBe(false);
    });

    it('deletes logs created before the timestamp and returns how many went', async () => {
      const before = (await root.get<LogPage>('/api/log/')).body.data!.total;
      const reply = await root.delete<number>(`/api/log/?target_timestamp=${T0 + 350}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ success: true, data: 3 });
      expect((await root.get<LogPage>('/api/log/')).body.data!.total).toBe(before - 3);
      const left = await api.database.query<{ id: number }>('SELECT id FROM logs WHERE id <= 6 ORDER BY id');
      expect(left.map((row) => Number(row.id))).toEqual([4, 5, 6]);
    });
  });

  describe('/api/data (dashboard)', () => {
    /** Two days ago, on the hour; the fixtures of this block live around it. */
    const H = now() - (now() % 3600) - 48 * 3600;

    beforeAll(async () => {
      const rows: [number, string, string, number, number, number, number][] = [
        // user_id, username, model_name, created_at, token_used, count, quota
        [ids.alice, 'alice', 'gpt-4o', H, 30, 2, 100],
        [ids.alice, 'alice', 'claude-3-haiku', H, 10, 1, 50],
        [ids.bob, 'bob', 'gpt-4o', H, 60, 3, 300],
        [ids.alice, 'alice', 'gpt-4o', H + 3600, 5, 1, 10],
        [ids.bob, 'bob', 'gpt-4o', H - 40 * 24 * 3600, 1, 1, 1],
      ];
      for (const row of rows) {
        await api.database.query(
          'INSERT INTO quota_data (user_id, username, model_name, created_at, token_used, ' + quoted('count') + ', quota) VALUES (?, ?, ?, ?, ?, ?, ?)',
          row,
        );
      }
    });

    it('admin without username: all users summed per model and hour, oldest first', async () => {
      const reply = await root.get<QuotaRow[]>(`/api/data/?start_timestamp=${H}&end_timestamp=${H + 3600}`);
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual([
        { id: 0, user_id: 0, username: '', model_name: 'claude-3-haiku', created_at: H, token_used: 10, count: 1, quota: 50 },
        { id: 0, user_id: 0, username: '', model_name: 'gpt-4o', created_at: H, token_used: 90, count: 5, quota: 400 },
        { id: 0, user_id: 0, username: '', model_name: 'gpt-4o', created_at: H + 3600, token_used: 5, count: 1, quota: 10 },
      ]);
    });

    it('admin with username: that user’s rows as stored', async () => {
      const reply = await admin.get<QuotaRow[]>(`/api/data/?start_timestamp=${H}&end_timestamp=${H + 3600}&username=alice`);
      expect(reply.status).toBe(200);
      const rows = reply.body.data!;
      expect(rows.map((row) => [row.model_name, row.created_at, row.count, row.quota, row.token_used])).toEqual([
        ['gpt-4o', H, 2, 100, 30],
        ['claude-3-haiku', H, 1, 50, 10],
        ['gpt-4o', H + 3600, 1, 10, 5],
      ]);
      for (const row of rows) expect(row).toMatchObject({ user_id: ids.alice, username: 'alice' });
      expect(rows.every((row) => row.id > 0)).toBe(true);
    });

    it('respects the range bounds', async () => {
      const reply = await root.get<QuotaRow[]>(`/api/data/?start_timestamp=${H + 1}&end_timestamp=${H + 3600}&username=alice`);
      expect(reply.body.data?.map((row) => row.created_at)).toEqual([H + 3600]);
    });

    it('is closed to common users', async () => {
      expect((await alice.get('/api/data/')).status).toBe(403);
    });

    it('self: only the caller’s rows', async () => {
      const reply = await bob.get<QuotaRow[]>(`/api/data/self?start_timestamp=${H}&end_timestamp=${H + 3600}`);
      expect(reply.status).toBe(200);
      expect(reply.body.data?.map((row) => [row.username, row.model_name, row.count])).toEqual([['bob', 'gpt-4o', 3]]);
    });

    it('self without a range: the last month up to now', async () => {
      const reply = await bob.get<QuotaRow[]>('/api/data/self');
      expect(reply.body.data?.map((row) => row.created_at)).toEqual([H]);
    });

    it('self refuses a span longer than a month', async () => {
      const reply = await alice.get(`/api/data/self?start_timestamp=${H - 31 * 24 * 3600}&end_timestamp=${H}`);
      expect(reply.status).toBe(400);
      expect(reply.body.success).toBe(false);
    });

    it('DataService.recordUsage sums per user, model and hour and upserts on flush and at shutdown', async () => {
      const hour = now() - (now() % 3600) - 5 * 3600;
      await runInsideApp(
        api.database,
        `
        data.recordUsage({ userId: ${ids.alice}, username: 'alice', modelName: 'in-app-model', quota: 100, tokens: 10, at: ${hour + 10} });
        data.recordUsage({ userId: ${ids.alice}, username: 'alice', modelName: 'in-app-model', quota: 50, tokens: 5, at: ${hour + 3000} });
        data.recordUsage({ userId: ${ids.bob}, username: 'bob', modelName: 'in-app-model', quota: 1, tokens: 1, at: ${hour + 20} });
        const written = await data.flush();
        if (written !== 2) throw new Error('expected 2 keys, got ' + written);
        // Same key again: must be added to the row above, not inserted beside it (written by the shutdown flush).
        data.recordUsage({ userId: ${ids.alice}, username: 'alice', modelName: 'in-app-model', quota: 7, tokens: 1, at: ${hour + 3599} });
        data.recordUsage({ userId: ${ids.alice}, username: 'alice', modelName: 'in-app-model', quota: 3, tokens: 2, at: ${hour + 3600} });
      `,
      );
      const reply = await root.get<QuotaRow[]>(`/api/data/?start_timestamp=${hour}&end_timestamp=${hour + 3600}&username=alice`);
      expect(reply.body.data?.map((row) => [row.model_name, row.created_at, row.count, row.quota, row.token_used])).toEqual([
        ['in-app-model', hour, 3, 157, 16],
        ['in-app-model', hour + 3600, 1, 3, 2],
      ]);
      const bobRows = await root.get<QuotaRow[]>(`/api/data/?start_timestamp=${hour}&end_timestamp=${hour + 3600}&username=bob`);
      expect(bobRows.body.data?.map((row) => [row.count, row.quota])).toEqual([[1, 1]]);
    });
  });

  describe('GET /api/group/ (admin)', () => {
    it('lists the group names of GroupRatio', async () => {
      const reply = await root.get<string[]>('/api/group/');
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual(['default', 'vip', 'svip']);
    });

    it('follows a GroupRatio change at once', async () => {
      expect((await root.put('/api/option/', { key: 'GroupRatio', value: '{"default":1,"pro":0.5,"free":0}' })).status).toBe(200);
      expect((await admin.get<string[]>('/api/group/')).body.data).toEqual(['default', 'pro', 'free']);
    });

    it('is closed to common users', async () => {
      expect((await alice.get('/api/group/')).status).toBe(403);
      expect((await anonymous.get('/api/group/')).status).toBe(401);
    });
  });

  describe('with LOG_SQL_DSN (logs in their own database)', () => {
    let logApi: RunningApi;
    let logDir: string;
    let env: Record<string, string>;

    beforeAll(async () => {
      logDir = mkdtempSync(join(tmpdir(), 'your-api-logdb-'));
      env = { LOG_SQL_DSN: `sqlite:${join(logDir, 'logs.db')}` };
      logApi = await startApi({ env });
    });

    afterAll(async () => {
      await logApi?.stop();
      rmSync(logDir, { recursive: true, force: true });
    });

    it('writes, lists, sums and prunes logs there', async () => {
      const logRoot = await new ManagementClient(logApi.baseUrl).loginOrThrow('root', '123456');
      await runInsideApp(
        logApi.database,
        `
        await logs.record({ userId: 1, type: 2, content: 'separate db', username: 'root', modelName: 'log-db-model', quota: 11, promptTokens: 1, completionTokens: 2 });
        logs.enqueue({ userId: 1, type: 2, content: 'separate db queued', username: 'root', modelName: 'log-db-model', quota: 4 });
      `,
        env,
      );
      const listed = await logRoot.get<LogPage>('/api/log/?model_name=log-db-model');
      expect(listed.body.data?.items.map((item) => item.content)).toEqual(['separate db queued', 'separate db']);
      expect((await logRoot.get('/api/log/stat?model_name=log-db-model')).body.data).toEqual({ quota: 15, rpm: 2, tpm: 3 });
      expect((await logRoot.get<LogPage>('/api/log/self')).body.data?.total).toBe(2);
      // None of these rows is in the main database (whose logs table, if any, is not used).
      const inMain = await logApi.database
        .query<{ n: number }>("SELECT COUNT(*) AS n FROM logs WHERE model_name = 'log-db-model'")
        .then((rows) => Number(rows[0].n))
        .catch(() => 0);
      expect(inMain).toBe(0);
      const pruned = await logRoot.delete<number>(`/api/log/?target_timestamp=${now() + 60}`);
      expect(pruned.body.data).toBe(2);
      expect((await logRoot.get<LogPage>('/api/log/')).body.data?.total).toBe(0);
    });
  });
});
