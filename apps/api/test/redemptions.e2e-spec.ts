import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';
import { ManagementClient, Reply } from './management-client';
import { createChannel, createToken, waitFor } from './relay-fixtures';

/**
 * Redemption codes over real HTTP: admins issue and manage them (/api/redemption), users redeem
 * them (POST /api/user/topup). The redeem must credit exactly once however often, and however
 * concurrently, a key is sent. Users are written straight into the database and authenticate with
 * management access tokens.
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const now = () => Math.floor(Date.now() / 1000);
const QUOTA_PER_UNIT = 500_000;

interface CodeItem {
  id: number;
  user_id: number;
  key: string;
  status: number;
  name: string;
  quota: number;
  created_time: number;
  redeemed_time: number;
  used_user_id: number;
  expired_time: number;
}

interface CodePage {
  page: number;
  page_size: number;
  total: number;
  items: CodeItem[];
}

async function insertUser(db: TestDatabase, username: string, role: number, quota = 0): Promise<{ id: number; accessToken: string }> {
  const accessToken = randomBytes(16).toString('hex');
  await db.query(
    `INSERT INTO users (username, password, display_name, role, status, access_token, quota, ${quoted('group')}) VALUES (?, ?, ?, ?, 1, ?, ?, 'default')`,
    [username, 'not-a-login-password', username, role, accessToken, quota],
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return { id: Number(row.id), accessToken };
}

describe(`redemption codes (${kind})`, () => {
  let api: RunningApi;
  let root: ManagementClient;
  let admin: ManagementClient;
  let adminId: number;
  let alice: ManagementClient;
  let aliceId: number;
  let fake: FakeOpenAi;
  let userSeq = 0;

  const newUser = async (role = 1, quota = 0) => {
    const username = `user${++userSeq}`;
    const user = await insertUser(api.database, username, role, quota);
    return { client: new ManagementClient(api.baseUrl).useAccessToken(user.accessToken, user.id), id: user.id, username };
  };

  const createCodes = async (body: Record<string, unknown>): Promise<string[]> => {
    const reply = await admin.post<string[]>('/api/redemption/', body);
    expect(reply.body).toMatchObject({ success: true });
    return reply.body.data!;
  };
  const codeByKey = async (key: string): Promise<Record<string, unknown>> => {
    const rows = await api.database.query<Record<string, unknown>>(`SELECT * FROM redemptions WHERE ${quoted('key')} = ?`, [key]);
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  const quotaOf = async (userId: number): Promise<number> => {
    const [row] = await api.database.query<{ quota: number | string }>('SELECT quota FROM users WHERE id = ?', [userId]);
    return Number(row.quota);
  };
  const topUpLogs = (userId?: number) =>
    api.database.query<{ user_id: number | string; content: string; quota: number | string; username: string }>(
      userId === undefined ? 'SELECT * FROM logs WHERE type = 1 ORDER BY id' : 'SELECT * FROM logs WHERE type = 1 AND user_id = ? ORDER BY id',
      userId === undefined ? [] : [userId],
    );
  const redeem = (who: ManagementClient, key: unknown) => who.post<number>('/api/user/topup', { key });
  const expectRefused = (reply: Reply, message: RegExp) => {
    expect(reply.body).toEqual({ success: false, message: expect.stringMatching(message) });
    expect(reply.status).toBeGreaterThanOrEqual(400);
  };

  beforeAll(async () => {
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const a = await newUser(10);
    admin = a.client;
    adminId = a.id;
    const b = await newUser(1);
    alice = b.client;
    aliceId = b.id;
    fake = await startFakeOpenAi({ reply: 'ok' });
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.close();
  });

  it('keeps the admin routes from common users and the redeem route from anonymous callers', async () => {
    const [key] = await createCodes({ name: 'guarded', quota: 10, count: 1 });
    const id = Number((await codeByKey(key)).id);
    const attempts: Array<Promise<Reply>> = [
      alice.get('/api/redemption/'),
      alice.get('/api/redemption/search?keyword=guarded'),
      alice.get(`/api/redemption/${id}`),
      alice.post('/api/redemption/', { name: 'mine', quota: 1_000_000, count: 1 }),
      alice.put('/api/redemption/', { id, quota: 1_000_000 }),
      alice.put('/api/redemption/?status_only=true', { id, status: 2 }),
      alice.delete(`/api/redemption/${id}`),
      alice.delete('/api/redemption/invalid'),
    ];
    for (const reply of await Promise.all(attempts)) {
      expect(reply.status).toBe(403);
      expect(reply.body.success).toBe(false);
    }
    const anonymous = await new ManagementClient(api.baseUrl).post('/api/user/topup', { key });
    expect(anonymous.status).toBe(401);
    // Nothing of the above changed the code.
    expect(await codeByKey(key)).toMatchObject({ status: 1, name: 'guarded' });
    expect(Number((await codeByKey(key)).quota)).toBe(10);
  });

  it('creates codes in a batch and answers their keys once, in the create response', async () => {
    const expiresAt = now() + 3600;
    const keys = await createCodes({ name: 'launch', quota: 2 * QUOTA_PER_UNIT, count: 3, expired_time: expiresAt });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{32}$/);
      const row = await codeByKey(key);
      expect(row).toMatchObject({ name: 'launch', status: 1 });
      expect(Number(row.quota)).toBe(2 * QUOTA_PER_UNIT);
      expect(Number(row.user_id)).toBe(adminId);
      expect(Number(row.expired_time)).toBe(expiresAt);
      expect(Number(row.used_user_id)).toBe(0);
      expect(Number(row.redeemed_time)).toBe(0);
      expect(Math.abs(Number(row.created_time) - now())).toBeLessThan(30);
    }
    // Never expiring when no expiry is sent.
    const [forever] = await createCodes({ name: 'forever', quota: 5, count: 1 });
    expect(Number((await codeByKey(forever)).expired_time)).toBe(0);
  });

  it('refuses bad create requests and stores nothing for them', async () => {
    const [{ count: before }] = await api.database.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM redemptions');
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: '', quota: 10, count: 1 }, /name must be 1 to 20/],
      [{ name: 'x'.repeat(21), quota: 10, count: 1 }, /name must be 1 to 20/],
      [{ quota: 10, count: 1 }, /name is required/],
      [{ name: 'n', quota: 10, count: 0 }, /count must be at least 1/],
      [{ name: 'n', quota: 10, count: 101 }, /count must be at most 100/],
      [{ name: 'n', quota: 10 }, /count is required/],
      [{ name: 'n', quota: 0, count: 1 }, /quota must be at least 1/],
      [{ name: 'n', quota: -5, count: 1 }, /quota must be at least 1/],
      [{ name: 'n', quota: 1.5, count: 1 }, /quota must be an integer/],
      [{ name: 'n', quota: 10, count: 1, expired_time: now() - 10 }, /expired_time must be 0/],
    ];
    for (const [body, message] of bad) {
      const reply = await admin.post('/api/redemption/', body);
      expect({ body, status: reply.status, reply: reply.body }).toEqual({ body, status: 400, reply: { success: false, message: expect.stringMatching(message) } });
    }
    const [{ count: after }] = await api.database.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM redemptions');
    expect(Number(after)).toBe(Number(before));
    // The largest batch is fine.
    expect(await createCodes({ name: 'bulk', quota: 1, count: 100 })).toHaveLength(100);
  });

  it('redeems a code: answers the quota, credits the balance once, logs a top-up and marks the code used', async () => {
    const [key] = await createCodes({ name: 'welcome', quota: 3 * QUOTA_PER_UNIT, count: 1 });
    const before = await quotaOf(aliceId);
    const reply = await redeem(alice, `  ${key}\n`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ success: true, message: '', data: 3 * QUOTA_PER_UNIT });
    expect(await quotaOf(aliceId)).toBe(before + 3 * QUOTA_PER_UNIT);
    const self = await alice.get<{ quota: number }>('/api/user/self');
    expect(self.body.data?.quota).toBe(before + 3 * QUOTA_PER_UNIT);

    const row = await codeByKey(key);
    expect(Number(row.status)).toBe(3);
    expect(Number(row.used_user_id)).toBe(aliceId);
    expect(Math.abs(Number(row.redeemed_time) - now())).toBeLessThan(30);
    const logs = await topUpLogs(aliceId);
    expect(logs).toHaveLength(1);
    expect(logs[0].content).toBe(`Redeemed code #${Number(row.id)} for $3.000000 (${3 * QUOTA_PER_UNIT} quota)`);
    expect(Number(logs[0].quota)).toBe(3 * QUOTA_PER_UNIT);
    expect(logs[0].username).toBe('user2');

    // The user sees the row in their own log list.
    const own = await alice.get<{ items: Array<{ type: number; content: string }> }>('/api/log/self?type=1');
    expect(own.body.data?.items).toEqual([expect.objectContaining({ type: 1, content: logs[0].content })]);
  });

  it('refuses the same code a second time, from the same or another user, and changes nothing', async () => {
    const [key] = await createCodes({ name: 'once', quota: 1_000, count: 1 });
    expect((await redeem(alice, key)).body.success).toBe(true);
    const bob = await newUser();
    const aliceQuota = await quotaOf(aliceId);
    const logsBefore = (await topUpLogs()).length;
    expectRefused(await redeem(alice, key), /already been used/);
    expectRefused(await redeem(bob.client, key), /already been used/);
    expect(await quotaOf(aliceId)).toBe(aliceQuota);
    expect(await quotaOf(bob.id)).toBe(0);
    expect(await topUpLogs()).toHaveLength(logsBefore);
    expect(Number((await codeByKey(key)).used_user_id)).toBe(aliceId);
  });

  it('refuses an empty, missing, unknown or malformed key with a clear message', async () => {
    expectRefused(await redeem(alice, ''), /Enter a redemption code/);
    expectRefused(await redeem(alice, '   '), /Enter a redemption code/);
    expectRefused(await alice.post('/api/user/topup', {}), /Enter a redemption code/);
    expectRefused(await redeem(alice, 42), /key must be a string/);
    expectRefused(await redeem(alice, 'f'.repeat(32)), /does not exist/);
    expectRefused(await redeem(alice, 'f'.repeat(33)), /does not exist/);
    expectRefused(await redeem(alice, "' OR 1=1 --"), /does not exist/);
  });

  it('credits exactly once when 20 users send the same fresh code at the same moment', async () => {
    const [key] = await createCodes({ name: 'race', quota: 7_777, count: 1 });
    const racers: Array<Awaited<ReturnType<typeof newUser>>> = [];
    for (let i = 0; i < 20; i++) racers.push(await newUser());
    const replies = await Promise.all(racers.map((racer) => redeem(racer.client, key)));

    const winners = replies.map((reply, i) => ({ reply, racer: racers[i] })).filter(({ reply }) => reply.body.success);
    expect(winners).toHaveLength(1);
    expect(winners[0].reply.body.data).toBe(7_777);
    for (const reply of replies.filter((r) => !r.body.success)) expect(reply.body.message).toMatch(/already been used/);

    const balances: number[] = [];
    for (const racer of racers) balances.push(await quotaOf(racer.id));
    expect(balances.reduce((sum, quota) => sum + quota, 0)).toBe(7_777);
    expect(await quotaOf(winners[0].racer.id)).toBe(7_777);
    const row = await codeByKey(key);
    expect(Number(row.used_user_id)).toBe(winners[0].racer.id);
    const logs = (await topUpLogs()).filter((log) => log.content.startsWith(`Redeemed code #${Number(row.id)} `));
    expect(logs).toHaveLength(1);
    expect(Number(logs[0].user_id)).toBe(winners[0].racer.id);
  });

  it('credits exactly once when one user sends the same code 20 times at once', async () => {
    const [key] = await createCodes({ name: 'double click', quota: 1_234, count: 1 });
    const user = await newUser();
    const replies = await Promise.all(Array.from({ length: 20 }, () => redeem(user.client, key)));
    expect(replies.filter((reply) => reply.body.success)).toHaveLength(1);
    // The rest were turned away: busy (another redeem of theirs was running) or already used.
    for (const reply of replies.filter((r) => !r.body.success)) expect(reply.body.message).toMatch(/in progress|already been used/);
    expect(await quotaOf(user.id)).toBe(1_234);
    expect(await topUpLogs(user.id)).toHaveLength(1);
  });

  it('refuses expired and disabled codes, and redeems a disabled code once it is enabled again', async () => {
    const [expiring, disabled] = await createCodes({ name: 'limits', quota: 500, count: 2, expired_time: now() + 3600 });
    const user = await newUser();
    // Expiry passes: move it into the past directly, as time would.
    await api.database.query(`UPDATE redemptions SET expired_time = ? WHERE ${quoted('key')} = ?`, [now() - 1, expiring]);
    expectRefused(await redeem(user.client, expiring), /has expired/);
    expect(Number((await codeByKey(expiring)).status)).toBe(1);

    const disabledId = Number((await codeByKey(disabled)).id);
    const off = await admin.put<CodeItem>('/api/redemption/?status_only=true', { id: disabledId, status: 2 });
    expect(off.body.data).toMatchObject({ id: disabledId, status: 2 });
    expectRefused(await redeem(user.client, disabled), /has been disabled/);
    expect(await quotaOf(user.id)).toBe(0);
    expect(await topUpLogs(user.id)).toHaveLength(0);

    const on = await admin.put<CodeItem>('/api/redemption/?status_only=true', { id: disabledId, status: 1 });
    expect(on.body.data?.status).toBe(1);
    expect((await redeem(user.client, disabled)).body.data).toBe(500);
    expect(await quotaOf(user.id)).toBe(500);
  });

  it('lets the relay use redeemed quota at once', async () => {
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o-mini' });
    const user = await newUser();
    const token = await createToken(user.client, { name: 'spend' });
    const chat = () =>
      fetch(`${api.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.key}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }),
      });
    const broke = await chat();
    expect(broke.status).toBe(403);
    const [key] = await createCodes({ name: 'fuel', quota: QUOTA_PER_UNIT, count: 1 });
    expect((await redeem(user.client, key)).body.success).toBe(true);
    const funded = await chat();
    expect(funded.status).toBe(200);
    // The call is billed against the redeemed balance (settled just behind the response).
    await waitFor(() => quotaOf(user.id), (quota) => quota < QUOTA_PER_UNIT);
  });

  it('lists newest first with paging, finds codes by name prefix, id or key, and gets one', async () => {
    const keys = await createCodes({ name: 'findme_100%', quota: 42, count: 3 });
    const ids: number[] = [];
    for (const key of keys) ids.push(Number((await codeByKey(key)).id));

    const first = await admin.get<CodePage>('/api/redemption/?p=1&page_size=2');
    expect(first.body.data).toMatchObject({ page: 1, page_size: 2 });
    const [{ count }] = await api.database.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM redemptions');
    expect(first.body.data?.total).toBe(Number(count));
    expect(first.body.data?.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const second = await admin.get<CodePage>('/api/redemption/?p=2&page_size=2');
    expect(second.body.data?.items[0].id).toBe(ids[0]);

    const byName = await admin.get<CodePage>(`/api/redemption/search?keyword=${encodeURIComponent('findme_100%')}`);
    expect(byName.body.data?.items.map((item) => item.id)).toEqual([...ids].reverse());
    // LIKE wildcards in the keyword are literal: "findme%" matches no name starting with "findme%".
    const literal = await admin.get<CodePage>(`/api/redemption/search?keyword=${encodeURIComponent('findme%')}`);
    expect(literal.body.data?.total).toBe(0);
    const byId = await admin.get<CodePage>(`/api/redemption/search?keyword=${ids[1]}`);
    expect(byId.body.data?.items.map((item) => item.id)).toContain(ids[1]);
    const byKey = await admin.get<CodePage>(`/api/redemption/search?keyword=${keys[0]}`);
    expect(byKey.body.data?.items.map((item) => item.id)).toEqual([ids[0]]);

    const one = await admin.get<CodeItem>(`/api/redemption/${ids[0]}`);
    expect(one.body.data).toEqual({
      id: ids[0],
      user_id: adminId,
      key: keys[0],
      status: 1,
      name: 'findme_100%',
      quota: 42,
      created_time: expect.any(Number),
      redeemed_time: 0,
      used_user_id: 0,
      expired_time: 0,
    });
    const missing = await admin.get('/api/redemption/99999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, message: expect.stringMatching(/does not exist/) });
    expect((await admin.get('/api/redemption/abc')).status).toBe(400);
  });

  it('updates name, quota and expiry, and status with status_only; a used code stays used', async () => {
    const [key, usedKey] = await createCodes({ name: 'editable', quota: 100, count: 2 });
    const id = Number((await codeByKey(key)).id);
    const later = now() + 7200;
    const edited = await admin.put<CodeItem>('/api/redemption/', { id, name: 'edited', quota: 250, expired_time: later });
    expect(edited.body.data).toMatchObject({ id, name: 'edited', quota: 250, expired_time: later, status: 1 });
    expect(await codeByKey(key)).toMatchObject({ name: 'edited' });

    // status_only changes just the status, whatever else is sent.
    const statusOnly = await admin.put<CodeItem>('/api/redemption/?status_only=true', { id, status: 2, name: 'ignored', quota: 1 });
    expect(statusOnly.body.data).toMatchObject({ name: 'edited', quota: 250, status: 2 });
    expectRefused(await admin.put('/api/redemption/?status_only=true', { id }), /status is required/);
    expectRefused(await admin.put('/api/redemption/', { id, name: '' }), /name must be 1 to 20/);
    expectRefused(await admin.put('/api/redemption/', { id, expired_time: now() - 60 }), /expired_time must be 0/);
    expectRefused(await admin.put('/api/redemption/', { id, status: 3 }), /redeemed|status must be/);
    expectRefused(await admin.put('/api/redemption/', { id: 99999999, name: 'x' }), /does not exist/);

    const user = await newUser();
    expect((await redeem(user.client, usedKey)).body.data).toBe(100);
    const usedId = Number((await codeByKey(usedKey)).id);
    expectRefused(await admin.put('/api/redemption/?status_only=true', { id: usedId, status: 1 }), /cannot be enabled or disabled/);
    // The console sends the whole code back: the unchanged status 3 with a new name is fine.
    const renamed = await admin.put<CodeItem>('/api/redemption/', { id: usedId, name: 'spent', status: 3 });
    expect(renamed.body.data).toMatchObject({ name: 'spent', status: 3, used_user_id: user.id });
    expectRefused(await redeem(user.client, usedKey), /already been used/);
    expect(await quotaOf(user.id)).toBe(100);
  });

  it('deletes one code, and deletes the used, disabled and expired ones in one go', async () => {
    const [gone, used, disabled, expired, valid, future] = await createCodes({ name: 'cleanup', quota: 9, count: 6 });
    const idOf = async (key: string) => Number((await codeByKey(key)).id);
    const goneId = await idOf(gone);
    expect((await admin.delete(`/api/redemption/${goneId}`)).body).toEqual({ success: true, message: '' });
    expect((await admin.get(`/api/redemption/${goneId}`)).status).toBe(404);
    expectRefused(await redeem(alice, gone), /does not exist/);
    expect((await admin.delete(`/api/redemption/${goneId}`)).status).toBe(404);

    expect((await redeem(alice, used)).body.success).toBe(true);
    await admin.put('/api/redemption/?status_only=true', { id: await idOf(disabled), status: 2 });
    await api.database.query(`UPDATE redemptions SET expired_time = ? WHERE ${quoted('key')} = ?`, [now() - 5, expired]);
    await api.database.query(`UPDATE redemptions SET expired_time = ? WHERE ${quoted('key')} = ?`, [now() + 3600, future]);

    const live = async () =>
      (await api.database.query<{ key: string }>(`SELECT ${quoted('key')} AS ${quoted('key')} FROM redemptions WHERE deleted_at IS NULL`)).map((row) => row.key);
    const invalidBefore = (await api.database.query<{ count: number | string }>(
      'SELECT COUNT(*) AS count FROM redemptions WHERE deleted_at IS NULL AND (status IN (2, 3) OR (status = 1 AND expired_time <> 0 AND expired_time <= ?))',
      [now()],
    ))[0].count;
    const reply = await admin.delete<number>('/api/redemption/invalid');
    expect(reply.body).toEqual({ success: true, message: '', data: Number(invalidBefore) });
    expect(Number(invalidBefore)).toBeGreaterThanOrEqual(3);
    const remaining = await live();
    expect(remaining).toEqual(expect.arrayContaining([valid, future]));
    for (const key of [used, disabled, expired]) expect(remaining).not.toContain(key);
    // Soft deletes: the rows stay for the record.
    expect(await codeByKey(used)).toMatchObject({ deleted_at: expect.anything() });
    // Nothing left to delete the second time.
    expect((await admin.delete<number>('/api/redemption/invalid')).body.data).toBe(0);
    expect((await redeem(alice, valid)).body.data).toBe(9);
  });
});

describe(`redemption codes with logs in their own database (main: ${kind})`, () => {
  let api: RunningApi;
  const logDir = mkdtempSync(join(tmpdir(), 'your-api-redeem-logs-'));
  const logPath = join(logDir, 'logs.db');

  beforeAll(async () => {
    api = await startApi({ env: { LOG_SQL_DSN: `sqlite:${logPath}` } });
  });

  afterAll(async () => {
    await api?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('credits the balance and writes the top-up log row into the log database', async () => {
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const user = await insertUser(api.database, 'far-logs', 1);
    const client = new ManagementClient(api.baseUrl).useAccessToken(user.accessToken, user.id);
    const created = await root.post<string[]>('/api/redemption/', { name: 'split', quota: 321, count: 1 });
    const [key] = created.body.data!;
    expect((await client.post<number>('/api/user/topup', { key })).body).toEqual({ success: true, message: '', data: 321 });
    const [row] = await api.database.query<{ quota: number | string }>('SELECT quota FROM users WHERE id = ?', [user.id]);
    expect(Number(row.quota)).toBe(321);

    const own = await waitFor(
      () => client.get<{ items: Array<{ type: number; content: string }> }>('/api/log/self?type=1'),
      (reply) => (reply.body.data?.items.length ?? 0) > 0,
    );
    expect(own.body.data?.items).toEqual([expect.objectContaining({ type: 1, content: expect.stringMatching(/^Redeemed code #\d+ for \$0\.000642 \(321 quota\)$/) })]);
    expect((await client.post('/api/user/topup', { key })).body.message).toMatch(/already been used/);
  });
});
