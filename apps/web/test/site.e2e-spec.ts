/**
 * The public site and the second round of console features in real Chromium, against the built API
 * on a temp SQLite database: the configured home page (Markdown content, announcements, model
 * vendors, header links), registering with an invite code and signing in as the new user, the
 * first-run setup page, /chat2link, the dashboard's call pie, granularity and username filter, and
 * batch and tag operations on the channels page. Screenshots at desktop and phone width land in
 * test-artifacts/screenshots/.
 *
 * Needs `npm run build` (API and web) first.
 */
import { createHash, createHmac } from 'node:crypto';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DESKTOP, horizontalOverflow, launchChromium, PHONE, saveScreenshot, STEP_TIMEOUT } from './browser';
import { startApi, type RunningApi } from '../../api/test/harness';
import { ManagementClient } from '../../api/test/management-client';
import { startWeb, type RunningWeb } from './web-server';

const HOME_CONTENT = '# Welcome to the test gateway\n\nRoutes **every** model through one endpoint.';
const ANNOUNCEMENT = 'Maintenance **tonight** at 22:00 UTC';
/** quota_data rows: [username, user id, model, hours ago, quota, tokens, calls]. */
const SEEDED_USAGE: Array<[string, number, string, number, number, number, number]> = [
  ['root', 1, 'gpt-4o', 3, 100_000, 5_000, 3],
  ['root', 1, 'gpt-4o-mini', 2, 20_000, 9_000, 5],
  ['someone', 99, 'claude-3-5-haiku', 1, 50_000, 4_000, 7],
];

interface ChannelRow {
  id: number;
  name: string;
  status: number;
  tag: string | null;
}

