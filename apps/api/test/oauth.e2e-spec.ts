import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';

// An API start on PostgreSQL under load takes more than Jest's default 5 s.
jest.setTimeout(60_000);

const GITHUB = { clientId: 'gh-client', clientSecret: 'gh-secret-do-not-leak' };
const LINUXDO = { clientId: 'ld-client', clientSecret: 'ld-secret-do-not-leak' };
const OIDC = { clientId: 'oidc-client', clientSecret: 'oidc-secret-do-not-leak' };
const TELEGRAM_BOT_TOKEN = '123456:telegram-bot-token-do-not-leak';
const SERVER_ADDRESS = 'https://gateway.example.com';

interface Profile {
  provider: 'github' | 'linuxdo' | 'oidc';
  user: Record<string, unknown>;
}

interface Reply<T = unknown> {
  status: number;
  body: { success: boolean; message: string; data?: T };
}

interface LoginBody {
  id: number;
  username: string;
  display_name: string;
  role: number;
  status: number;
  group: string;
}

interface UserBody extends LoginBody {
  github_id: string;
  oidc_id: string;
  linux_do_id: string;
  telegram_id: string;
  email: string;
  inviter_id: number;
  aff_count: number;
}

/**
 * A stand-in for GitHub, LinuxDO Connect and an OIDC provider over real HTTP. Each token endpoint
 * checks the client credentials the way the provider takes them and trades a code issued by the
 * test (once) for an access token; each user endpoint answers the profile behind a token.
 */
