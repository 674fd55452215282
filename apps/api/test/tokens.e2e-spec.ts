import { randomBytes } from 'node:crypto';
import { ManagementClient } from './management-client';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';

/**
 * /api/token over real HTTP: a user's own API keys. Users are written straight into the database
 * and authenticate with management access tokens (New-Api-User + Authorization).
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const now = () => Math.floor(Date.now() / 1000);

interface TokenItem {
  id: number;
  user_id: number;
  key: string;
  status: number;
  name: string;
  created_time: number;
  accessed_time: number;
  expired_time: number;
  remain_quota: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  model_limits: string;
  allow_ips: string;
  used_quota: number;
  group: string;
}

interface TokenPage {
  page: number;
  page_size: number;
  total: number;
  items: TokenItem[];
}

async function insertUser(db: TestDatabase, username: string, role: number, group = 'default'): Promise<{ id: number; accessToken: string }> {
  const accessToken = randomBytes(16).toString('hex');
  await db.query(
    `INSERT INTO users (username, password, display_name, role, status, access_token, ${quoted('group')}) VALUES (?, ?, ?, ?, 1, ?, ?)`,
    [username, 'not-a-login-password', username, role, accessToken, group],
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return { id: Number(row.id), accessToken };
}

describe(`tokens (${kind})`, () => {
  let api: RunningApi;
  let root: ManagementClient;
  let alice: ManagementClient;
  let bob: ManagementClient;
  let carol: ManagementClient;
  let admin: ManagementClient;
  let aliceId: number;

  const client = async (username: string, role: number, group?: string) => {
    const user = await insertUser(api.database, username, role, group);
    return { client: new ManagementClient(api.baseUrl).useAccessToken(user.accessToken, user.id), id: user.id };
  };

  const create = (who: ManagementClient, body: Record<string, unknown>) => who.post<TokenItem>('/api/token/', body);

  beforeAll(async () => {
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const a = await client('alice', 1);
    alice = a.client;
    aliceId = a.id;
    bob = (await client('bob', 1)).client;
    carol = (await client('carol', 1, 'special')).client;
    admin = (await client('admin1', 10)).client;
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('needs a logged-in user', async () => {
    const anonymous = new ManagementClient(api.baseUrl);
    const reply = await anonymous.get('/api/token/');
    expect(reply.status).toBe(401);
    expect(reply.body.success).toBe(false);
  });

  it('creates a token, shows the owner the full sk- key and stores it without the prefix', async () => {
    const reply = await create(alice, {
      name: 'first',
      remain_quota: 1000,
      expired_time: -1,
      unlimited_quota: false,
      model_limits_enabled: true,
      model_limits: 'gpt-4o, claude-3-5-sonnet-20241022,,gpt-4o',
      allow_ips: '10.0.0.1\n192.168.0.0/16\n',
      group: 'vip',
      cross_group_retry: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.success).toBe(true);
    const token = reply.body.data!;
    expect(token.key).toMatch(/^sk-[0-9a-zA-Z]{48}$/);
    expect(token).toMatchObject({
      user_id: aliceId,
      name: 'first',
      status: 1,
      remain_quota: 1000,
      expired_time: -1,
      unlimited_quota: false,
      model_limits_enabled: true,
      model_limits: 'gpt-4o,claude-3-5-sonnet-20241022',
      allow_ips: '10.0.0.1\n192.168.0.0/16',
      group: 'vip',
      used_quota: 0,
    });
    expect(Math.abs(token.created_time - now())).toBeLessThan(30);

    const rows = await api.database.query<Record<string, unknown>>('SELECT * FROM tokens WHERE id = ?', [token.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].key).toBe(token.key.slice(3));
    expect(Number(rows[0].user_id)).toBe(aliceId);
    expect(rows[0].deleted_at ?? null).toBeNull();
  });

  it('applies defaults for optional fields', async () => {
    const reply = await create(alice, { name: 'defaults' });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ expired_time: -1, remain_quota: 0, unlimited_quota: false, group: '', allow_ips: '', model_limits: '' });
  });

  it('lists only the caller’s tokens, newest first, paged', async () => {
    await create(bob, { name: 'bob-token' });
    const reply = await alice.get<TokenPage>('/api/token/?p=1&page_size=1');
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ page: 1, page_size: 1, total: 2 });
    expect(reply.body.data!.items).toHaveLength(1);
    expect(reply.body.data!.items[0].name).toBe('defaults');

    const all = await alice.get<TokenPage>('/api/token/');
    expect(all.body.data!.items.map((t) => t.name)).toEqual(['defaults', 'first']);
    expect(all.body.data!.items.every((t) => t.user_id === aliceId)).toBe(true);
    const ids = all.body.data!.items.map((t) => t.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('searches by name and by key, treating % and _ literally', async () => {
    await create(alice, { name: '50%_off' });
    await create(alice, { name: '50xxoff' });

    const percent = await alice.get<TokenPage>(`/api/token/search?keyword=${encodeURIComponent('50%_')}`);
    expect(percent.status).toBe(200);
    expect(percent.body.data!.items.map((t) => t.name)).toEqual(['50%_off']);

    const fragment = await alice.get<TokenPage>('/api/token/search?keyword=FIR');
    expect(fragment.body.data!.items.map((t) => t.name)).toEqual(['first']);

    const first = fragment.body.data!.items[0];
    const byWholeKey = await alice.get<TokenPage>(`/api/token/search?token=${encodeURIComponent(first.key)}`);
    expect(byWholeKey.body.data!.items.map((t) => t.id)).toEqual([first.id]);
    const byPart = await alice.get<TokenPage>(`/api/token/search?token=${first.key.slice(10, 30)}`);
    expect(byPart.body.data!.items.map((t) => t.id)).toEqual([first.id]);

    // bob cannot find alice's token even with its exact key
    const foreign = await bob.get<TokenPage>(`/api/token/search?token=${encodeURIComponent(first.key)}`);
    expect(foreign.status).toBe(200);
    expect(foreign.body.data!.items).toEqual([]);
  });

  it('gets one of the caller’s tokens; another user’s id answers 404, even for admins', async () => {
    const mine = (await alice.get<TokenPage>('/api/token/search?keyword=first')).body.data!.items[0];
    const own = await alice.get<TokenItem>(`/api/token/${mine.id}`);
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ id: mine.id, name: 'first', key: mine.key });

    for (const other of [bob, admin, root]) {
      const read = await other.get(`/api/token/${mine.id}`);
      expect(read.status).toBe(404);
      expect(read.body.success).toBe(false);
      expect(JSON.stringify(read.body)).not.toContain(mine.key.slice(3));
      const update = await other.put(`/api/token/`, { id: mine.id, name: 'stolen' });
      expect(update.status).toBe(404);
      const status = await other.put(`/api/token/?status_only=true`, { id: mine.id, status: 2 });
      expect(status.status).toBe(404);
      const del = await other.delete(`/api/token/${mine.id}`);
      expect(del.status).toBe(404);
    }
    const unchanged = await alice.get<TokenItem>(`/api/token/${mine.id}`);
    expect(unchanged.body.data).toMatchObject({ name: 'first', status: 1 });

    const missing = await alice.get('/api/token/999999');
    expect(missing.status).toBe(404);
    const badId = await alice.get('/api/token/abc');
    expect(badId.status).toBe(400);
  });

  it('keeps admin-owned and user-owned tokens apart', async () => {
    const adminToken = (await create(admin, { name: 'admin-token', unlimited_quota: true })).body.data!;
    expect(adminToken.key).toMatch(/^sk-/);
    const adminList = await admin.get<TokenPage>('/api/token/');
    expect(adminList.body.data!.items.map((t) => t.name)).toEqual(['admin-token']);
    const aliceList = await alice.get<TokenPage>('/api/token/');
    expect(aliceList.body.data!.items.some((t) => t.name === 'admin-token')).toBe(false);
    const read = await alice.get(`/api/token/${adminToken.id}`);
    expect(read.status).toBe(404);
  });

  it.each([
    ['a name longer than 50 characters', { name: 'x'.repeat(51) }, /too long/i],
    ['a missing name', { remain_quota: 10 }, /name is required/],
    ['a blank name', { name: '   ' }, /name is required/],
    ['a bad IP', { name: 'ip', allow_ips: '10.0.0.1\n10.0.0.300' }, /allow_ips line 2/],
    ['a bad CIDR', { name: 'ip', allow_ips: '10.0.0.0/40' }, /allow_ips/],
    ['a group the user may not use', { name: 'g', group: 'svip-not-usable' }, /not available/],
    ['a negative quota', { name: 'q', remain_quota: -1 }, /must not be negative/],
    ['a quota above 1e9 × QuotaPerUnit', { name: 'q', remain_quota: 1e9 * 500000 + 1 }, /at most 500000000000000/],
    ['a past expiry', { name: 'e', expired_time: now() - 60 }, /expired_time/],
    ['a string quota', { name: 'q', remain_quota: '100' }, /remain_quota must be an integer/],
    ['a fractional quota', { name: 'q', remain_quota: 1.5 }, /remain_quota must be an integer/],
    ['a string boolean', { name: 'b', unlimited_quota: 'yes' }, /unlimited_quota must be true or false/],
    ['a numeric name', { name: 42 }, /name must be a string/],
    ['a non-string allow_ips', { name: 'ip', allow_ips: ['1.2.3.4'] }, /allow_ips must be a string/],
  ])('rejects %s with 400', async (_label, body, message) => {
    const before = await api.database.query<{ n: number }>('SELECT COUNT(*) AS n FROM tokens');
    const reply = await create(alice, body);
    expect(reply.status).toBe(400);
    expect(reply.body.success).toBe(false);
    expect(reply.body.message).toMatch(message);
    const after = await api.database.query<{ n: number }>('SELECT COUNT(*) AS n FROM tokens');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it('accepts the user’s own group even when it is not in UserUsableGroups, and a future expiry', async () => {
    const reply = await create(carol, { name: 'own-group', group: 'special', expired_time: now() + 3600 });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ group: 'special' });
    const other = await create(alice, { name: 'not-alice-group', group: 'special' });
    expect(other.status).toBe(400);
  });

  it('updates fields, and with status_only only the status', async () => {
    const token = (await create(alice, { name: 'to-update', remain_quota: 10 })).body.data!;
    const updated = await alice.put<TokenItem>('/api/token/', {
      ...token,
      name: 'updated',
      remain_quota: 20,
      unlimited_quota: true,
      allow_ips: '::1',
      model_limits: 'a,b',
      group: 'default',
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ id: token.id, name: 'updated', remain_quota: 20, unlimited_quota: true, allow_ips: '::1', group: 'default', key: token.key });
    const read = await alice.get<TokenItem>(`/api/token/${token.id}`);
    expect(read.body.data).toMatchObject({ name: 'updated', remain_quota: 20, model_limits: 'a,b' });

    const statusOnly = await alice.put<TokenItem>('/api/token/?status_only=true', { id: token.id, status: 2, name: 'ignored', remain_quota: 999 });
    expect(statusOnly.status).toBe(200);
    const afterStatus = await alice.get<TokenItem>(`/api/token/${token.id}`);
    expect(afterStatus.body.data).toMatchObject({ status: 2, name: 'updated', remain_quota: 20 });

    const enabled = await alice.put('/api/token/?status_only=true', { id: token.id, status: 1 });
    expect(enabled.status).toBe(200);
    expect((await alice.get<TokenItem>(`/api/token/${token.id}`)).body.data!.status).toBe(1);

    const badUpdate = await alice.put('/api/token/', { id: token.id, allow_ips: 'nope' });
    expect(badUpdate.status).toBe(400);
    const badStatus = await alice.put('/api/token/?status_only=true', { id: token.id, status: 9 });
    expect(badStatus.status).toBe(400);
    const noStatus = await alice.put('/api/token/?status_only=true', { id: token.id });
    expect(noStatus.status).toBe(400);
    const noId = await alice.put('/api/token/', { name: 'x' });
    expect(noId.status).toBe(400);
    expect((await alice.get<TokenItem>(`/api/token/${token.id}`)).body.data!.allow_ips).toBe('::1');
  });

  it('refuses to re-enable an expired token until its expiry is fixed', async () => {
    const token = (await create(alice, { name: 'expiring', expired_time: now() + 3600 })).body.data!;
    await api.database.query('UPDATE tokens SET status = 3, expired_time = ? WHERE id = ?', [now() - 10, token.id]);
    const refused = await alice.put('/api/token/?status_only=true', { id: token.id, status: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/expired/i);
    expect(refused.body.message).toMatch(/expiry|never expire/i);
    const stillExpired = await alice.get<TokenItem>(`/api/token/${token.id}`);
    expect(stillExpired.body.data!.status).toBe(3);

    // Renaming keeps the (past) expiry as it is and does not need it to be in the future.
    const rename = await alice.put('/api/token/', { id: token.id, name: 'expired-renamed', expired_time: stillExpired.body.data!.expired_time, status: 3 });
    expect(rename.status).toBe(200);

    const fixed = await alice.put<TokenItem>('/api/token/', { id: token.id, expired_time: -1, status: 1 });
    expect(fixed.status).toBe(200);
    expect(fixed.body.data).toMatchObject({ status: 1, expired_time: -1, name: 'expired-renamed' });
  });

  it('refuses to re-enable an exhausted limited token until it has quota', async () => {
    const token = (await create(alice, { name: 'exhausting', remain_quota: 5 })).body.data!;
    await api.database.query('UPDATE tokens SET status = 4, remain_quota = 0 WHERE id = ?', [token.id]);
    const refused = await alice.put('/api/token/?status_only=true', { id: token.id, status: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/quota/i);
    expect(refused.body.message).toMatch(/unlimited/i);

    const fixed = await alice.put<TokenItem>('/api/token/', { id: token.id, remain_quota: 100, status: 1 });
    expect(fixed.status).toBe(200);
    expect(fixed.body.data).toMatchObject({ status: 1, remain_quota: 100 });
  });

  it('soft-deletes a token', async () => {
    const token = (await create(alice, { name: 'doomed' })).body.data!;
    const reply = await alice.delete(`/api/token/${token.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.success).toBe(true);
    const rows = await api.database.query<Record<string, unknown>>('SELECT deleted_at FROM tokens WHERE id = ?', [token.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].deleted_at).not.toBeNull();
    expect((await alice.get(`/api/token/${token.id}`)).status).toBe(404);
    const list = await alice.get<TokenPage>('/api/token/?page_size=100');
    expect(list.body.data!.items.some((t) => t.id === token.id)).toBe(false);
    expect((await alice.delete(`/api/token/${token.id}`)).status).toBe(404);
  });

  it('caps the number of tokens per user with token_setting.max_user_tokens', async () => {
    const set = await root.put('/api/option/', { key: 'token_setting.max_user_tokens', value: '3' });
    expect(set.body.success).toBe(true);
    const dave = (await client('dave', 1)).client;
    const made: TokenItem[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await create(dave, { name: `t${i}` });
      expect(reply.status).toBe(200);
      made.push(reply.body.data!);
    }
    const fourth = await create(dave, { name: 't3' });
    expect(fourth.status).toBe(400);
    expect(fourth.body.message).toMatch(/3/);
    // deleted tokens do not count
    expect((await dave.delete(`/api/token/${made[0].id}`)).status).toBe(200);
    expect((await create(dave, { name: 't4' })).status).toBe(200);
    await root.put('/api/option/', { key: 'token_setting.max_user_tokens', value: '1000' });
  });
});
