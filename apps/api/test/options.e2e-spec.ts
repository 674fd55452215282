import { ManagementClient } from './management-client';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';

/** /api/option (root settings) and the public system routes that reflect them. */

interface OptionRow {
  key: string;
  value: string;
}

const SECRET_SUFFIX = /(Token|Secret|Key|secret|api_key)$/;

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

function valueOf(options: OptionRow[] | undefined, key: string): string | undefined {
  return options?.find((option) => option.key === key)?.value;
}

// Starting an API (and the in-app scripts) takes a few seconds on MariaDB/PostgreSQL.
jest.setTimeout(60_000);

describe('options', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let admin: ManagementClient;
  let common: ManagementClient;

  beforeAll(async () => {
    // Kept on stop: the last test restarts the API on the same database.
    api = await startApi({ keepDatabase: true });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const adminId = await insertUser(api.database, 'option_admin', 10, 'd'.repeat(32));
    const commonId = await insertUser(api.database, 'option_user', 1, 'e'.repeat(32));
    admin = new ManagementClient(api.baseUrl).useAccessToken('d'.repeat(32), adminId);
    common = new ManagementClient(api.baseUrl).useAccessToken('e'.repeat(32), commonId);
  });

  afterAll(async () => {
    await api?.stop();
    await api?.database.drop();
  });

  describe('GET /api/option/', () => {
    it('lists options as [{key, value}] strings for root', async () => {
      const reply = await root.get<OptionRow[]>('/api/option/');
      expect(reply.status).toBe(200);
      expect(reply.body.success).toBe(true);
      const options = reply.body.data!;
      expect(Array.isArray(options)).toBe(true);
      expect(options.length).toBeGreaterThan(50);
      for (const option of options) {
        expect(typeof option.key).toBe('string');
        expect(typeof option.value).toBe('string');
      }
      expect(valueOf(options, 'QuotaPerUnit')).toBe('500000');
      expect(valueOf(options, 'RegisterEnabled')).toBe('true');
      expect(JSON.parse(valueOf(options, 'GroupRatio')!)).toEqual({ default: 1, vip: 1, svip: 1 });
    });

    it('never lists secrets, even after they are set', async () => {
      const secrets: Record<string, string> = {
        GitHubClientSecret: 'gh-secret-value-1',
        SMTPToken: 'smtp-token-value-2',
        TurnstileSecretKey: 'turnstile-key-value-3',
        EpayKey: 'epay-key-value-4',
        'oidc.client_secret': 'oidc-secret-value-5',
        StripeApiSecret: 'stripe-secret-value-6',
      };
      for (const [key, value] of Object.entries(secrets)) {
        const put = await root.put('/api/option/', { key, value });
        expect({ key, status: put.status }).toEqual({ key, status: 200 });
      }
      const reply = await root.get<OptionRow[]>('/api/option/');
      const keys = reply.body.data!.map((option) => option.key);
      for (const key of Object.keys(secrets)) expect(keys).not.toContain(key);
      expect(keys.filter((key) => SECRET_SUFFIX.test(key))).toEqual([]);
      const text = JSON.stringify(reply.body);
      for (const value of Object.values(secrets)) expect(text).not.toContain(value);
      // They were stored all the same.
      const stored = await api.database.query<{ value: string }>('SELECT value FROM options WHERE value = ?', ['smtp-token-value-2']);
      expect(stored).toHaveLength(1);
    });

    it('GET /api/option/secrets tells root which secrets are set, never their values', async () => {
      await root.put('/api/option/', { key: 'LinuxDOClientSecret', value: 'linuxdo-secret-value-7' });
      await root.put('/api/option/', { key: 'TelegramBotToken', value: '' });
      const reply = await root.get<{ key: string; set: boolean }[]>('/api/option/secrets');
      expect(reply.status).toBe(200);
      const rows = reply.body.data!;
      expect(rows.every((row) => SECRET_SUFFIX.test(row.key) && typeof row.set === 'boolean' && Object.keys(row).length === 2)).toBe(true);
      const setOf = (key: string) => rows.find((row) => row.key === key)?.set;
      expect(setOf('LinuxDOClientSecret')).toBe(true);
      expect(setOf('TelegramBotToken')).toBe(false);
      expect(rows.map((row) => row.key)).toContain('SMTPToken');
      expect(JSON.stringify(reply.body)).not.toContain('linuxdo-secret-value-7');
      expect((await admin.get('/api/option/secrets')).status).toBe(403);
      expect((await new ManagementClient(api.baseUrl).get('/api/option/secrets')).status).toBe(401);
    });

    it('is root only: an admin and a common user get 403, anonymous 401', async () => {
      expect((await admin.get('/api/option/')).status).toBe(403);
      expect((await common.get('/api/option/')).status).toBe(403);
      expect((await new ManagementClient(api.baseUrl).get('/api/option/')).status).toBe(401);
      const put = await admin.put('/api/option/', { key: 'SystemName', value: 'admin was here' });
      expect(put.status).toBe(403);
      expect((await root.get<OptionRow[]>('/api/option/')).body.data?.find((o) => o.key === 'SystemName')?.value).not.toBe(
        'admin was here',
      );
    });
  });

  describe('PUT /api/option/ validation', () => {
    it.each([
      ['DisplayInCurrencyEnabled', 'yes'],
      ['DisplayInCurrencyEnabled', '1'],
      ['QuotaForNewUser', '12.5'],
      ['QuotaForNewUser', 'abc'],
      ['QuotaPerUnit', 'lots'],
      ['ModelRatio', '{not json'],
      ['GroupRatio', '{"default":1,"vip":-0.5}'],
      ['GroupRatio', '[1,2]'],
      ['ModelRatio', '{"gpt-4o":"cheap"}'],
    ])('rejects %s = %s with 400 and keeps the old value', async (key, value) => {
      const before = valueOf((await root.get<OptionRow[]>('/api/option/')).body.data, key);
      const reply = await root.put('/api/option/', { key, value });
      expect(reply.status).toBe(400);
      expect(reply.body.success).toBe(false);
      expect(reply.body.message).toContain(key);
      expect(valueOf((await root.get<OptionRow[]>('/api/option/')).body.data, key)).toBe(before);
    });

    it('needs a key', async () => {
      expect((await root.put('/api/option/', { value: 'x' })).status).toBe(400);
    });

    it('accepts JSON booleans and numbers and stores them as strings', async () => {
      expect((await root.put('/api/option/', { key: 'DrawingEnabled', value: false })).status).toBe(200);
      expect((await root.put('/api/option/', { key: 'QuotaForNewUser', value: 250 })).status).toBe(200);
      const options = (await root.get<OptionRow[]>('/api/option/')).body.data;
      expect(valueOf(options, 'DrawingEnabled')).toBe('false');
      expect(valueOf(options, 'QuotaForNewUser')).toBe('250');
    });

    it('refuses to enable GitHub OAuth before GitHubClientId is set, then allows it', async () => {
      const refused = await root.put('/api/option/', { key: 'GitHubOAuthEnabled', value: 'true' });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('GitHubClientId');
      expect((await fetchStatus()).github_oauth).toBe(false);
      expect((await root.put('/api/option/', { key: 'GitHubClientId', value: 'gh-client-id' })).status).toBe(200);
      expect((await root.put('/api/option/', { key: 'GitHubOAuthEnabled', value: 'true' })).status).toBe(200);
      const status = await fetchStatus();
      expect(status.github_oauth).toBe(true);
      expect(status.github_client_id).toBe('gh-client-id');
    });
  });

  async function fetchStatus(): Promise<Record<string, unknown>> {
    const response = await fetch(`${api.baseUrl}/api/status`);
    const body = (await response.json()) as { success: boolean; data: Record<string, unknown> };
    expect(body.success).toBe(true);
    return body.data;
  }

  describe('changes', () => {
    it('take effect at once', async () => {
      expect((await root.put('/api/option/', { key: 'SystemName', value: 'Options Test Site' })).status).toBe(200);
      expect((await root.put('/api/option/', { key: 'RegisterEnabled', value: 'false' })).status).toBe(200);
      const status = await fetchStatus();
      expect(status.system_name).toBe('Options Test Site');
      expect(status.register_enabled).toBe(false);
      expect(status.enable_drawing).toBe(false);
    });

    it('survive a restart on the same database', async () => {
      const database = api.database;
      await api.stop();
      api = await startApi({ database, keepDatabase: true });
      root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
      const status = await fetchStatus();
      expect(status.system_name).toBe('Options Test Site');
      expect(status.register_enabled).toBe(false);
      expect(status.github_oauth).toBe(true);
      const options = (await root.get<OptionRow[]>('/api/option/')).body.data;
      expect(valueOf(options, 'RegisterEnabled')).toBe('false');
      expect(valueOf(options, 'QuotaForNewUser')).toBe('250');
      expect(valueOf(options, 'GitHubClientSecret')).toBeUndefined();
    });
  });

  describe('public system routes', () => {
    it('GET /api/status: version, site name, quota per unit and setup state', async () => {
      const status = await fetchStatus();
      expect(typeof status.version).toBe('string');
      expect((status.version as string).length).toBeGreaterThan(0);
      expect(typeof status.start_time).toBe('number');
      expect(status.quota_per_unit).toBe(500000);
      expect(status.setup).toBe(true);
      expect(status.system_name).toBe('Options Test Site');
    });

    it('GET /api/status carries the header navigation and the announcements for the web app', async () => {
      const nav = '{"docs":false,"pricing":{"enabled":true,"requireAuth":false}}';
      const announcements = [{ id: 1, content: 'Maintenance **tonight**', publishDate: '2025-01-01T00:00:00Z', type: 'warning', extra: '' }];
      expect((await root.put('/api/option/', { key: 'HeaderNavModules', value: nav })).status).toBe(200);
      expect((await root.put('/api/option/', { key: 'console_setting.announcements', value: JSON.stringify(announcements) })).status).toBe(200);
      const status = await fetchStatus();
      expect(status.HeaderNavModules).toBe(nav);
      expect(status.announcements_enabled).toBe(true);
      expect(status.announcements).toEqual(announcements);
    });

    it('GET /api/setup reports a finished setup and the database kind', async () => {
      const response = await fetch(`${api.baseUrl}/api/setup`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { success: boolean; data: Record<string, unknown> };
      expect(body).toMatchObject({ success: true, data: { status: true, root_init: true, database_type: testDatabaseKind() } });
    });

    it('POST /api/setup after setup is refused with 400 and creates nobody', async () => {
      const response = await fetch(`${api.baseUrl}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'intruder', password: 'password123', confirmPassword: 'password123' }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { success: boolean }).success).toBe(false);
      expect(await api.database.query('SELECT id FROM users WHERE username = ?', ['intruder'])).toHaveLength(0);
    });

    it.each([
      ['Notice', '/api/notice', '# Maintenance tonight\n\nExpect **short** outages.'],
      ['About', '/api/about', '<p>About this gateway</p>'],
      ['HomePageContent', '/api/home_page_content', 'https://example.com/home'],
    ])('%s is served by %s without login', async (key, path, content) => {
      const before = await fetch(`${api.baseUrl}${path}`);
      expect(before.status).toBe(200);
      expect(((await before.json()) as { data: string }).data).not.toBe(content);
      expect((await root.put('/api/option/', { key, value: content })).status).toBe(200);
      const after = await fetch(`${api.baseUrl}${path}`);
      expect(await after.json()).toEqual({ success: true, message: '', data: content });
    });
  });
});
