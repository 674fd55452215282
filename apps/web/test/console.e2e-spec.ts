/**
 * The console in real Chromium (playwright-core + Debian's /usr/bin/chromium): the built API on a
 * temp SQLite database, the built web app in front of it, and a fake OpenAI upstream. One user
 * journey, step by step: sign in as root, add a channel to the fake through the channels page,
 * create an API key, chat in the playground (session, no key) with a streamed answer, find the log row, watch the
 * dashboard numbers move, find the model on the pricing page, switch language, and use the
 * console at phone width. Screenshots of the main pages land in test-artifacts/screenshots/.
 *
 * Needs `npm run build` (API and web) first.
 */
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startFakeOpenAi, type FakeOpenAi } from '@your-api/testing';
import { DESKTOP, horizontalOverflow, launchChromium, PHONE, saveScreenshot, STEP_TIMEOUT } from './browser';
import { startApi, type RunningApi } from '../../api/test/harness';
import { ManagementClient } from '../../api/test/management-client';
import { startWeb, type RunningWeb } from './web-server';

const MODEL = 'gpt-4o-mini';
const REPLY = 'Streaming works: this answer arrives from the fake upstream in small pieces.';
/** quota_data rows of root: [model, hours ago, quota, tokens, calls]. */
const SEEDED_USAGE: Array<[string, number, number, number, number]> = [
  ['gpt-4o', 50, 250_000, 12_000, 3],
  ['gpt-4o-mini', 50, 40_000, 30_000, 5],
  ['gpt-4o', 26, 120_000, 6_000, 2],
  ['claude-3-5-haiku', 2, 90_000, 9_000, 4],
];