describe('public site and console extras in Chromium', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let root: ManagementClient;
  const channelIds: Record<string, number> = {};
  const pageErrors: string[] = [];

  const channel = async (id: number) => (await root.get<ChannelRow>(`/api/channel/${id}`)).body.data!;
  const setOption = async (key: string, value: string) => {
    const reply = await root.put('/api/option/', { key, value });
    if (reply.status !== 200) throw new Error(`option ${key}: ${JSON.stringify(reply.body)}`);
  };

  beforeAll(async () => {
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await setOption('HomePageContent', HOME_CONTENT);
    await setOption('console_setting.announcements', JSON.stringify([{ id: 1, content: ANNOUNCEMENT, publishDate: '2025-03-01T00:00:00Z', type: 'warning', extra: '' }]));
    await setOption('HeaderNavModules', JSON.stringify({ docs: false, pricing: { enabled: true, requireAuth: false } }));
    for (const [name, models, extra] of [
      ['alpha', 'gpt-4o-mini', {}],
      ['beta', 'gpt-4o', {}],
      ['claude channel', 'claude-3-5-haiku', { type: 14 }],
      ['pool', 'gpt-4o-mini', { key: 'k1\nk2\nk3', mode: 'multi_to_single', multi_key_mode: 'polling' }],
    ] as Array<[string, string, Record<string, unknown>]>) {
      const created = await root.post<ChannelRow[]>('/api/channel/', { type: 1, name, key: `sk-${name.replace(/\W/g, '')}`, models, group: 'default', base_url: 'http://127.0.0.1:9', ...extra });
      if (created.status !== 200) throw new Error(`channel ${name}: ${JSON.stringify(created.body)}`);
      channelIds[name] = created.body.data![0]!.id;
    }
    const token = await root.post('/api/token/', { name: 'chat key', remain_quota: 0, unlimited_quota: true, expired_time: -1 });
    if (token.status !== 200) throw new Error(`token: ${JSON.stringify(token.body)}`);
    const hour = Math.floor(Date.now() / 3_600_000) * 3600;
    for (const [username, userId, model, hoursAgo, quota, tokens, count] of SEEDED_USAGE) {
      await api.database.query('INSERT INTO quota_data (user_id, username, model_name, created_at, token_used, count, quota) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        userId,
        username,
        model,
        hour - hoursAgo * 3600,
        tokens,
        count,
        quota,
      ]);
    }
    web = await startWeb(api.baseUrl);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    context.setDefaultTimeout(STEP_TIMEOUT);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  it('shows the configured home page: Markdown content, the announcement, vendors and header links', async () => {
    await page.goto('/');
    const content = page.getByTestId('home-content');
    expect(await content.locator('h1').textContent()).toBe('Welcome to the test gateway');
    expect(await content.locator('strong').textContent()).toBe('every');
    const announcement = page.getByTestId('announcement');
    expect(await announcement.count()).toBe(1);
    expect(await announcement.textContent()).toContain('Maintenance tonight at 22:00 UTC');
    expect(await announcement.locator('strong').textContent()).toBe('tonight');
    // Vendors come from /api/pricing owner_by: the OpenAI channels and the Claude one.
    const vendors = await page.getByTestId('vendor').evaluateAll((els) => els.map((el) => el.getAttribute('data-vendor')));
    const pricing = (await (await fetch(`${api.baseUrl}/api/pricing`)).json()) as { data: Array<{ owner_by: string }> };
    expect(vendors.sort()).toEqual([...new Set(pricing.data.map((m) => m.owner_by))].filter(Boolean).sort());
    expect(vendors.length).toBe(2);
    // HeaderNavModules turned the docs link off and left pricing on.
    expect(await page.locator('header [data-nav="/docs"]').count()).toBe(0);
    expect(await page.locator('header [data-nav="/pricing"]').count()).toBe(1);
    await saveScreenshot(page, 'home-desktop');
  });

  it('registers a user through an invite link, who then signs in', async () => {
    const aff = (await root.get<string>('/api/user/aff')).body.data!;
    const guest = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    guest.setDefaultTimeout(STEP_TIMEOUT);
    const visitor = await guest.newPage();
    visitor.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await visitor.goto(`/register?aff=${aff}`);
      expect(await visitor.locator('#reg-aff').inputValue()).toBe(aff);
      await visitor.locator('#reg-username').fill('newcomer');
      await visitor.locator('#reg-password').fill('newcomer-pass');
      await visitor.locator('#reg-confirm').fill('something-else');
      await visitor.locator('#register-form button[type="submit"]').click();
      await visitor.getByRole('alert').filter({ hasText: 'The two passwords differ.' }).waitFor();
      await visitor.locator('#reg-confirm').fill('newcomer-pass');
      await saveScreenshot(visitor, 'register-desktop');
      await visitor.locator('#register-form button[type="submit"]').click();
      await visitor.waitForURL('**/login?registered=newcomer');
      await visitor.getByTestId('registered-notice').waitFor();
      expect(await visitor.locator('#username').inputValue()).toBe('newcomer');
      await visitor.locator('#password').fill('newcomer-pass');
      await visitor.locator('#login-form button[type="submit"]').click();
      await visitor.waitForURL('**/console');
      await visitor.getByTestId('current-user').filter({ hasText: 'newcomer' }).waitFor();
      // Not an admin: no admin section in the sidebar.
      expect(await visitor.getByTestId('nav-channels').count()).toBe(0);
    } finally {
      await guest.close();
    }
    const found = await root.get<{ items: Array<{ username: string; inviter_id: number }> }>('/api/user/search?keyword=newcomer');
    expect(found.body.data?.items).toEqual([expect.objectContaining({ username: 'newcomer', inviter_id: 1 })]);
  });

  it('signs in with Telegram through the widget callback', async () => {
    const botToken = '424242:site-test-bot-token';
    await setOption('TelegramBotToken', botToken);
    await setOption('TelegramBotName', 'your_api_bot');
    await setOption('TelegramOAuthEnabled', 'true');
    // Fields as Telegram's widget signs them: HMAC-SHA256 over the sorted data-check-string, keyed by SHA-256(bot token).
    const signed = (fields: Record<string, string>) => {
      const check = Object.keys(fields)
        .sort()
        .map((key) => `${key}=${fields[key]}`)
        .join('\n');
      return { ...fields, hash: createHmac('sha256', createHash('sha256').update(botToken).digest()).update(check).digest('hex') };
    };
    const account = { id: '770001', first_name: 'Root', username: 'root_tg' };
    const bound = await root.get<unknown>(`/api/oauth/telegram/bind?${new URLSearchParams(signed({ ...account, auth_date: String(Math.floor(Date.now() / 1000)) }))}`);
    expect(bound.body.success).toBe(true);
    const guest = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    guest.setDefaultTimeout(STEP_TIMEOUT);
    const visitor = await guest.newPage();
    visitor.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      // The widget script comes from telegram.org, unreachable here: the test plays the widget and calls the page's callback.
      await visitor.route('https://telegram.org/**', (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body: '' }));
      await visitor.goto('/login');
      await visitor.getByTestId('telegram-login').waitFor({ state: 'attached' });
      await visitor.waitForFunction(() => typeof (window as unknown as { onTelegramAuth?: unknown }).onTelegramAuth === 'function');
      const fields = signed({ ...account, auth_date: String(Math.floor(Date.now() / 1000)) });
      await visitor.evaluate((data) => (window as unknown as { onTelegramAuth: (user: Record<string, string>) => void }).onTelegramAuth(data), fields);
      await visitor.waitForURL('**/console');
      await visitor.getByTestId('current-user').filter({ hasText: 'Root' }).waitFor();
    } finally {
      await guest.close();
      await setOption('TelegramOAuthEnabled', 'false');
    }
  });

  it('shows the setup page as done once the root user exists', async () => {
    await page.goto('/setup');
    await page.getByTestId('setup-done').waitFor();
    expect(await page.getByTestId('setup-done').textContent()).toContain('already set up');
    expect(await page.locator('#setup-form').count()).toBe(0);
    await saveScreenshot(page, 'setup-desktop');
  });

  it('opens the playground (which needs no key) from /chat2link when no chat link is set', async () => {
    await page.goto('/login');
    await page.locator('#username').fill('root');
    await page.locator('#password').fill('123456');
    await page.locator('#login-form button[type="submit"]').click();
    await page.waitForURL('**/console');
    await page.goto('/chat2link');
    await page.waitForURL(/\/console\/playground$/);
    // The playground chats as the user: a group selector (default: the user's own), no key selector.
    await page.locator('#pg-group option[value="vip"]').waitFor({ state: 'attached' });
    expect(await page.locator('#pg-group').inputValue()).toBe('');
    expect(await page.locator('#pg-token').count()).toBe(0);
    await page.getByTestId('chat-input').waitFor();
    await saveScreenshot(page, 'chat2link-playground-desktop');
  });

  it('breaks usage down by model, granularity and user on the dashboard', async () => {
    await page.goto('/console');
    const pie = page.getByTestId('calls-pie');
    await pie.locator('.recharts-pie-sector').first().waitFor();
    // All users for an admin: three models, three sectors, every call counted.
    expect(await pie.locator('.recharts-pie-sector').count()).toBe(3);
    expect(await page.getByTestId('stat-period-count').textContent()).toBe('15');
    const bars = page.getByTestId('usage-chart').locator('.recharts-bar-rectangle');
    await page.locator('#dashboard-granularity').selectOption('hour');
    // One bar per model and hour: the three rows sit in three different hours.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="usage-chart"] .recharts-bar-rectangle').length === 3);
    expect(await bars.count()).toBe(3);
    await page.locator('#dashboard-username').fill('root');
    await page.getByTestId('dashboard-user-filter').locator('button[type="submit"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-period-count"]')?.textContent === '8');
    expect(await pie.locator('.recharts-pie-sector').count()).toBe(2);
    expect(await page.getByTestId('calls-pie').textContent()).not.toContain('claude-3-5-haiku');
    await saveScreenshot(page, 'dashboard-breakdown-desktop');
  });

  it('disables, tags and re-enables selected channels, and shows multi-key mode', async () => {
    await page.goto('/console/channels');
    await page.getByTestId('channel-health-tools').waitFor();
    const row = (name: string) => page.locator(`[data-testid="channel-row"][data-channel-name="${name}"]`);
    await row('alpha').waitFor();
    expect(await row('pool').getByTestId('channel-multi-key').textContent()).toBe('3 keys · Round robin');

    await row('alpha').getByTestId('channel-select').check();
    await row('beta').getByTestId('channel-select').check();
    expect(await page.getByTestId('batch-bar').textContent()).toContain('2 selected');
    await page.getByTestId('batch-disable').click();
    await row('alpha').getByTestId('channel-status').filter({ hasText: 'Disabled' }).waitFor();
    await row('beta').getByTestId('channel-status').filter({ hasText: 'Disabled' }).waitFor();
    expect((await channel(channelIds.alpha!)).status).toBe(2);
    expect((await channel(channelIds.beta!)).status).toBe(2);
    expect((await channel(channelIds.pool!)).status).toBe(1);

    await row('alpha').getByTestId('channel-select').check();
    await row('beta').getByTestId('channel-select').check();
    await page.getByTestId('batch-tag-input').fill('openai-pool');
    await page.getByTestId('batch-tag').click();
    await page.getByTestId('batch-bar').waitFor({ state: 'detached' });
    expect((await channel(channelIds.alpha!)).tag).toBe('openai-pool');

    // Filter by the tag, then enable the whole tag at once.
    await page.locator('#channel-tag-filter').fill('openai-pool');
    await page.locator('form.toolbar button[type="submit"]').first().click();
    await page.getByTestId('tag-tools').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="channel-row"]').length === 2);
    await page.locator('#tag-priority').fill('7');
    await page.getByTestId('tag-save').click();
    await page.getByRole('status').filter({ hasText: 'Updated 2 channels.' }).waitFor();
    expect((await root.get<{ priority: number }>(`/api/channel/${channelIds.beta}`)).body.data?.priority).toBe(7);
    await page.getByTestId('tag-enable').click();
    await row('alpha').getByTestId('channel-status').filter({ hasText: 'Enabled' }).waitFor();
    await row('beta').getByTestId('channel-status').filter({ hasText: 'Enabled' }).waitFor();
    expect((await channel(channelIds.beta!)).status).toBe(1);
    await saveScreenshot(page, 'channels-batch-desktop');
  });

  it('saves GitHub sign-in from the OAuth tab, which /api/status then reports', async () => {
    await page.goto('/console/settings');
    await page.getByRole('tab', { name: 'Sign-in & OAuth' }).click();
    const clientId = page.locator('#option-GitHubClientId');
    await clientId.waitFor();
    expect(await page.getByTestId('callback-github').locator('code').textContent()).toMatch(/^https?:\/\/[^/]+\/oauth\/github$/);
    await clientId.fill('gh-browser-client');
    await page.locator('#option-GitHubClientSecret').fill('gh-browser-secret');
    await page.getByRole('switch', { name: 'Allow sign-in with GitHub' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('settings-report').filter({ hasText: 'Saved.' }).waitFor();
    expect(await page.getByTestId('secret-state-GitHubClientSecret').textContent()).toBe('set');
    expect(await page.locator('#option-GitHubClientSecret').inputValue()).toBe('');
    const status = (await (await fetch(`${api.baseUrl}/api/status`)).json()) as { data: { github_oauth: boolean; github_client_id: string } };
    expect(status.data).toMatchObject({ github_oauth: true, github_client_id: 'gh-browser-client' });
    await saveScreenshot(page, 'settings-oauth-desktop');
  });

  it('refuses an invalid number before sending, then saves RetryTimes from the operation tab', async () => {
    const retryTimes = async () => (await root.get<Array<{ key: string; value: string }>>('/api/option/')).body.data!.find((o) => o.key === 'RetryTimes')?.value;
    await page.goto('/console/settings');
    await page.getByRole('tab', { name: 'Operation' }).click();
    const retries = page.locator('#option-RetryTimes');
    await retries.waitFor();
    await page.waitForFunction(() => (document.querySelector('#option-RetryTimes') as HTMLInputElement | null)?.value !== '');
    const before = await retryTimes();
    await retries.fill('1.5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('settings-report').filter({ hasText: 'Retries on upstream failure: enter a whole number.' }).waitFor();
    expect(await retryTimes()).toBe(before);
    await retries.fill('3');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('settings-report').filter({ hasText: 'Saved.' }).waitFor();
    expect(await retryTimes()).toBe('3');
    await saveScreenshot(page, 'settings-operation-desktop');
  });

  it('links the developer API reference from the docs, listing /v1/messages with the site address', async () => {
    await page.goto('/docs');
    await page.getByTestId('api-docs-link').click();
    await page.waitForURL('**/docs/api');
    const messages = page.getByTestId('api-endpoint').filter({ hasText: '/v1/messages' });
    await messages.waitFor();
    expect(await messages.textContent()).toContain('Claude');
    expect(await page.getByTestId('api-docs-base-url').textContent()).toBe(web.baseUrl);
    await saveScreenshot(page, 'docs-api-desktop');
  });

  it('renders the new pages at phone width without sideways overflow', async () => {
    const phone = await browser.newContext({ viewport: PHONE, locale: 'en-US', baseURL: web.baseUrl, storageState: await context.storageState(), isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(STEP_TIMEOUT);
    const mobile = await phone.newPage();
    mobile.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      const pages: Array<[string, string, string]> = [
        ['/', 'announcements', 'home'],
        ['/register', 'register-form', 'register'],
        ['/setup', 'setup-done', 'setup'],
        ['/console', 'calls-pie', 'dashboard-breakdown'],
        ['/console/channels', 'channel-health-tools', 'channels-batch'],
        ['/console/settings', 'settings-tabs', 'settings-general'],
        ['/docs/api', 'api-endpoints', 'docs-api'],
      ];
      for (const [url, ready, name] of pages) {
        await mobile.goto(url);
        await (ready === 'register-form' ? mobile.locator('#register-form') : mobile.getByTestId(ready)).waitFor();
        expect({ page: name, overflow: await horizontalOverflow(mobile) }).toEqual({ page: name, overflow: 0 });
        await saveScreenshot(mobile, `${name}-phone`);
      }
      await mobile.goto('/console/settings');
      for (const [tab, name] of [
        ['Sign-in & OAuth', 'settings-oauth'],
        ['Operation', 'settings-operation'],
        ['Payment', 'settings-payment'],
      ]) {
        await mobile.getByRole('tab', { name: tab }).click();
        await mobile.getByRole('button', { name: 'Save changes' }).waitFor();
        expect({ page: name, overflow: await horizontalOverflow(mobile) }).toEqual({ page: name, overflow: 0 });
        await saveScreenshot(mobile, `${name}-phone`);
      }
    } finally {
      await phone.close();
    }
  });

  it('raised no uncaught error in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
