/**
 * Online top-up in real Chromium, against the built API on a temp SQLite database and a fake EPay
 * gateway (a local HTTP server standing in for `{PayAddress}/submit.php`): a user sees the pay
 * methods and a live quote on the wallet page, picks EPay and the browser form-posts the signed
 * order to the gateway; the gateway's notify credits the balance, the order shows as paid in the
 * user's list, and an admin completes another pending order by hand on the top-up orders page.
 * Screenshots land in test-artifacts/screenshots/.
 *
 * Needs `npm run build` (API and web) first.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Page as ListPage, TopUpView } from '@your-api/contracts';
import { startFakeStripe, type FakeStripe } from '@your-api/testing';
import { DESKTOP, horizontalOverflow, launchChromium, PHONE, saveScreenshot, STEP_TIMEOUT } from './browser';
import { startApi, type RunningApi } from '../../api/test/harness';
import { ManagementClient } from '../../api/test/management-client';
import { startWeb, type RunningWeb } from './web-server';

const QUOTA_PER_UNIT = 500_000;
const BUYER = { username: 'buyer', password: 'buyer-pass-1' };
const EPAY_KEY = 'browser-epay-key';
const EPAY_ID = '2002';

function epaySign(params: Record<string, string>, key: string): string {
  const joined = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5').update(joined + key).digest('hex');
}

/** The gateway's cashier: records each form post to /submit.php and shows a page. */
interface FakeCashier {
  url: string;
  posts: Array<{ method: string; path: string; contentType: string; form: Record<string, string> }>;
  close(): Promise<void>;
}