class FakeProviders {
  private server!: Server;
  baseUrl = '';
  private readonly codes = new Map<string, Profile>();
  private readonly tokens = new Map<string, Profile>();
  /** Every request seen, as "METHOD /path". */
  readonly seen: string[] = [];
  /** Every secret-bearing value handed out or received, to check none reaches the API's output. */
  readonly sensitive: string[] = [];
  /** The redirect_uri of the last OIDC token request. */
  oidcRedirectUri = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => this.json(res, 500, { error: String(error) }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A one-time authorization code for this profile, as the provider's authorize page would issue it. */
  issueCode(provider: Profile['provider'], user: Record<string, unknown>): string {
    const code = `code-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, { provider, user });
    this.sensitive.push(code);
    return code;
  }

  tokenRequests(provider: Profile['provider']): number {
    const path = { github: '/github/login/oauth/access_token', linuxdo: '/linuxdo/oauth2/token', oidc: '/oidc/token' }[provider];
    return this.seen.filter((line) => line === `POST ${path}`).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.seen.push(`${req.method} ${url.pathname}`);
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => resolve(text));
    });
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /github/login/oauth/access_token': {
        // GitHub: JSON (or form) credentials; a bad code is HTTP 200 with `error`.
        const fields = JSON.parse(body) as Record<string, string>;
        if (req.headers.accept !== 'application/json') return this.json(res, 406, { error: 'not_acceptable' });
        if (fields.client_id !== GITHUB.clientId || fields.client_secret !== GITHUB.clientSecret) {
          return this.json(res, 200, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
        }
        return this.exchange(res, 'github', fields.code, 200);
      }
      case 'POST /linuxdo/oauth2/token': {
        const expected = `Basic ${Buffer.from(`${LINUXDO.clientId}:${LINUXDO.clientSecret}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return this.json(res, 401, { error: 'invalid_client' });
        const fields = new URLSearchParams(body);
        if (fields.get('grant_type') !== 'authorization_code') return this.json(res, 400, { error: 'unsupported_grant_type' });
        return this.exchange(res, 'linuxdo', fields.get('code') ?? '', 400);
      }
      case 'GET /oidc/.well-known/openid-configuration':
        return this.json(res, 200, {
          issuer: `${this.baseUrl}/oidc`,
          authorization_endpoint: `${this.baseUrl}/oidc/authorize`,
          token_endpoint: `${this.baseUrl}/oidc/token`,
          userinfo_endpoint: `${this.baseUrl}/oidc/userinfo`,
          jwks_uri: `${this.baseUrl}/oidc/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      case 'POST /oidc/token': {
        const fields = new URLSearchParams(body);
        if (fields.get('client_id') !== OIDC.clientId || fields.get('client_secret') !== OIDC.clientSecret) {
          return this.json(res, 401, { error: 'invalid_client' });
        }
        if (fields.get('grant_type') !== 'authorization_code') return this.json(res, 400, { error: 'unsupported_grant_type' });
        this.oidcRedirectUri = fields.get('redirect_uri') ?? '';
        return this.exchange(res, 'oidc', fields.get('code') ?? '', 400);
      }
      case 'GET /github/user':
        // GitHub's API refuses requests without a User-Agent.
        if (!req.headers['user-agent']) return this.json(res, 403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header' });
        return this.userInfo(req, res, 'github');
      case 'GET /linuxdo/api/user':
        return this.userInfo(req, res, 'linuxdo');
      case 'GET /oidc/userinfo':
        return this.userInfo(req, res, 'oidc');
      default:
        return this.json(res, 404, { error: 'not_found' });
    }
  }

  private exchange(res: ServerResponse, provider: Profile['provider'], code: string, refusedStatus: number): void {
    const profile = this.codes.get(code);
    if (!profile || profile.provider !== provider) {
      return this.json(res, refusedStatus, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    }
    this.codes.delete(code);
    const accessToken = `at-${randomBytes(12).toString('hex')}`;
    this.sensitive.push(accessToken);
    this.tokens.set(accessToken, profile);
    this.json(res, 200, { access_token: accessToken, token_type: 'bearer', expires_in: 3600, scope: 'user:email' });
  }

  private userInfo(req: IncomingMessage, res: ServerResponse, provider: Profile['provider']): void {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const profile = this.tokens.get(token);
    if (!profile || profile.provider !== provider) return this.json(res, 401, { message: 'Bad credentials' });
    this.json(res, 200, profile.user);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** A browser's view of the API: keeps the session cookies it is given and sends them back. */
class Browser {
  private readonly cookies = new Map<string, string>();
  userId: number | null = null;

  constructor(private readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (this.userId !== null) headers['New-Api-User'] = String(this.userId);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return { status: response.status, body: (await response.json()) as Reply<T>['body'] };
  }

  get<T = unknown>(path: string): Promise<Reply<T>> {
    return this.request<T>('GET', path);
  }

  async passwordLogin(username: string, password: string): Promise<void> {
    const reply = await this.request<LoginBody>('POST', '/api/user/login', { username, password });
    if (!reply.body.success || !reply.body.data) throw new Error(`login as ${username} failed: ${JSON.stringify(reply.body)}`);
    this.userId = reply.body.data.id;
  }

  async state(query = ''): Promise<string> {
    const reply = await this.get<string>(`/api/oauth/state${query}`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatch(/^[0-9a-zA-Z]{12}$/);
    return reply.body.data as string;
  }

  /** The redirect flow as the web app runs it: a state, then the callback with the provider's code. */
  async oauth(provider: string, code: string, stateQuery = ''): Promise<Reply<LoginBody>> {
    const state = await this.state(stateQuery);
    const reply = await this.get<LoginBody>(`/api/oauth/${provider}?code=${encodeURIComponent(code)}&state=${state}`);
    if (reply.body.success && reply.body.data && reply.body.message !== 'bind') this.userId = reply.body.data.id;
    return reply;
  }

  async self(): Promise<Reply<UserBody>> {
    return this.get<UserBody>('/api/user/self');
  }
}

/** Telegram Login Widget fields signed with the bot token (hash over the sorted data-check-string). */
function telegramQuery(fields: Record<string, string>, botToken = TELEGRAM_BOT_TOKEN): string {
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('\n');
  const hash = createHmac('sha256', createHash('sha256').update(botToken).digest()).update(dataCheckString).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

/** Third-party login: GitHub, OIDC (discovery), LinuxDO and Telegram against fake providers. */
describe('oauth', () => {
  let api: RunningApi;
  let fake: FakeProviders;
  let root: ManagementClient;
  let serial = 0;
  const nextId = () => 1000 + ++serial;

  const setOption = async (key: string, value: string) => {
    const reply = await root.put('/api/option/', { key, value });
    if (reply.status !== 200) throw new Error(`setting ${key} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  };

  const usersWith = (column: string, value: string) =>
    api.database.query<{ id: number; username: string }>(`SELECT id, username FROM users WHERE ${column} = ?`, [value]);

  /** A password user, logged in. */
  const passwordUser = async () => {
    const username = `pw${++serial}${Date.now().toString(36).slice(-4)}`;
    const reply = await new Browser(api.baseUrl).request('POST', '/api/user/register', { username, password: 'password123' });
    expect(reply.status).toBe(200);
    const browser = new Browser(api.baseUrl);
    await browser.passwordLogin(username, 'password123');
    return browser;
  };

  const expectRefused = (reply: Reply, status: number, message: RegExp) => {
    expect(reply.status).toBe(status);
    expect(reply.body.success).toBe(false);
    expect(reply.body.message).toMatch(message);
  };

  beforeAll(async () => {
    fake = new FakeProviders();
    await fake.start();
    api = await startApi({ env: { GENERATE_DEFAULT_TOKEN: 'true', CRITICAL_RATE_LIMIT_ENABLE: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await setOption('ServerAddress', SERVER_ADDRESS);
    await setOption('GitHubClientId', GITHUB.clientId);
    await setOption('GitHubClientSecret', GITHUB.clientSecret);
    await setOption('GitHubTokenEndpoint', `${fake.baseUrl}/github/login/oauth/access_token`);
    await setOption('GitHubUserEndpoint', `${fake.baseUrl}/github/user`);
    await setOption('GitHubOAuthEnabled', 'true');
    await setOption('LinuxDOClientId', LINUXDO.clientId);
    await setOption('LinuxDOClientSecret', LINUXDO.clientSecret);
    await setOption('LinuxDOTokenEndpoint', `${fake.baseUrl}/linuxdo/oauth2/token`);
    await setOption('LinuxDOUserEndpoint', `${fake.baseUrl}/linuxdo/api/user`);
    await setOption('LinuxDOOAuthEnabled', 'true');
    // OIDC gets only the discovery URL: the token and userinfo endpoints come from the document.
    await setOption('oidc.client_id', OIDC.clientId);
    await setOption('oidc.client_secret', OIDC.clientSecret);
    await setOption('oidc.well_known', `${fake.baseUrl}/oidc/.well-known/openid-configuration`);
    await setOption('oidc.enabled', 'true');
    await setOption('TelegramBotToken', TELEGRAM_BOT_TOKEN);
    await setOption('TelegramBotName', 'your_api_bot');
    await setOption('TelegramOAuthEnabled', 'true');
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.stop();
  });

  it('lists the enabled providers and their client ids in /api/status, never the secrets', async () => {
    const reply = await new Browser(api.baseUrl).get<Record<string, unknown>>('/api/status');
    expect(reply.body.data).toMatchObject({
      github_oauth: true,
      github_client_id: GITHUB.clientId,
      linuxdo_oauth: true,
      linuxdo_client_id: LINUXDO.clientId,
      oidc_enabled: true,
      oidc_client_id: OIDC.clientId,
      telegram_oauth: true,
      telegram_bot_name: 'your_api_bot',
    });
    expect(JSON.stringify(reply.body)).not.toMatch(/do-not-leak/);
  });

  describe('GitHub', () => {
    it('registers a new user github_<n> with a session, the default token and the inviter; the next login finds the same user', async () => {
      const inviter = await passwordUser();
      const affCode = (await inviter.get<string>('/api/user/aff')).body.data as string;
      const githubId = nextId();
      const browser = new Browser(api.baseUrl);
      const reply = await browser.oauth('github', fake.issueCode('github', { id: githubId, login: `octo${githubId}`, name: 'Octo Cat', email: null }), `?aff=${affCode}`);
      expect(reply.status).toBe(200);
      expect(reply.body.data?.username).toMatch(/^github_\d+$/);
      expect(reply.body.data).toMatchObject({ display_name: 'Octo Cat', role: 1, status: 1, group: 'default' });

      const me = await browser.self();
      expect(me.status).toBe(200);
      expect(me.body.data).toMatchObject({ id: reply.body.data?.id, github_id: String(githubId), inviter_id: inviter.userId });
      expect((await inviter.self()).body.data?.aff_count).toBe(1);
      const tokens = await api.database.query('SELECT id FROM tokens WHERE user_id = ?', [reply.body.data?.id]);
      expect(tokens).toHaveLength(1);
      // No password was set, so no password logs in.
      expectRefused(await new Browser(api.baseUrl).request('POST', '/api/user/login', { username: reply.body.data?.username, password: 'password123' }), 401, /Wrong username or password/);

      const again = new Browser(api.baseUrl);
      const second = await again.oauth('github', fake.issueCode('github', { id: githubId, login: `octo${githubId}`, name: 'Renamed' }));
      expect(second.status).toBe(200);
      expect(second.body.data?.id).toBe(reply.body.data?.id);
      expect((await again.self()).body.data?.username).toBe(reply.body.data?.username);
      expect(await usersWith('github_id', String(githubId))).toHaveLength(1);
    });

    it('creates exactly one user when ten first logins with the same GitHub id arrive at once', async () => {
      const githubId = nextId();
      const profile = { id: githubId, login: `race${githubId}`, name: 'Racer', email: `race${githubId}@example.com` };
      const browsers = Array.from({ length: 10 }, () => new Browser(api.baseUrl));
      // States first (each browser its own session), then all callbacks together.
      const states = await Promise.all(browsers.map((browser) => browser.state()));
      const replies = await Promise.all(
        browsers.map((browser, i) => browser.get<LoginBody>(`/api/oauth/github?code=${encodeURIComponent(fake.issueCode('github', profile))}&state=${states[i]}`)),
      );
      for (const reply of replies) {
        expect(reply.status).toBe(200);
        expect(reply.body.success).toBe(true);
      }
      const ids = new Set(replies.map((reply) => reply.body.data?.id));
      expect(ids.size).toBe(1);
      const rows = await usersWith('github_id', String(githubId));
      expect(rows).toHaveLength(1);
      expect(rows[0].id).toBe([...ids][0]);
      // One registration: one default token, and the email kept once.
      expect(await api.database.query('SELECT id FROM tokens WHERE user_id = ?', [rows[0].id])).toHaveLength(1);
      expect(await api.database.query('SELECT id FROM users WHERE email = ?', [profile.email])).toHaveLength(1);
    });

    it('lets a user created by GitHub set a first password without original_password; then it is required', async () => {
      const githubId = nextId();
      const browser = new Browser(api.baseUrl);
      const reply = await browser.oauth('github', fake.issueCode('github', { id: githubId, login: `pw${githubId}`, name: 'No Password' }));
      expect(reply.status).toBe(200);
      const username = reply.body.data?.username as string;
      expect((await browser.self()).body.data).toMatchObject({ has_password: false });

      const set = await browser.request<UserBody & { has_password: boolean }>('PUT', '/api/user/self', { password: 'first-pass1' });
      expect(set.status).toBe(200);
      expect(set.body.data?.has_password).toBe(true);
      await new Browser(api.baseUrl).passwordLogin(username, 'first-pass1');

      // Now that a password exists, changing it needs the current one.
      expectRefused(await browser.request('PUT', '/api/user/self', { password: 'second-pass2' }), 400, /original_password is required/);
      expectRefused(await browser.request('PUT', '/api/user/self', { password: 'second-pass2', original_password: 'wrong-pass' }), 400, /original password is wrong/);
      expect((await browser.request('PUT', '/api/user/self', { password: 'second-pass2', original_password: 'first-pass1' })).status).toBe(200);
      await new Browser(api.baseUrl).passwordLogin(username, 'second-pass2');
    });

    it('still requires original_password from a password user', async () => {
      const user = await passwordUser();
      expect((await user.self()).body.data).toMatchObject({ has_password: true });
      expectRefused(await user.request('PUT', '/api/user/self', { password: 'another-pass1' }), 400, /original_password is required/);
    });

    it('moves a user bound by login (New API v25.04) to the numeric id on their next login', async () => {
      const legacy = await passwordUser();
      const githubId = nextId();
      await api.database.query('UPDATE users SET github_id = ? WHERE id = ?', [`legacy${githubId}`, legacy.userId]);
      const browser = new Browser(api.baseUrl);
      const reply = await browser.oauth('github', fake.issueCode('github', { id: githubId, login: `legacy${githubId}`, name: 'Legacy' }));
      expect(reply.body.data?.id).toBe(legacy.userId);
      expect((await browser.self()).body.data?.github_id).toBe(String(githubId));
    });

    it('refuses a state from another session, a missing state and a reused state, without asking GitHub', async () => {
      const before = fake.tokenRequests('github');
      const other = await new Browser(api.baseUrl).state();
      const browser = new Browser(api.baseUrl);
      await browser.state();
      const code = fake.issueCode('github', { id: nextId(), login: 'mallory' });
      expectRefused(await browser.get(`/api/oauth/github?code=${code}&state=${other}`), 403, /state/);
      expectRefused(await new Browser(api.baseUrl).get(`/api/oauth/github?code=${code}&state=`), 403, /state/);

      // A state is good for one callback only.
      const state = await browser.state();
      expect((await browser.get(`/api/oauth/github?code=${code}&state=${state}`)).status).toBe(200);
      expectRefused(await browser.get(`/api/oauth/github?code=${fake.issueCode('github', { id: nextId(), login: 'again' })}&state=${state}`), 403, /state/);
      expect(fake.tokenRequests('github')).toBe(before + 1);
    });

    it('refuses a code GitHub does not accept, and wrong client credentials, creating nobody', async () => {
      const usersBefore = (await api.database.query('SELECT id FROM users')).length;
      expectRefused(await new Browser(api.baseUrl).oauth('github', 'not-a-code'), 400, /GitHub refused the login code.*bad_verification_code/);
      try {
        await setOption('GitHubClientSecret', 'wrong-secret');
        expectRefused(await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: nextId(), login: 'x' })), 400, /incorrect_client_credentials/);
      } finally {
        await setOption('GitHubClientSecret', GITHUB.clientSecret);
      }
      expect(await api.database.query('SELECT id FROM users')).toHaveLength(usersBefore);
    });

    it('refuses GitHub login while GitHubOAuthEnabled is off', async () => {
      try {
        await setOption('GitHubOAuthEnabled', 'false');
        expectRefused(await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: nextId(), login: 'off' })), 403, /disabled/);
      } finally {
        await setOption('GitHubOAuthEnabled', 'true');
      }
    });

    it('refuses to register while registration is closed, but still logs known users in', async () => {
      const knownId = nextId();
      const known = await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: knownId, login: `known${knownId}` }));
      expect(known.status).toBe(200);
      try {
        await setOption('RegisterEnabled', 'false');
        const newId = nextId();
        expectRefused(await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: newId, login: `new${newId}` })), 403, /Registration is disabled/);
        expect(await usersWith('github_id', String(newId))).toHaveLength(0);
        const again = await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: knownId, login: `known${knownId}` }));
        expect(again.body.data?.id).toBe(known.body.data?.id);
      } finally {
        await setOption('RegisterEnabled', 'true');
      }
    });

    it('refuses a banned user and a deleted user', async () => {
      const bannedId = nextId();
      const banned = await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: bannedId, login: `ban${bannedId}` }));
      expect((await root.post('/api/user/manage', { id: banned.body.data?.id, action: 'disable' })).status).toBe(200);
      expectRefused(await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: bannedId, login: `ban${bannedId}` })), 403, /banned/);

      const deletedId = nextId();
      const deleted = await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: deletedId, login: `del${deletedId}` }));
      expect((await root.delete(`/api/user/${deleted.body.data?.id}`)).status).toBe(200);
      expectRefused(await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: deletedId, login: `del${deletedId}` })), 403, /deleted/);
      expect(await usersWith('github_id', String(deletedId))).toHaveLength(1);
    });

    it('binds the account to the logged-in user, and refuses an account bound to someone else', async () => {
      const user = await passwordUser();
      const githubId = nextId();
      const bound = await user.oauth('github', fake.issueCode('github', { id: githubId, login: `bind${githubId}` }));
      expect(bound.status).toBe(200);
      expect(bound.body.message).toBe('bind');
      expect(bound.body.data?.id).toBe(user.userId);
      expect((await user.self()).body.data?.github_id).toBe(String(githubId));

      // The bound account now logs in as that user.
      const login = await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: githubId, login: `bind${githubId}` }));
      expect(login.body.data?.id).toBe(user.userId);

      const someoneElse = await passwordUser();
      expectRefused(await someoneElse.oauth('github', fake.issueCode('github', { id: githubId, login: `bind${githubId}` })), 409, /already bound/);
      expect((await someoneElse.self()).body.data?.github_id).toBe('');
    });

    it('with intent=bind needs a logged-in user; with intent=login a logged-in user switches accounts', async () => {
      expectRefused(await new Browser(api.baseUrl).oauth('github', fake.issueCode('github', { id: nextId(), login: 'b' }), '?intent=bind'), 401, /Log in/);

      const user = await passwordUser();
      const passwordUserId = user.userId;
      const githubId = nextId();
      const switched = await user.oauth('github', fake.issueCode('github', { id: githubId, login: `sw${githubId}` }), '?intent=login');
      expect(switched.body.message).toBe('');
      expect(switched.body.data?.username).toMatch(/^github_\d+$/);
      expect(switched.body.data?.id).not.toBe(passwordUserId);
      expect((await api.database.query<{ github_id: string }>('SELECT github_id FROM users WHERE id = ?', [passwordUserId]))[0].github_id).toBe('');
      expect((await user.self()).body.data?.github_id).toBe(String(githubId));
    });
  });

  describe('OIDC', () => {
    it('finds the endpoints by discovery, registers oidc_<n> keyed on sub, and logs the same user in again', async () => {
      const sub = `sub-${nextId()}`;
      const browser = new Browser(api.baseUrl);
      const reply = await browser.oauth('oidc', fake.issueCode('oidc', { sub, preferred_username: 'alice', email: `${sub}@example.com` }));
      expect(reply.status).toBe(200);
      expect(reply.body.data?.username).toMatch(/^oidc_\d+$/);
      expect(reply.body.data?.display_name).toBe('alice');
      expect(fake.seen).toContain('GET /oidc/.well-known/openid-configuration');
      expect(fake.oidcRedirectUri).toBe(`${SERVER_ADDRESS}/oauth/oidc`);
      const me = await browser.self();
      expect(me.body.data).toMatchObject({ oidc_id: sub, email: `${sub}@example.com` });

      const again = await new Browser(api.baseUrl).oauth('oidc', fake.issueCode('oidc', { sub, preferred_username: 'alice' }));
      expect(again.body.data?.id).toBe(reply.body.data?.id);
    });

    it('fills oidc_authorization_endpoint in /api/status from the discovery document (fetched once), the option winning when set', async () => {
      const status = async () => (await new Browser(api.baseUrl).get<Record<string, unknown>>('/api/status')).body.data ?? {};
      const fetchesBefore = fake.seen.filter((line) => line === 'GET /oidc/.well-known/openid-configuration').length;
      expect((await status()).oidc_authorization_endpoint).toBe(`${fake.baseUrl}/oidc/authorize`);
      expect((await status()).oidc_authorization_endpoint).toBe(`${fake.baseUrl}/oidc/authorize`);
      // Cached: at most the first call (if the login test did not already fetch it) reads the document.
      expect(fake.seen.filter((line) => line === 'GET /oidc/.well-known/openid-configuration').length - fetchesBefore).toBeLessThanOrEqual(1);
      try {
        await setOption('oidc.authorization_endpoint', 'https://idp.example.com/authorize');
        expect((await status()).oidc_authorization_endpoint).toBe('https://idp.example.com/authorize');
        await setOption('oidc.authorization_endpoint', '');
        // A discovery URL that fails leaves it empty, and /api/status still answers.
        await setOption('oidc.well_known', `${fake.baseUrl}/oidc/missing`);
        expect((await status()).oidc_authorization_endpoint).toBe('');
        await setOption('oidc.well_known', `${fake.baseUrl}/oidc/.well-known/openid-configuration`);
        await setOption('oidc.enabled', 'false');
        expect((await status()).oidc_authorization_endpoint).toBe('');
      } finally {
        await setOption('oidc.enabled', 'true');
        await setOption('oidc.authorization_endpoint', '');
        await setOption('oidc.well_known', `${fake.baseUrl}/oidc/.well-known/openid-configuration`);
      }
    });

    it('uses the endpoints set in options over discovery, and refuses while oidc.enabled is off', async () => {
      try {
        await setOption('oidc.well_known', `${fake.baseUrl}/oidc/missing`);
        await setOption('oidc.token_endpoint', `${fake.baseUrl}/oidc/token`);
        await setOption('oidc.user_info_endpoint', `${fake.baseUrl}/oidc/userinfo`);
        const reply = await new Browser(api.baseUrl).oauth('oidc', fake.issueCode('oidc', { sub: `sub-${nextId()}` }));
        expect(reply.status).toBe(200);
        await setOption('oidc.enabled', 'false');
        expectRefused(await new Browser(api.baseUrl).oauth('oidc', fake.issueCode('oidc', { sub: `sub-${nextId()}` })), 403, /disabled/);
      } finally {
        await setOption('oidc.enabled', 'true');
        await setOption('oidc.token_endpoint', '');
        await setOption('oidc.user_info_endpoint', '');
        await setOption('oidc.well_known', `${fake.baseUrl}/oidc/.well-known/openid-configuration`);
      }
    });
  });

  describe('LinuxDO', () => {
    it('registers linuxdo_<n> with Basic client credentials, and refuses a trust level below the minimum', async () => {
      const linuxdoId = nextId();
      const browser = new Browser(api.baseUrl);
      const reply = await browser.oauth('linuxdo', fake.issueCode('linuxdo', { id: linuxdoId, username: 'neo', name: 'Neo', trust_level: 1, active: true, silenced: false }));
      expect(reply.status).toBe(200);
      expect(reply.body.data?.username).toMatch(/^linuxdo_\d+$/);
      expect((await browser.self()).body.data).toMatchObject({ linux_do_id: String(linuxdoId), display_name: 'Neo' });

      try {
        await setOption('LinuxDOMinimumTrustLevel', '2');
        const lowId = nextId();
        expectRefused(await new Browser(api.baseUrl).oauth('linuxdo', fake.issueCode('linuxdo', { id: lowId, username: 'low', trust_level: 1 })), 403, /trust level is 1.*at least 2/);
        expect(await usersWith('linux_do_id', String(lowId))).toHaveLength(0);
      } finally {
        await setOption('LinuxDOMinimumTrustLevel', '0');
      }

      try {
        await setOption('LinuxDOClientSecret', 'wrong');
        expectRefused(await new Browser(api.baseUrl).oauth('linuxdo', fake.issueCode('linuxdo', { id: nextId(), username: 'x' })), 400, /LinuxDO refused.*invalid_client/);
      } finally {
        await setOption('LinuxDOClientSecret', LINUXDO.clientSecret);
      }
    });
  });

  describe('Telegram', () => {
    const now = () => String(Math.floor(Date.now() / 1000));

    it('binds a signed Telegram account to the logged-in user, then logs in with it', async () => {
      const telegramId = String(nextId());
      const user = await passwordUser();
      const bound = await user.get<LoginBody>(`/api/oauth/telegram/bind?${telegramQuery({ id: telegramId, first_name: 'Tele', username: 'tele', auth_date: now() })}`);
      expect(bound.status).toBe(200);
      expect(bound.body.message).toBe('bind');
      expect((await user.self()).body.data?.telegram_id).toBe(telegramId);

      const browser = new Browser(api.baseUrl);
      const login = await browser.get<LoginBody>(`/api/oauth/telegram/login?${telegramQuery({ id: telegramId, first_name: 'Tele', auth_date: now() })}`);
      expect(login.status).toBe(200);
      expect(login.body.data?.id).toBe(user.userId);
      browser.userId = login.body.data?.id ?? null;
      expect((await browser.self()).body.data?.telegram_id).toBe(telegramId);

      // Another user cannot take the same Telegram account.
      const other = await passwordUser();
      expectRefused(await other.get(`/api/oauth/telegram/bind?${telegramQuery({ id: telegramId, auth_date: now() })}`), 409, /already bound/);
    });

    it('refuses a tampered hash, a stale auth_date, an unbound account, a bind without login, and a disabled Telegram login', async () => {
      const telegramId = String(nextId());
      const user = await passwordUser();
      expect((await user.get(`/api/oauth/telegram/bind?${telegramQuery({ id: telegramId, auth_date: now() })}`)).status).toBe(200);

      const tampered = new URLSearchParams(telegramQuery({ id: String(nextId()), auth_date: now() }));
      tampered.set('id', telegramId);
      expectRefused(await new Browser(api.baseUrl).get(`/api/oauth/telegram/login?${tampered}`), 401, /not signed/);
      expectRefused(await new Browser(api.baseUrl).get(`/api/oauth/telegram/login?${telegramQuery({ id: telegramId, auth_date: now() }, '999:other-bot')}`), 401, /not signed/);

      const dayAndAMinuteAgo = String(Math.floor(Date.now() / 1000) - 86_460);
      expectRefused(await new Browser(api.baseUrl).get(`/api/oauth/telegram/login?${telegramQuery({ id: telegramId, auth_date: dayAndAMinuteAgo })}`), 401, /too old/);

      expectRefused(await new Browser(api.baseUrl).get(`/api/oauth/telegram/login?${telegramQuery({ id: String(nextId()), auth_date: now() })}`), 403, /not bound/);
      expectRefused(await new Browser(api.baseUrl).get(`/api/oauth/telegram/bind?${telegramQuery({ id: String(nextId()), auth_date: now() })}`), 401, /Log in/);

      try {
        await setOption('TelegramOAuthEnabled', 'false');
        expectRefused(await new Browser(api.baseUrl).get(`/api/oauth/telegram/login?${telegramQuery({ id: telegramId, auth_date: now() })}`), 403, /disabled/);
      } finally {
        await setOption('TelegramOAuthEnabled', 'true');
      }
    });
  });

  // Last: by now every flow above has run.
  it('never writes codes, provider tokens, client secrets or the bot token to its log', () => {
    const output = api.output();
    expect(fake.sensitive.length).toBeGreaterThan(20);
    for (const secret of [...fake.sensitive, GITHUB.clientSecret, LINUXDO.clientSecret, OIDC.clientSecret, TELEGRAM_BOT_TOKEN]) {
      expect(output).not.toContain(secret);
    }
  });
});
