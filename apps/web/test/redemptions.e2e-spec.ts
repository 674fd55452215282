/**
 * Redemption codes in real Chromium, against the built API on a temp SQLite database: root creates
 * a batch on the admin page and copies a code from the dialog that shows the new keys, another user
 * redeems it on the wallet page and sees the amount and the new balance, a second try is refused,
 * and root clears out spent codes. Screenshots at desktop and phone width land in
 * test-artifacts/screenshots/.
 *
 * Needs `npm run build` (API and web) first.
 */
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Page as ListPage, RedemptionView } from '@your-api/contracts';
import { DESKTOP, horizontalOverflow, launchChromium, PHONE, saveScreenshot, STEP_TIMEOUT } from './browser';
import { startApi, type RunningApi } from '../../api/test/harness';
import { ManagementClient } from '../../api/test/management-client';
import { startWeb, type RunningWeb } from './web-server';

const QUOTA_PER_UNIT = 500_000;
const SHOPPER = { username: 'shopper', password: 'shopper-pass-1' };

describe('redemption codes in Chromium', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let adminContext: BrowserContext;
  let shopperContext: BrowserContext;
  let admin: Page;
  let shopper: Page;
  let root: ManagementClient;
  let shopperId = 0;
  let copiedKey = '';
  const pageErrors: string[] = [];

  const signIn = async (target: Page, username: string, password: string) => {
    await target.goto('/login');
    await target.locator('#username').fill(username);
    await target.locator('#password').fill(password);
    await target.locator('#login-form button[type="submit"]').click();
    await target.waitForURL('**/console');
  };
  const codes = async () => (await root.get<ListPage<RedemptionView>>('/api/redemption/?p=1&page_size=100')).body.data!.items;
  const quotaOfShopper = async () => (await root.get<{ quota: number }>(`/api/user/${shopperId}`)).body.data!.quota;

  beforeAll(async () => {
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const created = await root.post('/api/user/', { ...SHOPPER, display_name: 'Shopper' });
    expect(created.body.success).toBe(true);
    shopperId = (await root.get<ListPage<{ id: number; username: string }>>('/api/user/search?keyword=shopper')).body.data!.items[0].id;
    web = await startWeb(api.baseUrl);
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.baseUrl });
    adminContext.setDefaultTimeout(STEP_TIMEOUT);
    admin = await adminContext.newPage();
    admin.on('pageerror', (error) => pageErrors.push(error.message));
    shopperContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    shopperContext.setDefaultTimeout(STEP_TIMEOUT);
    shopper = await shopperContext.newPage();
    shopper.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  it('creates a batch of codes on the admin page and copies one from the dialog', async () => {
    await signIn(admin, 'root', '123456');
    await admin.getByTestId('nav-redemptions').click();
    await admin.waitForURL('**/console/redemptions');
    await admin.getByTestId('redemptions-table').waitFor();
    await admin.getByTestId('redemption-create').click();

    // Nothing is sent while the form is incomplete.
    await admin.locator('#redemption-name').fill('');
    await admin.getByTestId('redemption-submit').click();
    await admin.getByRole('alert').filter({ hasText: 'Enter a name of 1 to 20 characters.' }).waitFor();
    expect(await codes()).toEqual([]);

    await admin.locator('#redemption-name').fill('browser gift');
    await admin.locator('#redemption-unit').selectOption('usd');
    await admin.locator('#redemption-amount').fill('2.5');
    expect(await admin.getByTestId('redemption-quota-hint').textContent()).toContain('1,250,000 quota units');
    await admin.locator('#redemption-count').fill('2');
    await admin.locator('#redemption-expiry').selectOption('30d');
    await saveScreenshot(admin, 'redemption-create-desktop');
    await admin.getByTestId('redemption-submit').click();

    const shown = admin.getByTestId('redemption-created-key');
    await shown.first().waitFor();
    const keys = (await shown.allTextContents()).map((key) => key.trim());
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
    const stored = await codes();
    expect(stored.map((code) => code.key).sort()).toEqual([...keys].sort());
    for (const code of stored) {
      expect(code).toMatchObject({ name: 'browser gift', quota: 2.5 * QUOTA_PER_UNIT, status: 1 });
      expect(code.expired_time - Math.floor(Date.now() / 1000)).toBeGreaterThan(29 * 86400);
    }

    await admin.getByTestId('redemption-copy-key').first().click();
    await admin.getByTestId('redemption-created').getByText('Copied').waitFor();
    copiedKey = await admin.evaluate(() => navigator.clipboard.readText());
    expect(copiedKey).toBe(keys[0]);
    await saveScreenshot(admin, 'redemption-created-desktop');
    await admin.getByTestId('redemption-done').click();

    await admin.locator('[data-testid="redemption-row"][data-name="browser gift"]').nth(1).waitFor();
    expect(await admin.locator('[data-testid="redemption-row"]').count()).toBe(2);
    await saveScreenshot(admin, 'redemptions-desktop');
  });

  it('redeems the copied code on the wallet page and shows the amount and the new balance', async () => {
    await signIn(shopper, SHOPPER.username, SHOPPER.password);
    await shopper.getByTestId('nav-wallet').click();
    await shopper.waitForURL('**/console/wallet');
    await shopper.getByTestId('wallet-balance').filter({ hasText: '$0.00' }).waitFor();

    await shopper.getByTestId('redeem-submit').click();
    await shopper.getByTestId('redeem-result').filter({ hasText: 'Enter a redemption code.' }).waitFor();

    await shopper.locator('#redeem-key').fill(copiedKey);
    await shopper.getByTestId('redeem-submit').click();
    await shopper.locator('[data-testid="redeem-result"][data-ok="true"]').waitFor();
    expect(await shopper.getByTestId('redeem-result').textContent()).toBe('Added $2.50 to your balance. New balance: $2.50.');
    await shopper.getByTestId('wallet-balance').filter({ hasText: '$2.50' }).waitFor();
    expect(await shopper.locator('#redeem-key').inputValue()).toBe('');
    expect(await quotaOfShopper()).toBe(2.5 * QUOTA_PER_UNIT);
    await saveScreenshot(shopper, 'wallet-redeemed-desktop');

    // The same code a second time: refused, and the balance stays.
    await shopper.locator('#redeem-key').fill(copiedKey);
    await shopper.getByTestId('redeem-submit').click();
    await shopper.locator('[data-testid="redeem-result"][data-ok="false"]').filter({ hasText: 'already been used' }).waitFor();
    expect(await shopper.getByTestId('wallet-balance').textContent()).toBe('$2.50');
    expect(await quotaOfShopper()).toBe(2.5 * QUOTA_PER_UNIT);
  });

  it('shows the code as used, disables the other one and clears out both', async () => {
    await admin.reload();
    const used = admin.locator(`[data-testid="redemption-row"][data-status="3"]`);
    await used.waitFor();
    expect(await used.getByTestId('redemption-status').textContent()).toBe('Used');
    expect(await used.textContent()).toContain(`#${shopperId}`);

    // Renaming keeps the amount and the exact expiry.
    const unused = admin.locator(`[data-testid="redemption-row"][data-status="1"]`);
    const before = (await codes()).find((code) => code.status === 1)!;
    await unused.getByRole('button', { name: 'Edit' }).click();
    expect(await admin.locator('#redemption-expiry').inputValue()).toBe('custom');
    expect(await admin.locator('#redemption-amount').inputValue()).toBe('2.5');
    await admin.locator('#redemption-name').fill('browser gift 2');
    await admin.getByTestId('redemption-submit').click();
    await admin.locator('[data-testid="redemption-row"][data-name="browser gift 2"]').waitFor();
    expect((await codes()).find((code) => code.id === before.id)).toEqual({ ...before, name: 'browser gift 2' });

    await unused.getByTestId('redemption-disable').click();
    const disabled = admin.locator(`[data-testid="redemption-row"][data-status="2"]`);
    await disabled.waitFor();
    expect(await disabled.getByTestId('redemption-status').textContent()).toBe('Disabled');

    // Search narrows the list to what matches.
    await admin.locator('#redemption-search').fill('no such code');
    await admin.getByTestId('redemption-search-submit').click();
    await admin.getByTestId('redemptions-table').getByText('Nothing here yet.').waitFor();
    await admin.locator('#redemption-search').fill('browser');
    await admin.getByTestId('redemption-search-submit').click();
    await disabled.waitFor();
    expect(await admin.locator('[data-testid="redemption-row"]').count()).toBe(2);

    await admin.getByTestId('redemption-delete-invalid').click();
    await admin.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await admin.getByRole('status').filter({ hasText: 'Deleted 2 codes.' }).waitFor();
    await admin.getByTestId('redemptions-table').getByText('Nothing here yet.').waitFor();
    expect(await codes()).toEqual([]);
  });

  it('renders the redemption and wallet pages at phone width without sideways overflow', async () => {
    await root.post('/api/redemption/', { name: 'phone check', quota: QUOTA_PER_UNIT, count: 3 });
    const pages: Array<[BrowserContext, string, string, string]> = [
      [adminContext, '/console/redemptions', 'redemption-row', 'redemptions-phone'],
      [shopperContext, '/console/wallet', 'redeem-form', 'wallet-redeem-phone'],
    ];
    for (const [desktop, url, ready, name] of pages) {
      const phone = await browser.newContext({ viewport: PHONE, locale: 'en-US', baseURL: web.baseUrl, storageState: await desktop.storageState(), isMobile: true, hasTouch: true });
      phone.setDefaultTimeout(STEP_TIMEOUT);
      try {
        const mobile = await phone.newPage();
        mobile.on('pageerror', (error) => pageErrors.push(error.message));
        await mobile.goto(url);
        await mobile.getByTestId(ready).first().waitFor();
        expect({ page: name, overflow: await horizontalOverflow(mobile) }).toEqual({ page: name, overflow: 0 });
        await saveScreenshot(mobile, name);
        if (url === '/console/redemptions') {
          await mobile.getByTestId('redemption-create').click();
          await mobile.locator('#redemption-name').waitFor();
          await saveScreenshot(mobile, 'redemption-create-phone');
        }
      } finally {
        await phone.close();
      }
    }
  });

  it('raised no uncaught error in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