describe('web console in Chromium', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let fake: FakeOpenAi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let root: ManagementClient;
  let tokenKey = '';
  const before = { used: '', requests: '' };
  let walletBeforeChat = 0;
  const consoleErrors: string[] = [];

  const text = async (target: Page, testId: string) => ((await target.getByTestId(testId).first().textContent()) ?? '').trim();
  /**
   * How far the page is wider than the viewport (0: nothing sticks out sideways), and which
   * elements stick out, to make a failure readable.
   */

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    // Earlier usage for the chart (the API writes its hourly rollup every few minutes, too late here).
    const hour = Math.floor(Date.now() / 3_600_000) * 3600;
    for (const [model, hoursAgo, quota, tokens, count] of SEEDED_USAGE) {
      await api.database.query('INSERT INTO quota_data (user_id, username, model_name, created_at, token_used, count, quota) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        1,
        'root',
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
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.baseUrl });
    context.setDefaultTimeout(STEP_TIMEOUT);
    page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await fake?.close();
  });

  it('signs in as root and lands on the dashboard', async () => {
    await page.goto('/login');
    await page.locator('#username').fill('root');
    await page.locator('#password').fill('123456');
    await page.locator('#login-form button[type="submit"]').click();
    await page.waitForURL('**/console');
    await page.getByTestId('stat-balance').waitFor();
    expect(await text(page, 'current-user')).toMatch(/root/i);
    // The admin section of the sidebar is there for root.
    expect(await page.getByTestId('nav-channels').isVisible()).toBe(true);
    before.used = await text(page, 'stat-used-quota');
    before.requests = await text(page, 'stat-request-count');
    expect(before.requests).toBe('0');
    // The usage chart: one stacked bar per model and day, and the period totals beside it.
    await page.getByTestId('usage-chart').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.getByTestId('usage-chart').locator('.recharts-bar-rectangle').count()).toBe(SEEDED_USAGE.length);
    expect(await text(page, 'usage-chart')).toEqual(expect.stringContaining('claude-3-5-haiku'));
    expect(await text(page, 'stat-period-count')).toBe(String(SEEDED_USAGE.reduce((sum, row) => sum + row[4], 0)));
    expect(await text(page, 'stat-period-tokens')).toBe(SEEDED_USAGE.reduce((sum, row) => sum + row[3], 0).toLocaleString('en-US'));
    await saveScreenshot(page, 'dashboard-desktop');
  });

  it('adds a channel pointing at the fake upstream on the channels page', async () => {
    await page.getByTestId('nav-channels').click();
    await page.waitForURL('**/console/channels');
    await page.getByTestId('channel-create').click();
    await page.locator('#channel-type').selectOption('1');
    await page.locator('#channel-name').fill('fake upstream');
    await page.locator('#channel-base-url').fill(fake.url);
    await page.locator('#channel-key').fill('sk-upstream-secret');
    await page.locator('#channel-models').fill(MODEL);
    // The model mapping is checked as you type.
    await page.locator('#channel-mapping').fill('{"gpt-4o-mini": 42');
    await page.getByTestId('mapping-error').waitFor();
    await page.locator('#channel-mapping').fill('');
    expect(await page.getByTestId('mapping-error').count()).toBe(0);
    await page.getByTestId('channel-submit').click();

    const row = page.locator('[data-testid="channel-row"][data-channel-name="fake upstream"]');
    await row.waitFor();
    expect(await row.getByTestId('channel-status').textContent()).toBe('Enabled');
    const list = await root.get<{ items: Array<{ name: string; base_url: string; models: string; type: number }> }>('/api/channel/?p=1&page_size=10');
    expect(list.body.data?.items).toEqual([expect.objectContaining({ name: 'fake upstream', base_url: fake.url, models: MODEL, type: 1 })]);
    await saveScreenshot(page, 'channels-desktop');
  });

  it('creates an API key on the tokens page and copies it', async () => {
    await page.getByTestId('nav-tokens').click();
    await page.waitForURL('**/console/tokens');
    await page.getByTestId('token-create').click();
    await page.locator('#token-name').fill('browser key');
    await page.getByTestId('token-submit').click();

    const row = page.locator('[data-testid="token-row"][data-token-name="browser key"]');
    await row.waitFor();
    const masked = (await row.getByTestId('token-key').textContent()) ?? '';
    expect(masked).toMatch(/^sk-.+…/);
    await row.getByTestId('token-reveal').click();
    tokenKey = ((await row.getByTestId('token-key').textContent()) ?? '').trim();
    expect(tokenKey).toMatch(/^sk-[A-Za-z0-9]{20,}$/);
    await row.getByTestId('token-copy').click();
    await row.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tokenKey);
    await saveScreenshot(page, 'tokens-desktop');
  });

  it('chats in the playground and shows the reply while it streams', async () => {
    fake.behave({ reply: REPLY, chunkSize: 6, chunkDelayMs: 120, usage: true, promptTokens: 12, completionTokens: 18 });
    await page.getByTestId('nav-playground').click();
    await page.waitForURL('**/console/playground');
    await page.locator(`#pg-model option[value="${MODEL}"]`).waitFor({ state: 'attached' });
    await page.locator('#pg-model').selectOption(MODEL);
    // No key to pick: the playground chats as the logged-in user, in a usable group.
    expect(await page.locator('#pg-token').count()).toBe(0);
    await page.locator('#pg-group option[value="default"]').waitFor({ state: 'attached' });
    await page.locator('#pg-group').selectOption('default');
    walletBeforeChat = (await root.get<{ quota: number }>('/api/user/self')).body.data!.quota;
    await page.getByTestId('chat-input').fill('Say something, slowly.');
    const sent = page.waitForRequest((request) => request.url().endsWith('/pg/chat/completions'));
    await page.getByTestId('chat-send').click();
    const browserRequest = await sent;
    expect(browserRequest.method()).toBe('POST');
    expect(await browserRequest.headerValue('authorization')).toBeNull();
    expect(browserRequest.postDataJSON()).toMatchObject({ model: MODEL, group: 'default', stream: true });

    await page.getByTestId('chat-user').waitFor();
    // Part of the answer is on screen before the rest has arrived.
    const partial = await page.waitForFunction(
      (full) => {
        const bubble = document.querySelector('[data-testid="chat-assistant"]');
        const shown = bubble?.textContent?.replace(/^Assistant/, '') ?? '';
        return shown.length > 0 && shown !== '…' && shown.length < full.length ? shown : null;
      },
      REPLY,
    );
    const partialText = (await partial.jsonValue()) as string;
    expect(REPLY.startsWith(partialText)).toBe(true);
    await page.waitForFunction((full) => document.querySelector('[data-testid="chat-assistant"]')?.textContent?.endsWith(full) ?? false, REPLY);

    const upstream = fake.requests.at(-1)!;
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toMatchObject({ model: MODEL, stream: true });
    expect(upstream.body).not.toHaveProperty('group');
    expect(upstream.headers.authorization).toBe('Bearer sk-upstream-secret');
    // The debug view shows the body that was sent and the raw stream.
    await page.getByTestId('pg-debug').locator('summary').click();
    expect(JSON.parse((await page.getByTestId('pg-debug-request').textContent()) ?? '{}')).toMatchObject({ model: MODEL, group: 'default', stream: true });
    expect(await page.getByTestId('pg-debug-response').textContent()).toContain('[DONE]');
    await saveScreenshot(page, 'playground-desktop');
    // The API key was not used: the wallet paid alone.
    const keys = await root.get<{ items: Array<{ name: string; used_quota: number }> }>('/api/token/?p=1&page_size=10');
    expect(keys.body.data?.items.find((t) => t.name === 'browser key')?.used_quota).toBe(0);
  });

  it('shows the consume log row of that chat on the logs page', async () => {
    await page.getByTestId('nav-logs').click();
    await page.waitForURL('**/console/logs');
    const row = page.locator(`[data-testid="log-row"][data-log-type="2"][data-model="${MODEL}"]`);
    const deadline = Date.now() + STEP_TIMEOUT;
    // Logs are written just behind the response: refresh until the row is there.
    while ((await row.count()) === 0 && Date.now() < deadline) {
      await page.waitForTimeout(300);
      await page.locator('[data-testid="log-filters"] button[type="submit"]').click();
    }
    await row.first().waitFor();
    const cells = await row.first().locator('td').allTextContents();
    // Playground rows carry no token (token_id 0) and New API's name for them.
    expect(cells).toEqual(expect.arrayContaining(['playground-default', 'Consume', MODEL, '12', '18', 'Yes']));
    const logs = await root.get<{ items: Array<{ token_id: number; token_name: string; quota: number }> }>('/api/log/?p=1&page_size=10&type=2');
    expect(logs.body.data?.items).toEqual([expect.objectContaining({ token_id: 0, token_name: 'playground-default' })]);
    const wallet = await root.get<{ quota: number; used_quota: number }>('/api/user/self');
    expect(walletBeforeChat - wallet.body.data!.quota).toBe(logs.body.data!.items[0].quota);
    expect(logs.body.data!.items[0].quota).toBeGreaterThan(0);
    // Filtering by another model hides it.
    await page.locator('#log-model').fill('no-such-model');
    await page.locator('[data-testid="log-filters"] button[type="submit"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length === 0);
    await page.locator('#log-model').fill(MODEL);
    await page.locator('[data-testid="log-filters"] button[type="submit"]').click();
    await row.first().waitFor();
    await saveScreenshot(page, 'logs-desktop');
  });

  it('shows the request on the dashboard', async () => {
    await page.getByTestId('nav-dashboard').click();
    await page.waitForURL('**/console');
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-request-count"]')?.textContent === '1');
    expect(await text(page, 'stat-used-quota')).not.toBe(before.used);
    const self = await root.get<{ used_quota: number; request_count: number }>('/api/user/self');
    expect(self.body.data?.request_count).toBe(1);
    expect(self.body.data?.used_quota).toBeGreaterThan(0);
    await saveScreenshot(page, 'dashboard-after-chat-desktop');
  });

  it('chats without streaming and with a custom request body in the playground', async () => {
    fake.behave({ reply: 'A whole answer at once.', usage: true, promptTokens: 5, completionTokens: 6 });
    await page.getByTestId('nav-playground').click();
    await page.waitForURL('**/console/playground');
    await page.locator(`#pg-model option[value="${MODEL}"]`).waitFor({ state: 'attached' });
    await page.getByTestId('pg-stream').uncheck();
    await page.getByTestId('chat-input').fill('No stream, please.');
    await page.getByTestId('chat-send').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="chat-assistant"]')?.textContent?.endsWith('A whole answer at once.') ?? false);
    expect(fake.requests.at(-1)!.body).toMatchObject({ model: MODEL, stream: false, messages: [{ role: 'user', content: 'No stream, please.' }] });

    // A custom body is sent as written, with the typed message appended to its messages.
    await page.getByTestId('pg-custom-toggle').check();
    await page.getByTestId('pg-custom-body').fill(JSON.stringify({ model: MODEL, stream: false, max_tokens: 33, messages: [{ role: 'system', content: 'Be brief.' }] }));
    await page.getByTestId('chat-input').fill('Custom body turn.');
    await page.getByTestId('chat-send').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat-assistant"]').length === 2);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="chat-assistant"]')].at(-1)?.textContent?.endsWith('A whole answer at once.') ?? false);
    expect(fake.requests.at(-1)!.body).toEqual({
      model: MODEL,
      stream: false,
      max_tokens: 33,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Custom body turn.' },
      ],
    });
    await page.getByTestId('pg-custom-toggle').uncheck();
    await page.getByTestId('pg-stream').check();
  });

  it('tests the fake channel from the channels page and shows its time', async () => {
    await page.getByTestId('nav-channels').click();
    await page.waitForURL('**/console/channels');
    const row = page.locator('[data-testid="channel-row"][data-channel-name="fake upstream"]');
    await row.getByTestId('channel-test').click();
    await row.locator('[data-testid="channel-test-result"][data-state="ok"]').waitFor();
    expect(await row.getByTestId('channel-test-result').textContent()).toMatch(/^OK · \d+\.\d{2}s$/);
    // The stored response time reaches the table once the list reloads.
    await row.getByTestId('channel-response-time').filter({ hasText: /^\d+\.\d{2}s$/ }).waitFor();
    await saveScreenshot(page, 'channels-tested-desktop');
  });

  it('lists the model with its price on the pricing page', async () => {
    await page.getByTestId('nav-pricing').click();
    await page.waitForURL('**/pricing');
    const row = page.locator(`[data-testid="pricing-row"][data-model="${MODEL}"]`);
    await row.waitFor();
    const pricing = (await (await fetch(`${api.baseUrl}/api/pricing`)).json()) as { data: Array<{ model_name: string; model_ratio: number; completion_ratio: number }> };
    const entry = pricing.data.find((m) => m.model_name === MODEL)!;
    const input = entry.model_ratio * 2;
    expect(await row.getByTestId('price-input').textContent()).toBe(`$${input.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`);
    expect(await row.getByTestId('price-output').textContent()).toBe(
      `$${(input * entry.completion_ratio).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`,
    );
    await page.locator('#pricing-search').fill('no-such-model');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pricing-row"]').length === 0);
    await page.locator('#pricing-search').fill('mini');
    await row.waitFor();
    await saveScreenshot(page, 'pricing-desktop');
  });

  it('manages users and settings as root, and shows the personal pages', async () => {
    await page.goto('/console');
    await page.getByTestId('nav-users').click();
    await page.waitForURL('**/console/users');
    await page.locator('[data-testid="user-row"][data-username="root"]').waitFor();
    await saveScreenshot(page, 'users-desktop');

    await page.getByTestId('nav-settings').click();
    await page.waitForURL('**/console/settings');
    await page.locator('#option-SystemName').waitFor();
    await page.waitForFunction(() => (document.querySelector('#option-SystemName') as HTMLInputElement | null)?.value !== '');
    await page.locator('#option-SystemName').fill('Browser Gateway');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const status = (await (await fetch(`${api.baseUrl}/api/status`)).json()) as { data: { system_name: string } };
    expect(status.data.system_name).toBe('Browser Gateway');
    // A JSON editor refuses what is not a JSON object, before anything is sent.
    await page.getByRole('tab', { name: 'Pricing ratios' }).click();
    const ratio = page.locator('#option-ModelRatio');
    const original = await ratio.inputValue();
    expect(JSON.parse(original)).toMatchObject({ [MODEL]: expect.any(Number) });
    await ratio.fill('{"gpt-4o": ');
    await page.getByRole('button', { name: 'Save changes' }).last().click();
    await page.getByRole('status').filter({ hasText: 'not a valid JSON object' }).waitFor();
    await saveScreenshot(page, 'settings-desktop');
    await ratio.fill(original);

    await page.getByTestId('nav-wallet').click();
    await page.waitForURL('**/console/wallet');
    expect(await page.getByTestId('invite-link').textContent()).toMatch(new RegExp(`^${web.baseUrl}/register\\?aff=\\w+$`));
    await saveScreenshot(page, 'wallet-desktop');
    await page.getByTestId('nav-profile').click();
    await page.waitForURL('**/console/profile');
    await page.getByRole('button', { name: 'Generate a new token' }).click();
    expect(((await page.getByTestId('access-token').textContent()) ?? '').length).toBeGreaterThanOrEqual(20);
    await saveScreenshot(page, 'profile-desktop');

    await page.getByTestId('nav-docs').click();
    await page.waitForURL('**/docs');
    await page.waitForFunction((base) => document.querySelector('[data-testid="docs-base-url"]')?.textContent === base, web.baseUrl);
    expect(await page.getByTestId('example-curl').textContent()).toContain(`curl ${web.baseUrl}/v1/chat/completions`);
    expect(await page.getByTestId('example-anthropic').textContent()).toContain(`baseURL: '${web.baseUrl}'`);
    await saveScreenshot(page, 'docs-desktop');
  });

  it('switches the console between English and Chinese', async () => {
    await page.goto('/console');
    await page.getByTestId('stat-balance').waitFor();
    const switcher = page.locator('select[aria-label="Language"]');
    await switcher.selectOption('zh');
    await page.getByTestId('nav-dashboard').filter({ hasText: '数据看板' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('h1').first().textContent()).toBe('数据看板');
    await saveScreenshot(page, 'dashboard-zh-desktop');
    // The choice is kept (cookie) across a reload.
    await page.reload();
    await page.getByTestId('nav-tokens').filter({ hasText: 'API 令牌' }).waitFor();
    await page.locator('select[aria-label="语言"]').selectOption('en');
    await page.getByTestId('nav-dashboard').filter({ hasText: 'Dashboard' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('renders the console at phone width without sideways overflow', async () => {
    const phone = await browser.newContext({ viewport: PHONE, locale: 'en-US', baseURL: web.baseUrl, storageState: await context.storageState(), isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(STEP_TIMEOUT);
    const mobile = await phone.newPage();
    mobile.on('pageerror', (error) => consoleErrors.push(error.message));
    try {
      const pages: Array<[string, string, string]> = [
        ['/console', 'stat-balance', 'dashboard'],
        ['/console/tokens', 'tokens-table', 'tokens'],
        ['/console/logs', 'logs-table', 'logs'],
        ['/console/playground', 'chat-input', 'playground'],
        ['/console/channels', 'channels-table', 'channels'],
        ['/console/users', 'users-table', 'users'],
        ['/console/settings', 'settings-tabs', 'settings'],
        ['/console/wallet', 'invite-link', 'wallet'],
        ['/pricing', 'pricing-table', 'pricing'],
        ['/docs', 'example-curl', 'docs'],
      ];
      for (const [url, ready, name] of pages) {
        await mobile.goto(url);
        await mobile.getByTestId(ready).waitFor();
        expect({ page: name, overflow: await horizontalOverflow(mobile) }).toEqual({ page: name, overflow: 0 });
        await saveScreenshot(mobile, `${name}-phone`);
      }
      // The sidebar folds into a drawer behind the menu button.
      await mobile.goto('/console');
      await mobile.getByTestId('stat-balance').waitFor();
      expect(await mobile.getByTestId('sidebar').isVisible()).toBe(false);
      await mobile.getByTestId('menu-button').click();
      const drawer = mobile.getByTestId('nav-drawer');
      await drawer.waitFor();
      await saveScreenshot(mobile, 'nav-drawer-phone');
      await drawer.getByTestId('nav-tokens').click();
      await mobile.waitForURL('**/console/tokens');
      await drawer.waitFor({ state: 'detached' });
      expect(await horizontalOverflow(mobile)).toBe(0);
    } finally {
      await phone.close();
    }
  });

  it('raised no uncaught error in the pages', () => {
    expect(consoleErrors).toEqual([]);
  });
});
