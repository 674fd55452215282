/**
 * Sign-in checks in real Chromium, against the built API and web: the Cloudflare Turnstile widget
 * on login, register and password reset (the widget script is served by the test through
 * page.route, a fake that hands out tokens; siteverify is a fake HTTP server), and a user created
 * by OAuth (a fake OIDC provider) setting a first password on the profile page.
 *
 * Needs `npm run build` (API and web) first.
 */
import { type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { startFakeTurnstile, startSmtpSink, type FakeTurnstile, type SmtpSink } from '@your-api/testing';
import { DESKTOP, launchChromium, saveScreenshot, STEP_TIMEOUT } from './browser';
import { startApi, type RunningApi } from '../../api/test/harness';
import { ManagementClient } from '../../api/test/management-client';
import { startWeb, type RunningWeb } from './web-server';
import { FakeOidc, startFakeOidc } from './fake-oidc';

const SITE_KEY = '0x4AAAAAAAbrowser-site-key';
const SECRET = 'turnstile-browser-secret';
const OIDC_SUB = 'oidc-no-password-7';

/**
 * Stands in for https://challenges.cloudflare.com/turnstile/v0/api.js: `render` shows a box and
 * calls back with a made-up token `fake-<sitekey>-<n>`; `reset` calls back with the next one.
 */
const FAKE_WIDGET = `
(() => {
  let serial = 0;
  const widgets = {};
  const issue = (id) => setTimeout(() => { const w = widgets[id]; if (w) w.callback('fake-' + w.sitekey + '-' + (++serial)); }, 30);
  window.turnstile = {
    render(el, options) {
      const id = 'w' + (++serial);
      widgets[id] = options;
      const box = document.createElement('div');
      box.setAttribute('data-testid', 'fake-turnstile');
      box.setAttribute('data-sitekey', options.sitekey);
      box.textContent = 'Verified (fake Turnstile)';
      el.appendChild(box);
      issue(id);
      return id;
    },
    reset(id) { issue(id); },
    remove(id) { delete widgets[id]; },
  };
})();
`;

describe('sign-in checks in Chromium', () => {
  let turnstile: FakeTurnstile;
  let smtp: SmtpSink;
  let oidc: FakeOidc;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let root: ManagementClient;
  /** Every request the pages sent to challenges.cloudflare.com (all served by the fake). */
  const cloudflareRequests: string[] = [];
  const pageErrors: string[] = [];

  const setOption = async (key: string, value: string) => {
    const reply = await root.put('/api/option/', { key, value });
    if (reply.status !== 200) throw new Error(`option ${key}: ${JSON.stringify(reply.body)}`);
  };

  beforeAll(async () => {
    turnstile = await startFakeTurnstile({ secret: SECRET, accept: (token) => token.startsWith(`fake-${SITE_KEY}-`) });
    smtp = await startSmtpSink();
    oidc = await startFakeOidc({ sub: OIDC_SUB, name: 'No Password', email: 'nopassword@example.com' });
    api = await startApi({ env: { TURNSTILE_VERIFY_URL: turnstile.verifyUrl } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    web = await startWeb(api.baseUrl);
    await setOption('ServerAddress', web.baseUrl);
    await setOption('SMTPServer', smtp.host);
    await setOption('SMTPPort', String(smtp.port));
    await setOption('SMTPFrom', 'noreply@example.com');
    await setOption('oidc.client_id', 'browser-oidc');
    await setOption('oidc.client_secret', 'browser-oidc-secret');
    await setOption('oidc.well_known', `${oidc.baseUrl}/.well-known/openid-configuration`);
    await setOption('oidc.display_name', 'Company SSO');
    await setOption('oidc.enabled', 'true');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    context.setDefaultTimeout(STEP_TIMEOUT);
    // Nothing is fetched from the internet: the widget script is the fake above, anything else there fails.
    await context.route('https://challenges.cloudflare.com/**', (route) => {
      const url = route.request().url();
      cloudflareRequests.push(url);
      if (new URL(url).pathname === '/turnstile/v0/api.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: FAKE_WIDGET });
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await oidc?.close();
    await smtp?.close();
    await turnstile?.close();
  });

  it('does not load Turnstile while the check is off', async () => {
    await page.goto('/login');
    await page.locator('#login-form').waitFor();
    await page.goto('/register');
    await page.locator('#register-form').waitFor();
    expect(await page.getByTestId('turnstile').count()).toBe(0);
    expect(cloudflareRequests).toEqual([]);
  });

  describe('with TurnstileCheckEnabled', () => {
    beforeAll(async () => {
      await setOption('TurnstileSiteKey', SITE_KEY);
      await setOption('TurnstileSecretKey', SECRET);
      await setOption('TurnstileCheckEnabled', 'true');
    });

    afterAll(async () => {
      await setOption('TurnstileCheckEnabled', 'false');
    });

    it('registers through the widget, sending its token as ?turnstile=', async () => {
      await page.goto('/register');
      await page.locator('[data-testid="fake-turnstile"]').waitFor();
      expect(await page.locator('[data-testid="fake-turnstile"]').getAttribute('data-sitekey')).toBe(SITE_KEY);
      expect(cloudflareRequests.some((url) => url.startsWith('https://challenges.cloudflare.com/turnstile/v0/api.js'))).toBe(true);
      await page.locator('[data-testid="turnstile"][data-state="ready"]').waitFor();
      await page.locator('#reg-username').fill('widgetuser');
      await page.locator('#reg-password').fill('widget-pass-1');
      await page.locator('#reg-confirm').fill('widget-pass-1');
      const sent = page.waitForRequest((request: Request) => new URL(request.url()).pathname === '/api/user/register');
      const before = turnstile.requests.length;
      await saveScreenshot(page, 'register-turnstile-desktop');
      await page.locator('#register-form button[type="submit"]').click();
      const token = new URL((await sent).url()).searchParams.get('turnstile') ?? '';
      expect(token).toMatch(new RegExp(`^fake-${SITE_KEY}-\\d+$`));
      await page.waitForURL('**/login?registered=*');
      expect(turnstile.requests.slice(before).map((r) => r.response)).toEqual([token]);
      expect(await api.database.query('SELECT id FROM users WHERE username = ?', ['widgetuser'])).toHaveLength(1);
    });

    it('signs in through the widget; a second try after a failure gets a fresh token', async () => {
      await page.goto('/login');
      await page.locator('[data-testid="fake-turnstile"]').waitFor();
      await page.locator('#username').fill('widgetuser');
      await page.locator('#password').fill('wrong-password');
      const tokens: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/user/login') tokens.push(url.searchParams.get('turnstile') ?? '');
      });
      await page.locator('[data-testid="turnstile"][data-state="ready"]').waitFor();
      await page.locator('#login-form button[type="submit"]').click();
      await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
      await page.locator('#password').fill('widget-pass-1');
      // The widget was reset after the first try: wait for its next token before submitting.
      await page.locator('[data-testid="turnstile"][data-state="ready"]').waitFor();
      await page.locator('#login-form button[type="submit"]').click();
      await page.waitForURL('**/console');
      expect(tokens).toHaveLength(2);
      expect(tokens[0]).not.toBe(tokens[1]);
      expect(pageErrors).toEqual([]);
    });

    it('sends the reset mail through the widget', async () => {
      await page.context().clearCookies();
      await page.goto('/reset');
      await page.locator('[data-testid="fake-turnstile"]').waitFor();
      await page.locator('[data-testid="turnstile"][data-state="ready"]').waitFor();
      await page.locator('#reset-email').fill('nobody@example.com');
      const sent = page.waitForRequest((request: Request) => new URL(request.url()).pathname === '/api/reset_password');
      await page.locator('#reset-form button[type="submit"]').click();
      expect(new URL((await sent).url()).searchParams.get('turnstile')).toMatch(/^fake-/);
      await page.getByTestId('reset-sent').waitFor();
    });
  });

  it('lets a user created by OIDC set a first password on the profile page, then sign in with it', async () => {
    await page.context().clearCookies();
    await page.goto('/login');
    await page.locator('[data-provider="oidc"]').click();
    await page.waitForURL('**/console**');
    await page.goto('/console/profile');
    const form = page.getByTestId('password-form');
    await form.getByRole('heading', { name: 'Set a password' }).waitFor();
    expect(await page.locator('#profile-original').count()).toBe(0);
    await saveScreenshot(page, 'profile-set-password-desktop');
    await page.locator('#profile-password').fill('oidc-pass-123');
    await form.getByRole('button', { name: 'Set a password' }).click();
    await form.getByText('Password set.').waitFor();
    // Now it has one: the form asks for the current password.
    await form.getByRole('heading', { name: 'Change password' }).waitFor();
    await page.locator('#profile-original').waitFor();

    const rows = await api.database.query<{ username: string }>('SELECT username FROM users WHERE oidc_id = ?', [OIDC_SUB]);
    expect(rows).toHaveLength(1);
    const login = await new ManagementClient(api.baseUrl).login(rows[0].username, 'oidc-pass-123');
    expect(login.body.success).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
