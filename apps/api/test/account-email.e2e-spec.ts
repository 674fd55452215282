import { randomBytes } from 'node:crypto';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient, Reply } from './management-client';

// An API start on PostgreSQL under load takes more than Jest's default 5 s.
jest.setTimeout(60_000);

const SMTP = { user: 'mailer@gateway.example.com', password: 'smtp-password-do-not-leak' };
const SERVER_ADDRESS = 'https://gateway.example.com';
const PASSWORD = 'password123';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface SelfBody {
  id: number;
  username: string;
  email: string;
}

const codeOf = (mail: ReceivedMail): string => {
  const match = /verification code is: <strong>([0-9a-f]{6})<\/strong>/.exec(mail.text);
  if (!match) throw new Error(`no code in the mail:\n${mail.text}`);
  return match[1];
};

const resetLinkOf = (mail: ReceivedMail): URL => {
  const match = /href="([^"]+)"/.exec(mail.text);
  if (!match) throw new Error(`no link in the mail:\n${mail.text}`);
  return new URL(match[1].replace(/&#38;/g, '&'));
};

const expectFailure = (reply: Reply, status: number, message: RegExp) => {
  expect(reply.status).toBe(status);
  expect(reply.body.success).toBe(false);
  expect(reply.body.message).toMatch(message);
};

/** Email verification, password reset and email binding, with mail delivered to a real SMTP server. */
describe('account email', () => {
  let smtp: SmtpSink;
  let api: RunningApi;
  let root: ManagementClient;
  let anonymous: ManagementClient;
  let serial = 0;

  const unique = (prefix: string) => `${prefix}${(++serial).toString(36)}${randomBytes(3).toString('hex')}`;
  const address = (prefix: string) => `${unique(prefix)}@example.com`;

  const setOption = async (key: string, value: string) => {
    const reply = await root.put('/api/option/', { key, value });
    if (reply.status !== 200) throw new Error(`setting ${key} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  };

  /** Asks for a code for `email` and returns it as read from the mail the SMTP server received. */
  const mailedCode = async (email: string, client = anonymous): Promise<string> => {
    const since = smtp.mails.length;
    const reply = await client.get(`/api/verification?email=${encodeURIComponent(email)}`);
    expect(reply.body).toMatchObject({ success: true });
    return codeOf(await smtp.waitForMail(email, { since }));
  };

  /** A password user with a verified email, logged in. */
  const userWithEmail = async () => {
    const email = address('r');
    const username = unique('r');
    const code = await mailedCode(email);
    const reply = await anonymous.post('/api/user/register', { username, password: PASSWORD, email, verification_code: code });
    expect(reply.body).toMatchObject({ success: true });
    return { username, email };
  };

  beforeAll(async () => {
    smtp = await startSmtpSink(SMTP);
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    anonymous = new ManagementClient(api.baseUrl);
    await setOption('SystemName', 'Gateway Test');
    await setOption('ServerAddress', SERVER_ADDRESS);
    await setOption('SMTPServer', smtp.host);
    await setOption('SMTPPort', String(smtp.port));
    await setOption('SMTPAccount', SMTP.user);
    await setOption('SMTPToken', SMTP.password);
    await setOption('SMTPFrom', 'noreply@gateway.example.com');
    await setOption('EmailVerificationEnabled', 'true');
  });

  afterAll(async () => {
    await api?.stop();
    await smtp?.close();
  });

  describe('verification codes and registration', () => {
    it('mails a 6-character code through the SMTP server, logged in with SMTPAccount / SMTPToken, from SMTPFrom', async () => {
      const email = address('v');
      const since = smtp.mails.length;
      const reply = await anonymous.get(`/api/verification?email=${encodeURIComponent(email)}`);
      expect(reply.status).toBe(200);
      expect(reply.body.success).toBe(true);
      const mail = await smtp.waitForMail(email, { since });
      expect(mail.user).toBe(SMTP.user);
      expect(mail.from).toBe('noreply@gateway.example.com');
      expect(mail.subject).toBe('Gateway Test email verification');
      expect(codeOf(mail)).toMatch(/^[0-9a-f]{6}$/);
    });

    it('registers only with the code mailed to the address, keeps the address, and takes each code once', async () => {
      const email = address('reg');
      const code = await mailedCode(email);
      expectFailure(await anonymous.post('/api/user/register', { username: unique('n'), password: PASSWORD }), 400, /email and verification_code are required/);
      const wrong = code === 'aaaaaa' ? 'bbbbbb' : 'aaaaaa';
      expectFailure(await anonymous.post('/api/user/register', { username: unique('n'), password: PASSWORD, email, verification_code: wrong }), 400, /wrong or has expired/);
      const other = address('other');
      expectFailure(await anonymous.post('/api/user/register', { username: unique('n'), password: PASSWORD, email: other, verification_code: code }), 400, /wrong or has expired/);

      const username = unique('n');
      const ok = await anonymous.post<{ id: number }>('/api/user/register', { username, password: PASSWORD, email, verification_code: code.toUpperCase() });
      expect(ok.body).toMatchObject({ success: true });
      const client = await new ManagementClient(api.baseUrl).loginOrThrow(username, PASSWORD);
      expect((await client.get<SelfBody>('/api/user/self')).body.data?.email).toBe(email);
      // Login by email works too (New API ValidateAndFill).
      await new ManagementClient(api.baseUrl).loginOrThrow(email, PASSWORD);

      expectFailure(await anonymous.post('/api/user/register', { username: unique('n'), password: PASSWORD, email, verification_code: code }), 409, /already in use/);
      // The address is now taken: no new code for it.
      expectFailure(await anonymous.get(`/api/verification?email=${encodeURIComponent(email)}`), 409, /already in use/);
    });

    it('drops a code after five wrong guesses', async () => {
      const email = address('guess');
      const code = await mailedCode(email);
      for (let i = 0; i < 5; i++) {
        const guess = `00000${i}` === code ? 'ffffff' : `00000${i}`;
        expectFailure(await anonymous.post('/api/user/register', { username: unique('g'), password: PASSWORD, email, verification_code: guess }), 400, /wrong/);
      }
      expectFailure(await anonymous.post('/api/user/register', { username: unique('g'), password: PASSWORD, email, verification_code: code }), 400, /wrong or has expired/);
    });

    it('sends one mail per address per 30 s, and refuses invalid, non-whitelisted and alias addresses without mailing', async () => {
      const email = address('flood');
      await mailedCode(email);
      const again = await anonymous.get(`/api/verification?email=${encodeURIComponent(email)}`);
      expectFailure(again, 429, /wait \d+ s/);

      const before = smtp.mails.length;
      expectFailure(await anonymous.get('/api/verification?email=not-an-address'), 400, /valid email/);
      try {
        await setOption('EmailDomainRestrictionEnabled', 'true');
        await setOption('EmailDomainWhitelist', 'gmail.com,qq.com');
        expectFailure(await anonymous.get(`/api/verification?email=${unique('d')}@example.com`), 400, /gmail\.com, qq\.com/);
        await setOption('EmailAliasRestrictionEnabled', 'true');
        expectFailure(await anonymous.get(`/api/verification?email=${unique('d')}%2Bspam@gmail.com`), 400, /alias/);
        const allowed = `${unique('d')}@gmail.com`;
        await mailedCode(allowed);
      } finally {
        await setOption('EmailDomainRestrictionEnabled', 'false');
        await setOption('EmailAliasRestrictionEnabled', 'false');
      }
      expect(smtp.mails.length).toBe(before + 1);
    });

    it('reports a refused SMTP login as a failed send, without the SMTP password in the reply or the log', async () => {
      try {
        await setOption('SMTPToken', 'wrong-password-do-not-leak');
        const reply = await anonymous.get(`/api/verification?email=${encodeURIComponent(address('bad'))}`);
        expectFailure(reply, 502, /could not be sent/);
        expect(JSON.stringify(reply.body)).not.toMatch(/do-not-leak/);
      } finally {
        await setOption('SMTPToken', SMTP.password);
      }
      expect(api.output()).not.toMatch(/do-not-leak/);
    });
  });

  describe('password reset', () => {
    it('mails {ServerAddress}/user/reset?email=&token=, and the link sets a random 12-character password once', async () => {
      const { username, email } = await userWithEmail();
      const since = smtp.mails.length;
      const reply = await anonymous.get(`/api/reset_password?email=${encodeURIComponent(email)}`);
      expect(reply.body).toMatchObject({ success: true });
      const mail = await smtp.waitForMail(email, { since });
      expect(mail.subject).toBe('Gateway Test password reset');
      const link = resetLinkOf(mail);
      expect(`${link.origin}${link.pathname}`).toBe(`${SERVER_ADDRESS}/user/reset`);
      expect(link.searchParams.get('email')).toBe(email);
      const token = link.searchParams.get('token') ?? '';
      expect(token).toMatch(/^[0-9a-f]{32}$/);

      expectFailure(await anonymous.post('/api/user/reset', { email, token: 'f'.repeat(32) }), 400, /invalid or has expired/);
      const reset = await anonymous.post<string>('/api/user/reset', { email, token });
      expect(reset.status).toBe(200);
      const password = reset.body.data ?? '';
      expect(password).toHaveLength(12);

      expect((await new ManagementClient(api.baseUrl).login(username, PASSWORD)).body.success).toBe(false);
      await new ManagementClient(api.baseUrl).loginOrThrow(username, password);
      const stored = await api.database.query<{ password: string }>('SELECT password FROM users WHERE username = ?', [username]);
      expect(stored[0].password).toMatch(/^\$2[aby]\$10\$/);

      expectFailure(await anonymous.post('/api/user/reset', { email, token }), 400, /invalid or has expired/);
    });

    it('answers an unknown address like a known one, but mails nothing', async () => {
      const email = address('nobody');
      const before = smtp.mails.length;
      const reply = await anonymous.get(`/api/reset_password?email=${encodeURIComponent(email)}`);
      expect(reply.body).toMatchObject({ success: true, message: expect.stringMatching(/If this address belongs to an account/) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(smtp.mails.length).toBe(before);
      expectFailure(await anonymous.post('/api/user/reset', { email, token: 'a'.repeat(32) }), 400, /invalid or has expired/);
    });

    it('refuses a reset without a configured SMTP server', async () => {
      try {
        await setOption('SMTPServer', '');
        expectFailure(await anonymous.get(`/api/reset_password?email=${encodeURIComponent(address('x'))}`), 400, /not configured an SMTP server/);
      } finally {
        await setOption('SMTPServer', smtp.host);
      }
    });
  });

  describe('email binding', () => {
    const loggedInUser = async () => {
      const { username } = await userWithEmail();
      return new ManagementClient(api.baseUrl).loginOrThrow(username, PASSWORD);
    };

    it('binds a new address with its code by POST (JSON) and by GET (New API v25.04 query)', async () => {
      const client = await loggedInUser();
      const first = address('bind');
      const code = await mailedCode(first, client);
      const bound = await client.post('/api/oauth/email/bind', { email: first, code });
      expect(bound.body).toMatchObject({ success: true, message: 'bind' });
      expect((await client.get<SelfBody>('/api/user/self')).body.data?.email).toBe(first);

      const second = address('bind');
      const secondCode = await mailedCode(second, client);
      const wrong = secondCode === 'aaaaaa' ? 'bbbbbb' : 'aaaaaa';
      expectFailure(await client.get(`/api/oauth/email/bind?email=${encodeURIComponent(second)}&code=${wrong}`), 400, /wrong or has expired/);
      const viaGet = await client.get(`/api/oauth/email/bind?email=${encodeURIComponent(second)}&code=${secondCode}`);
      expect(viaGet.body).toMatchObject({ success: true });
      expect((await client.get<SelfBody>('/api/user/self')).body.data?.email).toBe(second);
    });

    it('needs a logged-in user', async () => {
      expectFailure(await anonymous.post('/api/oauth/email/bind', { email: address('x'), code: 'abcdef' }), 401, /./);
    });
  });

  it('uses EMAIL_SERVER, EMAIL_FROM and EMAIL_PASSWORD from the environment while the SMTPServer option is empty', async () => {
    const other = await startApi({ env: { EMAIL_SERVER: `${smtp.host}:${smtp.port}`, EMAIL_FROM: SMTP.user, EMAIL_PASSWORD: SMTP.password } });
    try {
      const rootOther = await new ManagementClient(other.baseUrl).loginOrThrow('root', '123456');
      expect((await rootOther.put('/api/option/', { key: 'EmailVerificationEnabled', value: 'true' })).status).toBe(200);
      const email = address('env');
      const since = smtp.mails.length;
      expect((await new ManagementClient(other.baseUrl).get(`/api/verification?email=${encodeURIComponent(email)}`)).body.success).toBe(true);
      const mail = await smtp.waitForMail(email, { since });
      expect(mail).toMatchObject({ user: SMTP.user, from: SMTP.user });
      expect(codeOf(mail)).toMatch(/^[0-9a-f]{6}$/);
    } finally {
      await other.stop();
    }
  });

  it('shares codes between API processes through Redis: one mails the code, another accepts it', async () => {
    const prefix = unique('your-api-e2e-mail');
    const a = await startApi({ env: { REDIS_CONN_STRING: REDIS_URL, REDIS_KEY_PREFIX: prefix } });
    let b: RunningApi | undefined;
    try {
      const rootA = await new ManagementClient(a.baseUrl).loginOrThrow('root', '123456');
      for (const [key, value] of Object.entries({ SMTPServer: smtp.host, SMTPPort: String(smtp.port), SMTPAccount: SMTP.user, SMTPToken: SMTP.password, EmailVerificationEnabled: 'true' })) {
        expect((await rootA.put('/api/option/', { key, value })).status).toBe(200);
      }
      b = await startApi({ database: a.database, keepDatabase: true, env: { REDIS_CONN_STRING: REDIS_URL, REDIS_KEY_PREFIX: prefix } });
      const email = address('redis');
      const since = smtp.mails.length;
      expect((await new ManagementClient(a.baseUrl).get(`/api/verification?email=${encodeURIComponent(email)}`)).body.success).toBe(true);
      const code = codeOf(await smtp.waitForMail(email, { since }));
      const registered = await new ManagementClient(b.baseUrl).post('/api/user/register', { username: unique('x'), password: PASSWORD, email, verification_code: code });
      expect(registered.body).toMatchObject({ success: true });
    } finally {
      await b?.stop();
      await a.stop();
    }
  });
});
