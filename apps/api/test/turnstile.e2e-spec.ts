import { randomBytes } from 'node:crypto';
import { startFakeTurnstile, startSmtpSink, type FakeTurnstile, type SmtpSink } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient, Reply } from './management-client';

// An API start on PostgreSQL under load takes more than Jest's default 5 s.
jest.setTimeout(60_000);

const SITE_KEY = '0x4AAAAAAAsite-key';
const SECRET = '0x4AAAAAAAturnstile-secret-do-not-leak';
const PASSWORD = 'password123';

const expectRefused = (reply: Reply, status: number, message: RegExp) => {
  expect(reply.status).toBe(status);
  expect(reply.body).toMatchObject({ success: false });
  expect(reply.body.message).toMatch(message);
};

/** Cloudflare Turnstile on register, login, verification and reset_password, against a fake siteverify. */
describe('turnstile', () => {
  let turnstile: FakeTurnstile;
  let smtp: SmtpSink;
  let api: RunningApi;
  let root: ManagementClient;
  let anonymous: ManagementClient;
  let serial = 0;

  const unique = (prefix: string) => `${prefix}${(++serial).toString(36)}${randomBytes(3).toString('hex')}`;
  /** A token the fake siteverify accepts. */
  const goodToken = () => {
    const token = `ok-${randomBytes(6).toString('hex')}`;
    turnstile.validTokens.add(token);
    return token;
  };

  const setOption = async (key: string, value: string) => {
    const reply = await root.put('/api/option/', { key, value });
    if (reply.status !== 200) throw new Error(`setting ${key} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  };

  beforeAll(async () => {
    turnstile = await startFakeTurnstile({ secret: SECRET });
    smtp = await startSmtpSink({ user: 'mailer@example.com', password: 'smtp-password' });
    api = await startApi({ env: { TURNSTILE_VERIFY_URL: turnstile.verifyUrl } });
    // Root logs in before the check is on, and keeps its session.
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    anonymous = new ManagementClient(api.baseUrl);
    await setOption('ServerAddress', 'https://gateway.example.com');
    await setOption('SMTPServer', smtp.host);
    await setOption('SMTPPort', String(smtp.port));
    await setOption('SMTPAccount', 'mailer@example.com');
    await setOption('SMTPToken', 'smtp-password');
    await setOption('SMTPFrom', 'noreply@example.com');
  });

  afterAll(async () => {
    await api?.stop();
    await turnstile?.close();
    await smtp?.close();
  });

  it('asks nothing while TurnstileCheckEnabled is off', async () => {
    const before = turnstile.requests.length;
    const username = unique('off');
    expect((await anonymous.post('/api/user/register', { username, password: PASSWORD })).body).toMatchObject({ success: true });
    expect((await new ManagementClient(api.baseUrl).login(username, PASSWORD)).body).toMatchObject({ success: true });
    expect(turnstile.requests.length).toBe(before);
    expect((await anonymous.get<Record<string, unknown>>('/api/status')).body.data).toMatchObject({ turnstile_check: false });
  });

  describe('while TurnstileCheckEnabled is on', () => {
    beforeAll(async () => {
      await setOption('TurnstileSiteKey', SITE_KEY);
      await setOption('TurnstileSecretKey', SECRET);
      await setOption('TurnstileCheckEnabled', 'true');
    });

    afterAll(async () => {
      await setOption('TurnstileCheckEnabled', 'false');
    });

    it('shows the check and the site key in /api/status, never the secret', async () => {
      const reply = await anonymous.get<Record<string, unknown>>('/api/status');
      expect(reply.body.data).toMatchObject({ turnstile_check: true, turnstile_site_key: SITE_KEY });
      expect(JSON.stringify(reply.body)).not.toContain(SECRET);
    });

    it('refuses register, login, verification and reset_password without a token, without calling siteverify', async () => {
      const before = turnstile.requests.length;
      const username = unique('none');
      expectRefused(await anonymous.post('/api/user/register', { username, password: PASSWORD }), 403, /Turnstile check is missing/);
      expectRefused(await anonymous.post('/api/user/login', { username: 'root', password: '123456' }), 403, /Turnstile check is missing/);
      expectRefused(await anonymous.get('/api/verification?email=someone%40example.com'), 403, /Turnstile check is missing/);
      expectRefused(await anonymous.get('/api/reset_password?email=someone%40example.com'), 403, /Turnstile check is missing/);
      expect(turnstile.requests.length).toBe(before);
      expect(await api.database.query('SELECT id FROM users WHERE username = ?', [username])).toHaveLength(0);
    });

    it('refuses a token siteverify rejects, and creates nobody', async () => {
      const username = unique('bad');
      expectRefused(await anonymous.post(`/api/user/register?turnstile=forged`, { username, password: PASSWORD }), 403, /Turnstile check failed \(invalid-input-response\)/);
      expectRefused(await anonymous.post('/api/user/login?turnstile=forged', { username: 'root', password: '123456' }), 403, /Turnstile check failed/);
      expect(await api.database.query('SELECT id FROM users WHERE username = ?', [username])).toHaveLength(0);
    });

    it('registers and logs in with valid tokens, posting secret, response and remoteip as a form', async () => {
      const username = unique('good');
      const registerToken = goodToken();
      const before = turnstile.requests.length;
      const registered = await anonymous.post(`/api/user/register?turnstile=${registerToken}`, { username, password: PASSWORD });
      expect(registered.body).toMatchObject({ success: true });
      expect(turnstile.requests.slice(before)).toEqual([
        {
          method: 'POST',
          path: '/turnstile/v0/siteverify',
          contentType: 'application/x-www-form-urlencoded',
          secret: SECRET,
          response: registerToken,
          remoteip: expect.stringMatching(/127\.0\.0\.1/) as unknown as string,
        },
      ]);
      const client = new ManagementClient(api.baseUrl);
      const login = await client.request<{ id: number }>('POST', `/api/user/login?turnstile=${goodToken()}`, { username, password: PASSWORD });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ success: true, data: { username } });
    });

    it('sends a verification code and a reset mail with a valid token', async () => {
      const email = `${unique('mail')}@example.com`;
      const since = smtp.mails.length;
      const reply = await anonymous.get(`/api/verification?email=${encodeURIComponent(email)}&turnstile=${goodToken()}`);
      expect(reply.body).toMatchObject({ success: true });
      await smtp.waitForMail(email, { since });
      const reset = await anonymous.get(`/api/reset_password?email=${encodeURIComponent(email)}&turnstile=${goodToken()}`);
      expect(reset.body).toMatchObject({ success: true });
    });

    it('refuses when siteverify rejects the secret, and logs that without the secret', async () => {
      await setOption('TurnstileSecretKey', 'wrong-secret-do-not-leak');
      try {
        expectRefused(await anonymous.post(`/api/user/login?turnstile=${goodToken()}`, { username: 'root', password: '123456' }), 403, /invalid-input-secret/);
      } finally {
        await setOption('TurnstileSecretKey', SECRET);
      }
      expect(api.output()).toMatch(/rejected the secret key/);
    });

    it('leaves other routes alone (logout, status, a logged-in user)', async () => {
      expect((await anonymous.get('/api/user/logout')).status).toBe(200);
      expect((await root.get('/api/user/self')).body).toMatchObject({ success: true });
    });

    it('never writes the secret key to its log', () => {
      expect(api.output()).toMatch(/Turnstile/);
      expect(api.output()).not.toContain(SECRET);
      expect(api.output()).not.toContain('wrong-secret-do-not-leak');
    });
  });

  describe('when siteverify does not answer', () => {
    let dead: RunningApi;

    beforeAll(async () => {
      // A port nothing listens on: the call fails at once.
      dead = await startApi({ env: { TURNSTILE_VERIFY_URL: 'http://127.0.0.1:9/turnstile/v0/siteverify' } });
      const admin = await new ManagementClient(dead.baseUrl).loginOrThrow('root', '123456');
      for (const [key, value] of [['TurnstileSiteKey', SITE_KEY], ['TurnstileSecretKey', SECRET], ['TurnstileCheckEnabled', 'true']]) {
        expect((await admin.put('/api/option/', { key, value })).status).toBe(200);
      }
    });

    afterAll(async () => {
      await dead?.stop();
    });

    it('refuses (fails closed) with 503', async () => {
      expectRefused(await new ManagementClient(dead.baseUrl).post(`/api/user/login?turnstile=anything`, { username: 'root', password: '123456' }), 503, /could not be completed/);
      expect(dead.output()).toMatch(/Turnstile siteverify failed/);
    });
  });
});