async function startFakeCashier(): Promise<FakeCashier> {
  const posts: FakeCashier['posts'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      if (req.url === '/favicon.ico') {
        res.writeHead(404).end();
        return;
      }
      posts.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], contentType: req.headers['content-type'] ?? '', form });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Fake cashier</title><h1 data-testid="cashier">Fake cashier</h1><p>Order ${form.out_trade_no ?? ''}: ${form.money ?? ''}</p>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('online top-up in Chromium', () => {
  let api: RunningApi;
  let web: RunningWeb;
  let cashier: FakeCashier;
  let stripe: FakeStripe;
  let browser: Browser;
  let buyerContext: BrowserContext;
  let adminContext: BrowserContext;
  let buyerPage: Page;
  let adminPage: Page;
  let root: ManagementClient;
  let buyerId = 0;
  let paidTradeNo = '';
  const pageErrors: string[] = [];

  const signIn = async (target: Page, username: string, password: string) => {
    await target.goto('/login');
    await target.locator('#username').fill(username);
    await target.locator('#password').fill(password);
    await target.locator('#login-form button[type="submit"]').click();
    await target.waitForURL('**/console');
  };
  const quotaOfBuyer = async () => (await root.get<{ quota: number }>(`/api/user/${buyerId}`)).body.data!.quota;
  const orders = async () => (await root.get<ListPage<TopUpView>>('/api/user/topup?p=1&page_size=100')).body.data!.items;

  beforeAll(async () => {
    cashier = await startFakeCashier();
    // Stripe's Checkout page is the fake cashier too, so the browser's redirect lands somewhere local.
    stripe = await startFakeStripe({ checkoutBase: cashier.url });
    api = await startApi({ env: { STRIPE_API_BASE: stripe.url } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    web = await startWeb(api.baseUrl);
    const options: Record<string, string> = {
      ServerAddress: web.baseUrl,
      PayAddress: cashier.url,
      EpayId: EPAY_ID,
      EpayKey: EPAY_KEY,
      Price: '7.3',
      MinTopUp: '2',
      'payment_setting.amount_discount': JSON.stringify({ '100': 0.9 }),
    };
    for (const [key, value] of Object.entries(options)) {
      expect((await root.put('/api/option/', { key, value })).body.success).toBe(true);
    }
    expect((await root.post('/api/user/', { ...BUYER, display_name: 'Buyer' })).body.success).toBe(true);
    buyerId = (await root.get<ListPage<{ id: number }>>('/api/user/search?keyword=buyer')).body.data!.items[0].id;
    browser = await launchChromium();
    buyerContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    buyerContext.setDefaultTimeout(STEP_TIMEOUT);
    buyerPage = await buyerContext.newPage();
    buyerPage.on('pageerror', (error) => pageErrors.push(error.message));
    adminContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: web.baseUrl });
    adminContext.setDefaultTimeout(STEP_TIMEOUT);
    adminPage = await adminContext.newPage();
    adminPage.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await cashier?.close();
    await stripe?.close();
  });

  it('shows the pay methods and a live quote, and posts the signed EPay order to the gateway', async () => {
    await signIn(buyerPage, BUYER.username, BUYER.password);
    await buyerPage.getByTestId('nav-wallet').click();
    await buyerPage.waitForURL('**/console/wallet');
    await buyerPage.getByTestId('online-topup').waitFor();

    // The first preset (10) is chosen and priced at once: 10 × 7.3.
    await buyerPage.getByTestId('topup-quote').filter({ hasText: '73.00' }).waitFor();
    const methods = buyerPage.getByTestId('topup-pay');
    expect(await methods.allTextContents()).toEqual(['Alipay', 'WeChat']);
    // A discounted preset: 100 × 7.3 × 0.9.
    const hundred = buyerPage.locator('[data-testid="topup-preset"][data-amount="100"]');
    expect(await hundred.textContent()).toContain('10% off');
    await hundred.click();
    await buyerPage.getByTestId('topup-quote').filter({ hasText: '657.00' }).waitFor();
    // Under the minimum: no quote, and the pay buttons are off.
    await buyerPage.locator('#topup-amount').fill('1');
    await buyerPage.getByRole('alert').filter({ hasText: 'The amount must be at least 2.' }).waitFor();
    expect(await methods.first().isDisabled()).toBe(true);
    await buyerPage.locator('#topup-amount').fill('5');
    await buyerPage.getByTestId('topup-quote').filter({ hasText: '36.50' }).waitFor();
    await saveScreenshot(buyerPage, 'wallet-topup-desktop');

    await buyerPage.locator('[data-testid="topup-pay"][data-method="alipay"]').click();
    await buyerPage.waitForURL(`${cashier.url}/submit.php`);
    await buyerPage.getByTestId('cashier').waitFor();
    expect(cashier.posts).toHaveLength(1);
    const [post] = cashier.posts;
    expect(post.method).toBe('POST');
    expect(post.path).toBe('/submit.php');
    expect(post.contentType).toContain('application/x-www-form-urlencoded');
    expect(post.form).toEqual({
      pid: EPAY_ID,
      type: 'alipay',
      out_trade_no: expect.stringMatching(new RegExp(`^USR${buyerId}NO[A-Za-z0-9]{6}\\d{10}$`)),
      notify_url: `${web.baseUrl}/api/user/epay/notify`,
      return_url: `${web.baseUrl}/console/wallet`,
      name: 'TUC5',
      money: '36.50',
      device: 'pc',
      sign_type: 'MD5',
      sign: epaySign(post.form, EPAY_KEY),
    });
    paidTradeNo = post.form.out_trade_no;
    expect(await orders()).toEqual([expect.objectContaining({ trade_no: paidTradeNo, status: 'pending', amount: 5, user_id: buyerId })]);
    await saveScreenshot(buyerPage, 'epay-fake-cashier');
  });

  it('credits the balance on the gateway notify and lists the order as paid', async () => {
    const notify: Record<string, string> = {
      pid: EPAY_ID,
      trade_no: 'EPAY20261123000001',
      out_trade_no: paidTradeNo,
      type: 'alipay',
      name: 'TUC5',
      money: '36.50',
      trade_status: 'TRADE_SUCCESS',
    };
    const signed = { ...notify, sign: epaySign(notify, EPAY_KEY), sign_type: 'MD5' };
    // The gateway calls the notify URL it was given (the web origin proxies /api to the API).
    const response = await fetch(`${web.baseUrl}/api/user/epay/notify?${new URLSearchParams(signed).toString()}`);
    expect(await response.text()).toBe('success');
    expect(await quotaOfBuyer()).toBe(5 * QUOTA_PER_UNIT);

    // Back to the return URL: the new balance and the paid order.
    await buyerPage.goto('/console/wallet');
    await buyerPage.getByTestId('wallet-balance').filter({ hasText: '$5.00' }).waitFor();
    const row = buyerPage.locator(`[data-testid="topup-row"][data-trade-no="${paidTradeNo}"]`);
    await row.waitFor();
    expect(await row.getByTestId('topup-status').textContent()).toBe('Paid');
    expect(await row.textContent()).toContain('36.50');
    await buyerPage.getByTestId('topup-quote').filter({ hasText: '73.00' }).waitFor();
    await saveScreenshot(buyerPage, 'wallet-topup-paid-desktop');
  });

  it('lets an admin find and complete a pending order on the top-up orders page', async () => {
    const buyer = new ManagementClient(api.baseUrl);
    await buyer.loginOrThrow(BUYER.username, BUYER.password);
    const pending = (await buyer.post<Record<string, string>>('/api/user/pay', { amount: 3, payment_method: 'wxpay' })).body.data!;
    await signIn(adminPage, 'root', '123456');
    await adminPage.getByTestId('nav-topups').click();
    await adminPage.waitForURL('**/console/topups');
    await adminPage.locator('[data-testid="topup-row"]').nth(1).waitFor();
    expect(await adminPage.locator('[data-testid="topup-row"]').count()).toBe(2);

    await adminPage.locator('#topup-search').fill(pending.out_trade_no);
    await adminPage.getByTestId('topup-search-submit').click();
    const row = adminPage.locator(`[data-testid="topup-row"][data-trade-no="${pending.out_trade_no}"]`);
    // The search narrows the list to the one order.
    await adminPage.locator('[data-testid="topup-row"]').nth(1).waitFor({ state: 'detached' });
    await row.waitFor();
    expect(await adminPage.locator('[data-testid="topup-row"]').count()).toBe(1);
    await saveScreenshot(adminPage, 'topups-admin-desktop');
    await row.getByTestId('topup-complete').click();
    await adminPage.getByRole('alertdialog').getByRole('button', { name: 'Complete' }).click();
    await adminPage.locator(`[data-testid="topup-row"][data-trade-no="${pending.out_trade_no}"][data-status="success"]`).waitFor();
    expect(await quotaOfBuyer()).toBe(8 * QUOTA_PER_UNIT);
    expect((await orders()).map((order) => order.status).sort()).toEqual(['success', 'success']);
  });

  it('lets root change the preset amounts on the payment settings tab, and the wallet offers them', async () => {
    await adminPage.goto('/console/settings');
    await adminPage.getByRole('tab', { name: 'Payment' }).click();
    const presets = adminPage.locator('[id="option-payment_setting.amount_options"]');
    await presets.waitFor();
    await adminPage.waitForFunction(() => (document.getElementById('option-payment_setting.amount_options') as HTMLTextAreaElement | null)?.value !== '');
    expect(JSON.parse(await presets.inputValue())).toEqual([10, 20, 50, 100, 200, 500]);
    // A JSON object is not a list: refused before anything is sent.
    await presets.fill('{"a": 1}');
    await adminPage.getByRole('button', { name: 'Save changes' }).last().click();
    await adminPage.getByRole('status').filter({ hasText: 'not a valid JSON list' }).waitFor();
    await presets.fill('[5, 15, 100]');
    await adminPage.getByRole('button', { name: 'Save changes' }).last().click();
    await adminPage.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await saveScreenshot(adminPage, 'settings-payment-desktop');

    await buyerPage.goto('/console/wallet');
    await buyerPage.locator('[data-testid="topup-preset"][data-amount="15"]').waitFor();
    expect(await buyerPage.getByTestId('topup-preset').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-amount')))).toEqual(['5', '15', '100']);
    await buyerPage.getByTestId('topup-quote').filter({ hasText: '36.50' }).waitFor();
  });

  it('sends the browser to Stripe Checkout for the Stripe method', async () => {
    for (const [key, value] of Object.entries({ StripeApiSecret: 'sk_test_browser', StripeWebhookSecret: 'whsec_browser', StripePriceId: 'price_browser' })) {
      expect((await root.put('/api/option/', { key, value })).body.success).toBe(true);
    }
    await buyerPage.goto('/console/wallet');
    await buyerPage.locator('[data-testid="topup-pay"][data-method="stripe"]').waitFor();
    expect(await buyerPage.getByTestId('topup-pay').allTextContents()).toEqual(['Alipay', 'WeChat', 'Stripe']);
    await buyerPage.locator('#topup-amount').fill('4');
    await buyerPage.getByTestId('topup-quote').filter({ hasText: '29.20' }).waitFor();
    await buyerPage.locator('[data-testid="topup-pay"][data-method="stripe"]').click();
    await buyerPage.waitForURL(`${cashier.url}/c/pay/cs_test_*`);
    expect(stripe.requests).toHaveLength(1);
    expect(stripe.requests[0].form).toMatchObject({
      mode: 'payment',
      'line_items[0][price]': 'price_browser',
      'line_items[0][quantity]': '4',
      success_url: `${web.baseUrl}/console/wallet?stripe=success`,
      cancel_url: `${web.baseUrl}/console/wallet?stripe=cancel`,
    });
    const tradeNo = stripe.requests[0].form.client_reference_id;
    expect(await orders()).toContainEqual(expect.objectContaining({ trade_no: tradeNo, status: 'pending', payment_provider: 'stripe', amount: 4 }));
    // Back from Checkout: the wallet says the payment is on its way.
    await buyerPage.goto('/console/wallet?stripe=success');
    await buyerPage.getByTestId('stripe-return').filter({ hasText: 'Payment received' }).waitFor();
  });

  it('renders the wallet and the top-up orders page at phone width without sideways overflow', async () => {
    const pages: Array<[BrowserContext, string, string, string]> = [
      [buyerContext, '/console/wallet', 'online-topup', 'wallet-topup-phone'],
      [adminContext, '/console/topups', 'topup-row', 'topups-admin-phone'],
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
      } finally {
        await phone.close();
      }
    }
  });

  it('raised no uncaught error in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
