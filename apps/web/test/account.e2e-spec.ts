/**
 * Account pages in real Chromium, against the built API and web: registration with a mailed code,
 * the password reset journey through a real SMTP server (the mail is read from it and its link
 * opened), profile bindings (email with a code, OIDC bound through a fake provider found by
 * discovery), the settings page's "secret set / not set", and the per-model pricing page.
 * Screenshots at desktop and phone width land in test-artifacts/screenshots/.
 *
 * Needs `npm run build` (API and web) first.
 */
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '@your-api/testing';
import { DESKTOP, horizontalOverflow, launchChromium, PHONE, saveScreenshot, STEP_TIMEOUT } from './browser';
import { startApi, type RunningApi } from '../../api/test/harness';
import { ManagementClient } from '../../api/test/management-client';
import { startWeb, type RunningWeb } from './web-server';
import { FakeOidc, startFakeOidc } from './fake-oidc';

const USER = { username: 'mailuser', password: 'first-pass-1', email: 'mailuser@example.com' };
const OIDC_SUB = 'oidc-subject-42';

const codeOf = (mail: ReceivedMail) => /verification code is: <strong>([0-9a-f]{6})<\/strong>/.exec(mail.text)?.[1] ?? '';
const linkOf = (mail: ReceivedMail) => (/href="([^"]+)"/.exec(mail.text)?.[1] ?? '').replace(/&#38;/g, '&');

