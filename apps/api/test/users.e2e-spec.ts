import { ManagementClient, Reply } from './management-client';
import { RunningApi, startApi } from './harness';

interface UserBody {
  id: number;
  username: string;
  display_name: string;
  role: number;
  status: number;
  group: string;
  quota: number;
  aff_code: string;
  aff_count: number;
  aff_quota: number;
  aff_history_quota: number;
  inviter_id: number;
  remark: string;
  access_token?: string | null;
  password?: string;
}

interface PageBody<T> {
  page: number;
  page_size: number;
  total: number;
  items: T[];
}

const PASSWORD = 'password123';

// The e2e project's testTimeout in jest.config.js is not applied (Jest reads it only globally);
// an API start on PostgreSQL under load takes more than Jest's default 5 s.
jest.setTimeout(60_000);

/** /api/user: registration, invites, sessions and access tokens, self service, administration and role rules. */
describe('users', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let anonymous: ManagementClient;
  let serial = 0;

  /** Short unique usernames (the limit is 20 characters). */
  const uniqueName = (prefix: string) => `${prefix}${(++serial).toString(36)}${Date.now().toString(36).slice(-4)}`;

  const setOption = async (key: string, value: string) => {
    const reply = await root.put('/api/option/', { key, value });
    if (reply.status !== 200) throw new Error(`setting ${key} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  };

  const register = (body: Record<string, unknown>) => anonymous.post<{ id: number; username: string }>('/api/user/register', body);

  /** Registers a user through the API and returns a logged-in client for them. */
  const newUser = async (prefix = 'u', extra: Record<string, unknown> = {}) => {
    const username = uniqueName(prefix);
    const reply = await register({ username, password: PASSWORD, ...extra });
    if (reply.status !== 200) throw new Error(`register ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    const client = await new ManagementClient(api.baseUrl).loginOrThrow(username, PASSWORD);
    return { client, username, id: client.userId as number };
  };

  /** A user promoted to admin by root, logged in. */
  const newAdmin = async () => {
    const admin = await newUser('adm');
    const promoted = await root.post('/api/user/manage', { id: admin.id, action: 'promote' });
    expect(promoted.status).toBe(200);
    return admin;
  };

  const self = async (client: ManagementClient) => {
    const reply = await client.get<UserBody>('/api/user/self');
    expect(reply.status).toBe(200);
    return reply.body.data as UserBody;
  };

  const logsOf = (userId: number) =>
    api.database.query<{ type: number | string; content: string }>('SELECT type, content FROM logs WHERE user_id = ? ORDER BY id', [userId]);

  const expectFailure = (reply: Reply, status: number, message?: RegExp) => {
    expect(reply.status).toBe(status);
    expect(reply.body.success).toBe(false);
    expect(typeof reply.body.message).toBe('string');
    if (message) expect(reply.body.message).toMatch(message);
  };

  beforeAll(async () => {
    api = await startApi({ env: { GENERATE_DEFAULT_TOKEN: 'true' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    anonymous = new ManagementClient(api.baseUrl);
  });

  afterAll(async () => {
    await api?.stop();
  });

  describe('registration', () => {
    it('creates a common user in group default with an invite code, and never returns the password', async () => {
      const username = uniqueName('reg');
      const reply = await register({ username, password: PASSWORD, display_name: 'Reggie' });
      expect(reply.status).toBe(200);
      expect(reply.body.success).toBe(true);
      expect(reply.body.data).toMatchObject({ username });
      expect(JSON.stringify(reply.body)).not.toMatch(/password/);

      const client = await new ManagementClient(api.baseUrl).loginOrThrow(username, PASSWORD);
      const me = await self(client);
      expect(me).toMatchObject({ username, display_name: 'Reggie', role: 1, status: 1, group: 'default', quota: 0, inviter_id: 0 });
      expect(me.aff_code).toMatch(/^[0-9a-zA-Z]{4}$/);
      expect(me).not.toHaveProperty('password');
      const stored = await api.database.query<{ password: string }>('SELECT password FROM users WHERE username = ?', [username]);
      expect(stored[0].password).toMatch(/^\$2[aby]\$10\$/);
    });

    it("gives a registered user an unlimited, never-expiring initial token when GENERATE_DEFAULT_TOKEN is on", async () => {
      const user = await newUser('tok');
      const tokens = await api.database.query<Record<string, unknown>>('SELECT * FROM tokens WHERE user_id = ?', [user.id]);
      expect(tokens).toHaveLength(1);
      expect(tokens[0].name).toBe(`${user.username}'s initial token`);
      expect(String(tokens[0].key)).toMatch(/^[0-9a-zA-Z]{48}$/);
      expect(Number(tokens[0].expired_time)).toBe(-1);
      expect([1, '1', true]).toContain(tokens[0].unlimited_quota);
      expect(Number(tokens[0].status)).toBe(1);
    });

    it('uses the username as display name when none is given', async () => {
      const user = await newUser('dn');
      expect((await self(user.client)).display_name).toBe(user.username);
    });

    it('refuses a taken username with 409', async () => {
      const user = await newUser('dup');
      expectFailure(await register({ username: user.username, password: PASSWORD }), 409, /taken/);
      expectFailure(await register({ username: 'root', password: PASSWORD }), 409);
    });

    it('refuses passwords shorter than 8 or longer than 20 characters', async () => {
      expectFailure(await register({ username: uniqueName('pw'), password: '1234567' }), 400, /password/);
      expectFailure(await register({ username: uniqueName('pw'), password: 'x'.repeat(21) }), 400, /password/);
    });

    it('refuses a username longer than 20 characters', async () => {
      expectFailure(await register({ username: 'a'.repeat(21), password: PASSWORD }), 400, /username/);
    });

    it('refuses wrong types and missing fields with 400', async () => {
      expectFailure(await register({ username: 12345, password: PASSWORD }), 400, /username/);
      expectFailure(await register({ username: uniqueName('ty'), password: 12345678 }), 400, /password/);
      expectFailure(await register({ username: uniqueName('ty'), password: PASSWORD, aff_code: 42 }), 400, /aff_code/);
      expectFailure(await register({}), 400);
      expectFailure(await register({ username: uniqueName('mi') }), 400, /password/);
      expectFailure(await register({ password: PASSWORD }), 400, /username/);
      expectFailure(await register({ username: '   ', password: PASSWORD }), 400, /username/);
    });

    it('is refused with 403 when RegisterEnabled or PasswordRegisterEnabled is off', async () => {
      try {
        await setOption('RegisterEnabled', 'false');
        expectFailure(await register({ username: uniqueName('off'), password: PASSWORD }), 403, /disabled/i);
        await setOption('RegisterEnabled', 'true');
        await setOption('PasswordRegisterEnabled', 'false');
        expectFailure(await register({ username: uniqueName('off'), password: PASSWORD }), 403, /disabled/i);
      } finally {
        await setOption('RegisterEnabled', 'true');
        await setOption('PasswordRegisterEnabled', 'true');
      }
      expect((await register({ username: uniqueName('on'), password: PASSWORD })).status).toBe(200);
    });

    it('needs email and code under email verification, and refuses a code never issued (account-email.e2e-spec.ts covers issued ones)', async () => {
      try {
        await setOption('SMTPServer', 'smtp.example.invalid');
        await setOption('EmailVerificationEnabled', 'true');
        expectFailure(await register({ username: uniqueName('ev'), password: PASSWORD }), 400, /email/);
        const withCode = await register({ username: uniqueName('ev'), password: PASSWORD, email: 'a@example.com', verification_code: '123456' });
        expectFailure(withCode, 400, /verification code is wrong or has expired/);
      } finally {
        await setOption('EmailVerificationEnabled', 'false');
      }
    });

    it('gives QuotaForNewUser to new users and logs it as a system log', async () => {
      try {
        await setOption('QuotaForNewUser', '1234');
        const user = await newUser('gift');
        expect((await self(user.client)).quota).toBe(1234);
        const logs = await logsOf(user.id);
        expect(logs.map((log) => Number(log.type))).toEqual([4]);
        expect(logs[0].content).toMatch(/gift/);
      } finally {
        await setOption('QuotaForNewUser', '0');
      }
    });
  });

  describe('invitations', () => {
    it('rewards invitee and inviter when the options are set, and logs both', async () => {
      const inviter = await newUser('inv');
      try {
        await setOption('QuotaForInviter', '2000000');
        await setOption('QuotaForInvitee', '300');
        const code = await inviter.client.get<string>('/api/user/aff');
        expect(code.status).toBe(200);
        expect(code.body.data).toMatch(/^[0-9a-zA-Z]{4}$/);
        expect((await inviter.client.get<string>('/api/user/aff')).body.data).toBe(code.body.data);

        const invitee = await newUser('ive', { aff_code: code.body.data });
        const inviteeSelf = await self(invitee.client);
        expect(inviteeSelf).toMatchObject({ quota: 300, inviter_id: inviter.id });

        const inviterSelf = await self(inviter.client);
        expect(inviterSelf).toMatchObject({ aff_count: 1, aff_quota: 2_000_000, aff_history_quota: 2_000_000, quota: 0 });

        expect((await logsOf(invitee.id)).map((log) => Number(log.type))).toEqual([4]);
        const inviterLogs = await logsOf(inviter.id);
        expect(inviterLogs.map((log) => Number(log.type))).toEqual([4]);
        expect(inviterLogs[0].content).toContain(invitee.username);
      } finally {
        await setOption('QuotaForInviter', '0');
        await setOption('QuotaForInvitee', '0');
      }
    });

    it('ignores an unknown invite code', async () => {
      const user = await newUser('unk', { aff_code: 'zzzz-no' });
      expect((await self(user.client)).inviter_id).toBe(0);
    });

    it('transfers invite rewards to the balance atomically, at least QuotaPerUnit, never more than available', async () => {
      const inviter = await newUser('tr');
      try {
        await setOption('QuotaForInviter', '1200000');
        const code = (await inviter.client.get<string>('/api/user/aff')).body.data;
        await newUser('tre', { aff_code: code });
      } finally {
        await setOption('QuotaForInviter', '0');
      }
      expectFailure(await inviter.client.post('/api/user/aff_transfer', { quota: 499_999 }), 400, /minimum/i);
      expectFailure(await inviter.client.post('/api/user/aff_transfer', { quota: 1_200_001 }), 400, /enough/i);
      expectFailure(await inviter.client.post('/api/user/aff_transfer', { quota: 'lots' }), 400, /quota/);
      expectFailure(await inviter.client.post('/api/user/aff_transfer', {}), 400, /quota/);

      const moved = await inviter.client.post('/api/user/aff_transfer', { quota: 500_000 });
      expect(moved.status).toBe(200);
      expect(moved.body.success).toBe(true);
      expect(await self(inviter.client)).toMatchObject({ quota: 500_000, aff_quota: 700_000, aff_history_quota: 1_200_000 });

      // Concurrent transfers: only what is there can move (700,000 → one transfer of 500,000).
      const replies = await Promise.all([1, 2, 3].map(() => inviter.client.post('/api/user/aff_transfer', { quota: 500_000 })));
      expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
      expect(await self(inviter.client)).toMatchObject({ quota: 1_000_000, aff_quota: 200_000 });
    });
  });

  describe('sessions and access tokens', () => {
    it('logout clears the session cookie; without it the caller is 401', async () => {
      const user = await newUser('lo');
      const reply = await user.client.get('/api/user/logout');
      expect(reply.status).toBe(200);
      const cleared = reply.headers.getSetCookie().find((cookie) => cookie.startsWith('session='));
      expect(cleared).toBeDefined();
      expect(cleared).toMatch(/^session=;/);
      expect(cleared).toMatch(/expires=Thu, 01 Jan 1970/i);
      // A browser drops the cookie now: the next call carries only the New-Api-User header.
      const after = await fetch(`${api.baseUrl}/api/user/self`, { headers: { 'New-Api-User': String(user.id) } });
      expect(after.status).toBe(401);
      expect(await after.json()).toMatchObject({ success: false });
    });

    it('needs a New-Api-User header equal to the logged-in user', async () => {
      const user = await newUser('hdr');
      expectFailure(await user.client.request('GET', '/api/user/self', undefined, { 'New-Api-User': '' }), 401, /New-Api-User/);
      expectFailure(await user.client.request('GET', '/api/user/self', undefined, { 'New-Api-User': String(user.id + 1000) }), 401, /New-Api-User/);
      expect((await user.client.get('/api/user/self')).status).toBe(200);
    });

    it('authenticates with a generated access token, which replaces the previous one at once', async () => {
      const user = await newUser('at');
      const first = await user.client.get<string>('/api/user/token');
      expect(first.status).toBe(200);
      expect(first.body.data).toMatch(/^[A-Za-z0-9_-]{32}$/);

      const byToken = new ManagementClient(api.baseUrl).useAccessToken(first.body.data as string, user.id);
      const me = await byToken.get<UserBody>('/api/user/self');
      expect(me.status).toBe(200);
      expect(me.body.data).toMatchObject({ id: user.id, access_token: first.body.data });

      const bearer = await byToken.request('GET', '/api/user/self', undefined, { authorization: `Bearer ${first.body.data}` });
      expect(bearer.status).toBe(200);

      const second = await byToken.get<string>('/api/user/token');
      expect(second.body.data).not.toBe(first.body.data);
      expectFailure(await byToken.get('/api/user/self'), 401);
      const renewed = new ManagementClient(api.baseUrl).useAccessToken(second.body.data as string, user.id);
      expect((await renewed.get('/api/user/self')).status).toBe(200);
      expectFailure(await renewed.request('GET', '/api/user/self', undefined, { 'New-Api-User': '1' }), 401);
    });

    it('rejects an unknown access token with 401', async () => {
      const stranger = new ManagementClient(api.baseUrl).useAccessToken('x'.repeat(32), 1);
      expectFailure(await stranger.get('/api/user/self'), 401);
    });
  });

  describe('self service', () => {
    it('updates the display name', async () => {
      const user = await newUser('sd');
      const reply = await user.client.put<UserBody>('/api/user/self', { display_name: 'New Name' });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({ display_name: 'New Name' });
      expect(reply.body.data).not.toHaveProperty('password');
      expect((await self(user.client)).display_name).toBe('New Name');
      expectFailure(await user.client.put('/api/user/self', { display_name: 7 }), 400, /display_name/);
    });

    it('changes the password only with the right original password', async () => {
      const user = await newUser('pwc');
      expectFailure(await user.client.put('/api/user/self', { password: 'newpassword1' }), 400, /original_password/);
      expectFailure(await user.client.put('/api/user/self', { password: 'newpassword1', original_password: 'wrong-one' }), 400, /original password/i);
      expectFailure(await user.client.put('/api/user/self', { password: 'short', original_password: PASSWORD }), 400, /password/);
      const changed = await user.client.put('/api/user/self', { password: 'newpassword1', original_password: PASSWORD });
      expect(changed.status).toBe(200);
      expect((await new ManagementClient(api.baseUrl).login(user.username, PASSWORD)).status).toBe(401);
      expect((await new ManagementClient(api.baseUrl).login(user.username, 'newpassword1')).status).toBe(200);
    });

    it('an empty password in the form leaves the password unchanged', async () => {
      const user = await newUser('pwe');
      expect((await user.client.put('/api/user/self', { display_name: 'Same Pw', password: '' })).status).toBe(200);
      expect((await new ManagementClient(api.baseUrl).login(user.username, PASSWORD)).status).toBe(200);
    });

    it('lets a user delete themself (soft), after which they cannot log in; root cannot', async () => {
      expectFailure(await root.delete('/api/user/self'), 403, /root/i);
      const user = await newUser('del');
      const reply = await user.client.delete('/api/user/self');
      expect(reply.status).toBe(200);
      expectFailure(await new ManagementClient(api.baseUrl).login(user.username, PASSWORD), 401);
      const rows = await api.database.query<{ deleted_at: unknown }>('SELECT deleted_at FROM users WHERE id = ?', [user.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].deleted_at).not.toBeNull();
    });
  });

  describe('groups and models', () => {
    it('lists usable groups publicly, and the own group for the user', async () => {
      const publicGroups = await anonymous.get<Record<string, { ratio: number; desc: string }>>('/api/user/groups');
      expect(publicGroups.status).toBe(200);
      expect(publicGroups.body.data?.default).toMatchObject({ ratio: 1 });
      expect(typeof publicGroups.body.data?.default.desc).toBe('string');
      expect(publicGroups.body.data).not.toHaveProperty('svip');

      const user = await newUser('grp');
      expect((await root.put('/api/user/', { id: user.id, group: 'svip' })).status).toBe(200);
      const own = await user.client.get<Record<string, { ratio: number; desc: string }>>('/api/user/self/groups');
      expect(own.status).toBe(200);
      expect(own.body.data).toHaveProperty('svip');
      expect(own.body.data).toHaveProperty('default');
      expectFailure(await anonymous.get('/api/user/self/groups'), 401);
    });

    it('lists the enabled models of the groups a user may use', async () => {
      const groupColumn = api.database.kind === 'mysql' ? '`group`' : '"group"';
      const rows: [string, string, number, number][] = [
        ['default', 'gpt-4o', 901, 1],
        ['default', 'gpt-4o', 902, 1],
        ['default', 'gpt-3.5', 902, 1],
        ['default', 'off-model', 903, 0],
        ['vip', 'vip-model', 901, 1],
        ['svip', 'svip-only', 901, 1],
      ];
      for (const [group, model, channel, enabled] of rows) {
        await api.database.query(`INSERT INTO abilities (${groupColumn}, model, channel_id, enabled, priority, weight) VALUES (?, ?, ?, ?, 0, 0)`, [
          group,
          model,
          channel,
          enabled,
        ]);
      }
      const user = await newUser('mdl');
      const models = await user.client.get<string[]>('/api/user/models');
      expect(models.status).toBe(200);
      expect(models.body.data).toEqual(['gpt-3.5', 'gpt-4o', 'vip-model']);
      expect((await user.client.get<string[]>('/api/user/models?group=vip')).body.data).toEqual(['vip-model']);
      expect((await user.client.get<string[]>('/api/user/models?group=svip')).body.data).toEqual([]);

      await root.put('/api/user/', { id: user.id, group: 'svip' });
      expect((await user.client.get<string[]>('/api/user/models')).body.data).toEqual(['gpt-3.5', 'gpt-4o', 'svip-only', 'vip-model']);
      expectFailure(await anonymous.get('/api/user/models'), 401);
    });
  });

  describe('administration', () => {
    it('creates users, refusing duplicates, bad input and roles not below the caller', async () => {
      const username = uniqueName('mk');
      const created = await root.post<UserBody>('/api/user/', { username, password: PASSWORD, display_name: 'Made' });
      expect(created.status).toBe(200);
      expect(created.body.data).toMatchObject({ username, display_name: 'Made', role: 1, group: 'default' });
      expect(created.body.data).not.toHaveProperty('password');
      expect(created.body.data).not.toHaveProperty('access_token');
      expect((await new ManagementClient(api.baseUrl).login(username, PASSWORD)).status).toBe(200);
      // Only self-registration gets the default token (as in New API).
      expect(await api.database.query('SELECT id FROM tokens WHERE user_id = ?', [created.body.data?.id])).toHaveLength(0);

      expectFailure(await root.post('/api/user/', { username, password: PASSWORD }), 409);
      expectFailure(await root.post('/api/user/', { username: uniqueName('mk'), password: 'short' }), 400, /password/);
      expectFailure(await root.post('/api/user/', { username: uniqueName('mk') }), 400, /password/);
      expectFailure(await root.post('/api/user/', { username: uniqueName('mk'), password: PASSWORD, role: 100 }), 403);
      expectFailure(await root.post('/api/user/', { username: uniqueName('mk'), password: PASSWORD, role: 5 }), 400, /role/);
      const madeAdmin = await root.post<UserBody>('/api/user/', { username: uniqueName('mka'), password: PASSWORD, role: 10 });
      expect(madeAdmin.status).toBe(200);
      expect(madeAdmin.body.data?.role).toBe(10);
    });

    it('gets one user without password or access token; unknown id 404, bad id 400', async () => {
      const user = await newUser('get');
      await user.client.get('/api/user/token');
      const reply = await root.get<UserBody>(`/api/user/${user.id}`);
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({ id: user.id, username: user.username });
      expect(reply.body.data).not.toHaveProperty('password');
      expect(reply.body.data).not.toHaveProperty('access_token');
      expectFailure(await root.get('/api/user/987654'), 404);
      expectFailure(await root.get('/api/user/abc'), 400);
    });

    it('lists users newest first, paged, without secrets', async () => {
      for (let i = 0; i < 3; i++) await newUser('pg');
      const [{ count }] = await api.database.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM users WHERE deleted_at IS NULL');
      const first = await root.get<PageBody<UserBody>>('/api/user/?p=1&page_size=2');
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ page: 1, page_size: 2, total: Number(count) });
      const firstItems = first.body.data?.items ?? [];
      expect(firstItems).toHaveLength(2);
      expect(firstItems[0].id).toBeGreaterThan(firstItems[1].id);
      const second = await root.get<PageBody<UserBody>>('/api/user/?p=2&page_size=2');
      const secondItems = second.body.data?.items ?? [];
      expect(secondItems).toHaveLength(2);
      expect(secondItems[0].id).toBeLessThan(firstItems[1].id);
      for (const item of [...firstItems, ...secondItems]) {
        expect(item).not.toHaveProperty('password');
        expect(item).not.toHaveProperty('access_token');
      }
    });

    it('searches by id, username prefix, display name, email and group', async () => {
      const user = await newUser('srch');
      await root.put('/api/user/', { id: user.id, display_name: 'Findable Person', group: 'vip' });
      const byName = await root.get<PageBody<UserBody>>(`/api/user/search?keyword=${user.username}`);
      expect(byName.status).toBe(200);
      expect(byName.body.data?.items.map((item) => item.id)).toEqual([user.id]);
      expect(byName.body.data?.total).toBe(1);

      const byDisplayName = await root.get<PageBody<UserBody>>('/api/user/search?keyword=Findable');
      expect(byDisplayName.body.data?.items.map((item) => item.id)).toContain(user.id);

      const byId = await root.get<PageBody<UserBody>>(`/api/user/search?keyword=${user.id}`);
      expect(byId.body.data?.items.map((item) => item.id)).toContain(user.id);

      const inGroup = await root.get<PageBody<UserBody>>(`/api/user/search?keyword=${user.username}&group=vip`);
      expect(inGroup.body.data?.items).toHaveLength(1);
      const otherGroup = await root.get<PageBody<UserBody>>(`/api/user/search?keyword=${user.username}&group=default`);
      expect(otherGroup.body.data?.items).toHaveLength(0);

      const wildcard = await root.get<PageBody<UserBody>>('/api/user/search?keyword=%25');
      expect(wildcard.body.data?.total).toBe(0);
      for (const item of byName.body.data?.items ?? []) expect(item).not.toHaveProperty('access_token');
    });

    it('updates fields, leaves an empty password unchanged and logs a quota change', async () => {
      const user = await newUser('upd');
      const reply = await root.put<UserBody>('/api/user/', {
        id: user.id,
        display_name: 'Edited',
        group: 'vip',
        remark: 'vip customer',
        quota: 777,
        password: '',
        role: 1,
        aff_code: 'ignored',
        access_token: 'ignored',
      });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({ id: user.id, display_name: 'Edited', group: 'vip', remark: 'vip customer', quota: 777 });
      expect(reply.body.data).not.toHaveProperty('access_token');
      expect((await new ManagementClient(api.baseUrl).login(user.username, PASSWORD)).status).toBe(200);

      const manageLogs = (await logsOf(user.id)).filter((log) => Number(log.type) === 3);
      expect(manageLogs).toHaveLength(1);
      expect(manageLogs[0].content).toMatch(/from .*0.* to .*/);

      // Same quota again: no new log.
      await root.put('/api/user/', { id: user.id, quota: 777 });
      expect((await logsOf(user.id)).filter((log) => Number(log.type) === 3)).toHaveLength(1);

      expect((await root.put('/api/user/', { id: user.id, password: 'another-pass1' })).status).toBe(200);
      expect((await new ManagementClient(api.baseUrl).login(user.username, 'another-pass1')).status).toBe(200);
    });

    it('refuses bad updates: role change, taken username, bad password, bad types, unknown id', async () => {
      const user = await newUser('bad');
      const other = await newUser('oth');
      expectFailure(await root.put('/api/user/', { id: user.id, role: 10 }), 400, /manage/);
      expectFailure(await root.put('/api/user/', { id: user.id, username: other.username }), 409);
      expectFailure(await root.put('/api/user/', { id: user.id, password: 'short' }), 400, /password/);
      expectFailure(await root.put('/api/user/', { id: user.id, quota: 'many' }), 400, /quota/);
      expectFailure(await root.put('/api/user/', { id: 'x' }), 400, /id/);
      expectFailure(await root.put('/api/user/', { display_name: 'no id' }), 400, /id/);
      expectFailure(await root.put('/api/user/', { id: 987654, display_name: 'ghost' }), 404);
    });

    it('renames a user', async () => {
      const user = await newUser('ren');
      const newName = uniqueName('renamed');
      expect((await root.put('/api/user/', { id: user.id, username: newName })).status).toBe(200);
      expect((await new ManagementClient(api.baseUrl).login(newName, PASSWORD)).status).toBe(200);
    });

    it('soft-deletes a user: gone from the API, cannot log in, name stays reserved', async () => {
      const user = await newUser('sdel');
      const reply = await root.delete(`/api/user/${user.id}`);
      expect(reply.status).toBe(200);
      expectFailure(await root.get(`/api/user/${user.id}`), 404);
      expectFailure(await user.client.get('/api/user/self'), 401);
      expectFailure(await new ManagementClient(api.baseUrl).login(user.username, PASSWORD), 401);
      expectFailure(await register({ username: user.username, password: PASSWORD }), 409);
      const rows = await api.database.query<{ deleted_at: unknown }>('SELECT deleted_at FROM users WHERE id = ?', [user.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].deleted_at).not.toBeNull();
      expectFailure(await root.delete('/api/user/987654'), 404);
      expectFailure(await root.post('/api/user/manage', { id: 987654, action: 'disable' }), 404);
    });

    it('validates manage requests', async () => {
      const user = await newUser('mv');
      expectFailure(await root.post('/api/user/manage', { id: user.id, action: 'explode' }), 400, /action/);
      expectFailure(await root.post('/api/user/manage', { action: 'disable' }), 400, /id/);
      expectFailure(await root.post('/api/user/manage', { id: user.id, action: 'add_quota', value: 5 }), 400, /mode/);
    });

    it('adjusts quota with add_quota (add, subtract, override) and logs each change', async () => {
      const user = await newUser('aq');
      const add = await root.post<{ quota: number }>('/api/user/manage', { id: user.id, action: 'add_quota', mode: 'add', value: 1000 });
      expect(add.status).toBe(200);
      expect(add.body.data?.quota).toBe(1000);
      await root.post('/api/user/manage', { id: user.id, action: 'add_quota', mode: 'subtract', value: 300 });
      expect((await self(user.client)).quota).toBe(700);
      await root.post('/api/user/manage', { id: user.id, action: 'add_quota', mode: 'override', value: 5 });
      expect((await self(user.client)).quota).toBe(5);
      expectFailure(await root.post('/api/user/manage', { id: user.id, action: 'add_quota', mode: 'add', value: 0 }), 400);
      expect((await logsOf(user.id)).filter((log) => Number(log.type) === 3)).toHaveLength(3);
    });
  });

  describe('role rules', () => {
    it('gives a common user 403 on admin routes', async () => {
      const user = await newUser('cmn');
      expectFailure(await user.client.get('/api/user/'), 403);
      expectFailure(await user.client.get('/api/user/search?keyword=root'), 403);
      expectFailure(await user.client.get(`/api/user/${user.id}`), 403);
      expectFailure(await user.client.post('/api/user/', { username: uniqueName('x'), password: PASSWORD }), 403);
      expectFailure(await user.client.put('/api/user/', { id: user.id, quota: 999999 }), 403);
      expectFailure(await user.client.delete(`/api/user/${user.id}`), 403);
      expectFailure(await user.client.post('/api/user/manage', { id: user.id, action: 'promote' }), 403);
      expect((await self(user.client)).quota).toBe(0);
    });

    it('lets only root promote; an admin cannot act on root or on another admin', async () => {
      const admin = await newAdmin();
      expect((await self(admin.client)).role).toBe(10);
      const otherAdmin = await newAdmin();
      const common = await newUser('cm');
      const rootId = root.userId as number;

      expectFailure(await admin.client.post('/api/user/manage', { id: common.id, action: 'promote' }), 403, /root/i);
      for (const action of ['disable', 'delete', 'demote', 'promote']) {
        expectFailure(await admin.client.post('/api/user/manage', { id: rootId, action }), 403);
        expectFailure(await admin.client.post('/api/user/manage', { id: otherAdmin.id, action }), 403);
      }
      expectFailure(await admin.client.delete(`/api/user/${rootId}`), 403);
      expectFailure(await admin.client.delete(`/api/user/${otherAdmin.id}`), 403);
      expectFailure(await admin.client.get(`/api/user/${rootId}`), 403);
      expectFailure(await admin.client.get(`/api/user/${otherAdmin.id}`), 403);
      expectFailure(await admin.client.put('/api/user/', { id: rootId, display_name: 'pwned' }), 403);
      expectFailure(await admin.client.put('/api/user/', { id: otherAdmin.id, quota: 1 }), 403);
      expectFailure(await admin.client.post('/api/user/manage', { id: otherAdmin.id, action: 'add_quota', mode: 'add', value: 1 }), 403);
      expectFailure(await admin.client.post('/api/user/', { username: uniqueName('x'), password: PASSWORD, role: 10 }), 403);

      // Nothing changed on root or the other admin.
      expect(await self(root)).toMatchObject({ role: 100, status: 1, display_name: 'Root User' });
      expect(await self(otherAdmin.client)).toMatchObject({ role: 10, status: 1 });

      // What an admin may do: manage common users.
      expect((await admin.client.get(`/api/user/${common.id}`)).status).toBe(200);
      expect((await admin.client.put('/api/user/', { id: common.id, remark: 'seen by admin' })).status).toBe(200);
      expect((await admin.client.post('/api/user/', { username: uniqueName('byadm'), password: PASSWORD })).status).toBe(200);
      expect((await admin.client.get('/api/user/')).status).toBe(200);
    });

    it('protects root from itself: no disable, delete or demote', async () => {
      const rootId = root.userId as number;
      for (const action of ['disable', 'delete', 'demote']) {
        expectFailure(await root.post('/api/user/manage', { id: rootId, action }), 403, /root/i);
      }
      expectFailure(await root.delete(`/api/user/${rootId}`), 403);
      expect((await self(root)).status).toBe(1);
    });

    it('demotes an admin (who loses admin routes at once); demoting a common user is 400', async () => {
      const admin = await newAdmin();
      expect((await admin.client.get('/api/user/')).status).toBe(200);
      const demoted = await root.post<{ role: number; status: number }>('/api/user/manage', { id: admin.id, action: 'demote' });
      expect(demoted.status).toBe(200);
      expect(demoted.body.data).toEqual({ role: 1, status: 1 });
      expectFailure(await admin.client.get('/api/user/'), 403);
      expectFailure(await root.post('/api/user/manage', { id: admin.id, action: 'demote' }), 400);
      const promoted = await root.post<{ role: number }>('/api/user/manage', { id: admin.id, action: 'promote' });
      expect(promoted.body.data?.role).toBe(10);
      expectFailure(await root.post('/api/user/manage', { id: admin.id, action: 'promote' }), 400, /already/);
    });

    it('rejects a disabled user at once, by session and by access token, until re-enabled', async () => {
      const admin = await newAdmin();
      const user = await newUser('ban');
      const token = (await user.client.get<string>('/api/user/token')).body.data as string;
      const byToken = new ManagementClient(api.baseUrl).useAccessToken(token, user.id);
      expect((await byToken.get('/api/user/self')).status).toBe(200);

      const disabled = await admin.client.post<{ role: number; status: number }>('/api/user/manage', { id: user.id, action: 'disable' });
      expect(disabled.status).toBe(200);
      expect(disabled.body.data).toEqual({ role: 1, status: 2 });
      expectFailure(await user.client.get('/api/user/self'), 403, /disabled/);
      expectFailure(await byToken.get('/api/user/self'), 403, /disabled/);
      expectFailure(await new ManagementClient(api.baseUrl).login(user.username, PASSWORD), 403);

      expect((await admin.client.post('/api/user/manage', { id: user.id, action: 'enable' })).status).toBe(200);
      expect((await user.client.get('/api/user/self')).status).toBe(200);
      expect((await byToken.get('/api/user/self')).status).toBe(200);
    });

    it('deletes a common user through manage (soft); the session stops working', async () => {
      const admin = await newAdmin();
      const user = await newUser('mdel');
      expect((await admin.client.post('/api/user/manage', { id: user.id, action: 'delete' })).status).toBe(200);
      expectFailure(await user.client.get('/api/user/self'), 401);
      expectFailure(await new ManagementClient(api.baseUrl).login(user.username, PASSWORD), 401);
      expectFailure(await admin.client.get(`/api/user/${user.id}`), 404);
    });
  });
});