describe('account pages in Chromium', () => {
  let smtp: SmtpSink;
  let oidc: FakeOidc;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let root: ManagementClient;
  let newPassword = '';
  const pageErrors: string[] = [];

  const setOption = async (key: string, value: string) => {
    const reply = await root.put('/api/option/', { key, value });
    if (reply.status !== 200) throw new Error(`option ${key}: ${JSON.stringify(reply.body)}`);
  };

  const signIn = async (username: string, password: string) => {
    await page.goto('/login');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.locator('#login-form button[type="submit"]').click();
    await page.waitForURL('**/console');
  };

  const phoneShot = async (path: string, name: string, ready: (phone: Page) => Promise<void>) => {
    const phoneContext = await browser.newContext({ viewport: PHONE, locale: 'en-US', baseURL: web.baseUrl, storageState: await context.storageState() });
    phoneContext.setDefaultTimeout(STEP_TIMEOUT);
    const phone = await phoneContext.newPage();
    await phone.goto(path);
    await ready(phone);
    expect(await horizontalOverflow(phone)).toBe(0);
    await saveScreenshot(phone, name);
    await phoneContext.close();
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    oidc = await startFakeOidc({ sub: OIDC_SUB, preferred_username: 'mailuser-idp', email: 'idp@example.com' });
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    web = await startWeb(api.baseUrl);
    // The mailed reset link and the OIDC redirect_uri point at the web app.
    await setOption('ServerAddress', web.baseUrl);
    await setOption('SMTPServer', smtp.host);
    await setOption('SMTPPort', String(smtp.port));
    await setOption('SMTPFrom', 'noreply@example.com');
    await setOption('SMTPToken', 'smtp-token-stored');
    await setOption('EmailVerificationEnabled', 'true');
    await setOption('oidc.client_id', 'browser-oidc');
    await setOption('oidc.client_secret', 'browser-oidc-secret');
    await setOption('oidc.well_known', `${oidc.baseUrl}/.well-known/openid-configuration`);
    await setOption('oidc.display_name', 'Company SSO');
    await setOption('oidc.enabled', 'true');
    await setOption('HeaderNavModules', JSON.stringify({ pricing: { enabled: true, requireAuth: false } }));
    await setOption('GroupRatio', JSON.stringify({ default: 1, vip: 2 }));
    const channel = await root.post('/api/channel/', { type: 1, name: 'mini', key: 'sk-mini', models: 'gpt-4o-mini', group: 'default,vip', base_url: 'http://127.0.0.1:9' });
    if (channel.status !== 200) throw new Error(`channel: ${JSON.stringify(channel.body)}`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.baseUrl });
    context.setDefaultTimeout(STEP_TIMEOUT);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await oidc?.close();
    await smtp?.close();
  });

  it('registers with the code mailed to the address', async () => {
    await page.goto('/register');
    await page.locator('#reg-username').fill(USER.username);
    await page.locator('#reg-password').fill(USER.password);
    await page.locator('#reg-confirm').fill(USER.password);
    await page.locator('#reg-email').fill(USER.email);
    const since = smtp.mails.length;
    await page.getByRole('button', { name: 'Send code' }).click();
    const code = codeOf(await smtp.waitForMail(USER.email, { since }));
    expect(code).toMatch(/^[0-9a-f]{6}$/);
    await page.locator('#reg-code').fill(code);
    await saveScreenshot(page, 'register-email-code-desktop');
    await page.locator('#register-form button[type="submit"]').click();
    await page.waitForURL('**/login?registered=*');
    const users = await api.database.query<{ email: string }>('SELECT email FROM users WHERE username = ?', [USER.username]);
    expect(users[0]?.email).toBe(USER.email);
  });

  it('resets a forgotten password through the mailed link, shows the new one with a copy button, and signs in with it', async () => {
    await page.goto('/login');
    await page.getByTestId('forgot-password').click();
    await page.waitForURL('**/reset');
    await page.locator('#reset-email').fill(USER.email);
    const since = smtp.mails.length;
    await page.locator('#reset-form button[type="submit"]').click();
    await page.getByTestId('reset-sent').waitFor();
    await saveScreenshot(page, 'reset-request-desktop');
    await phoneShot('/reset', 'reset-request-phone', (phone) => phone.locator('#reset-email').waitFor());

    const link = linkOf(await smtp.waitForMail(USER.email, { since }));
    expect(link.startsWith(`${web.baseUrl}/user/reset?`)).toBe(true);
    await page.goto(link);
    await page.getByText(`Reset the password of ${USER.email}`).waitFor();
    await page.getByRole('button', { name: 'Reset my password' }).click();
    const shown = page.getByTestId('new-password');
    await shown.waitFor();
    newPassword = await shown.inputValue();
    expect(newPassword).toMatch(/^[a-zA-Z2-9]{12}$/);
    await page.getByTestId('copy-password').click();
    await page.getByTestId('copy-password').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(newPassword);
    await saveScreenshot(page, 'reset-password-shown-desktop');

    // The link works once.
    await page.goto(link);
    await page.getByRole('button', { name: 'Reset my password' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid or has expired' }).waitFor();
    await phoneShot(link, 'reset-confirm-phone', (phone) => phone.getByRole('button', { name: 'Reset my password' }).waitFor());

    expect((await new ManagementClient(api.baseUrl).login(USER.username, USER.password)).body.success).toBe(false);
    await signIn(USER.username, newPassword);
  });

  it('shows bindings on the profile, binds a new email with a code and OIDC through the provider', async () => {
    await page.goto('/console/profile');
    const bindings = page.getByTestId('bindings');
    await bindings.waitFor();
    await page.locator('[data-testid="binding-email"][data-bound="true"]').filter({ hasText: USER.email }).waitFor();
    // OIDC has only a discovery URL: /api/status found the authorization endpoint, so the row shows.
    await page.locator('[data-testid="binding-oidc"][data-bound="false"]').waitFor();
    expect(await page.getByTestId('binding-row-oidc').textContent()).toContain('Company SSO');
    await saveScreenshot(page, 'profile-bindings-desktop');

    const newEmail = 'mailuser-new@example.com';
    await page.locator('#bind-email').fill(newEmail);
    const since = smtp.mails.length;
    await page.getByTestId('bind-send-code').click();
    await page.getByTestId('email-bind-message').filter({ hasText: `A code was sent to ${newEmail}` }).waitFor();
    const code = codeOf(await smtp.waitForMail(newEmail, { since }));
    await page.locator('#bind-code').fill(code);
    await page.getByRole('button', { name: 'Bind email' }).click();
    await page.getByTestId('email-bind-message').filter({ hasText: 'Email bound.' }).waitFor();
    await page.locator('[data-testid="binding-email"][data-bound="true"]').filter({ hasText: newEmail }).waitFor();

    await page.getByTestId('binding-row-oidc').getByRole('button', { name: 'Bind' }).click();
    await page.waitForURL('**/console/profile?bound=oidc');
    await page.locator('[data-testid="binding-oidc"][data-bound="true"]').filter({ hasText: OIDC_SUB }).waitFor();
    await page.getByTestId('provider-bind-message').filter({ hasText: 'oidc is now bound' }).waitFor();
    const stored = await api.database.query<{ email: string; oidc_id: string }>('SELECT email, oidc_id FROM users WHERE username = ?', [USER.username]);
    expect(stored[0]).toEqual({ email: newEmail, oidc_id: OIDC_SUB });
    await phoneShot('/console/profile', 'profile-bindings-phone', (phone) => phone.getByTestId('bindings').waitFor());
  });

  it('shows root which secrets are set, without their values, and takes a replacement', async () => {
    await page.evaluate(() => localStorage.clear());
    await context.clearCookies();
    await signIn('root', '123456');
    await page.goto('/console/settings');
    await page.getByRole('tab', { name: 'Email (SMTP)' }).click();
    await page.locator('[data-testid="secret-state-SMTPToken"][data-state="set"]').waitFor();
    expect(await page.getByTestId('secret-state-SMTPToken').textContent()).toBe('set');
    expect(await page.locator('#option-SMTPToken').inputValue()).toBe('');
    expect(await page.content()).not.toContain('smtp-token-stored');
    await saveScreenshot(page, 'settings-secrets-desktop');
    await page.getByRole('tab', { name: 'Sign-in & OAuth' }).click();
    await page.locator('[data-testid="secret-state-GitHubClientSecret"][data-state="notSet"]').waitFor();
    await page.locator('#option-GitHubClientSecret').fill('gh-new-secret');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[data-testid="secret-state-GitHubClientSecret"][data-state="set"]').waitFor();
    const rows = (await root.get<Array<{ key: string; set: boolean }>>('/api/option/secrets')).body.data!;
    expect(rows.find((row) => row.key === 'GitHubClientSecret')?.set).toBe(true);
  });

  it('opens a model from the marketplace: prices per group, endpoint types and a copyable example', async () => {
    const pricing = (await (await fetch(`${api.baseUrl}/api/pricing`)).json()) as { data: Array<{ model_name: string; model_ratio: number; completion_ratio: number }> };
    const mini = pricing.data.find((row) => row.model_name === 'gpt-4o-mini');
    expect(mini).toMatchObject({ model_ratio: 0.075, completion_ratio: 4 });

    await page.goto('/pricing');
    await page.locator('[data-testid="pricing-row"][data-model="gpt-4o-mini"]').getByTestId('pricing-detail-link').click();
    await page.waitForURL('**/pricing/gpt-4o-mini');
    await page.getByTestId('model-detail').waitFor();
    const row = (group: string) => page.locator(`[data-testid="group-price"][data-group="${group}"]`);
    expect(await row('default').getByTestId('price-input').textContent()).toBe('$0.15');
    expect(await row('default').getByTestId('price-output').textContent()).toBe('$0.60');
    expect(await row('vip').getByTestId('price-input').textContent()).toBe('$0.30');
    expect(await row('vip').getByTestId('price-output').textContent()).toBe('$1.20');
    expect(await page.getByTestId('model-vendor').textContent()).toBe('openai');
    expect(await page.getByTestId('model-endpoints').textContent()).toContain('openai');
    const example = await page.getByTestId('model-example').textContent();
    expect(example).toContain(`curl ${web.baseUrl}/v1/chat/completions`);
    expect(example).toContain('"model": "gpt-4o-mini"');
    await page.getByTestId('copy-example').click();
    await page.getByTestId('copy-example').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(example);
    await saveScreenshot(page, 'pricing-model-desktop');
    await phoneShot('/pricing/gpt-4o-mini', 'pricing-model-phone', (phone) => phone.getByTestId('model-detail').waitFor());

    await page.goto('/pricing/no-such-model');
    await page.getByTestId('model-not-found').waitFor();
  });

  it('threw no errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
