import { createHash, randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { FakeStripe, startFakeStripe } from '@your-api/testing';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';
import { ManagementClient, Reply } from './management-client';

/**
 * Online top-up over real HTTP against a real database: EPay orders (signed params, pending row),
 * quotes with group ratio and discounts, the signed notify (GET and POST form) that must credit
 * exactly once however often and however concurrently it arrives, Stripe Checkout against a fake
 * Stripe API and its signed webhook, the order lists and the admin's manual completion.
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const QUOTA_PER_UNIT = 500_000;
const EPAY_KEY = 'epay-merchant-key-123';
const EPAY_ID = '1001';
const PAY_ADDRESS = 'http://pay.example.test';
const STRIPE_SECRET = 'sk_test_fake_secret_key';
const STRIPE_WEBHOOK_SECRET = 'whsec_test_payments_e2e';
const STRIPE_PRICE = 'price_test_unit';

/** go-epay's MD5 sign, written out independently of the API's code. */
function epaySign(params: Record<string, string>, key: string): string {
  const joined = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5').update(joined + key).digest('hex');
}

interface TopUpItem {
  id: number;
  user_id: number;
  amount: number;
  money: number;
  trade_no: string;
  payment_method: string;
  payment_provider: string;
  create_time: number;
  complete_time: number;
  status: string;
}

async function insertUser(db: TestDatabase, username: string, role: number, group = 'default', email = ''): Promise<{ id: number; accessToken: string }> {
  const accessToken = randomBytes(16).toString('hex');
  await db.query(
    `INSERT INTO users (username, password, display_name, role, status, access_token, quota, email, ${quoted('group')}) VALUES (?, ?, ?, ?, 1, ?, 0, ?, ?)`,
    [username, 'not-a-login-password', username, role, accessToken, email, group],
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return { id: Number(row.id), accessToken };
}

describe(`online top-up (${kind})`, () => {
  let api: RunningApi;
  let root: ManagementClient;
  let stripeFake: FakeStripe;
  const stripeSdk = new Stripe('sk_test_only_for_signing');
  let userSeq = 0;

  const newUser = async (role = 1, group = 'default', email = '') => {
    const username = `payer${++userSeq}`;
    const user = await insertUser(api.database, username, role, group, email);
    return { client: new ManagementClient(api.baseUrl).useAccessToken(user.accessToken, user.id), id: user.id, username };
  };
  const setOption = async (key: string, value: unknown) => {
    const reply = await root.put('/api/option/', { key, value });
    expect({ key, reply: reply.body }).toEqual({ key, reply: expect.objectContaining({ success: true }) });
  };
  const quotaOf = async (userId: number): Promise<number> => {
    const [row] = await api.database.query<{ quota: number | string }>('SELECT quota FROM users WHERE id = ?', [userId]);
    return Number(row.quota);
  };
  const orderOf = async (tradeNo: string): Promise<Record<string, unknown>> => {
    const rows = await api.database.query<Record<string, unknown>>('SELECT * FROM top_ups WHERE trade_no = ?', [tradeNo]);
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  const topUpLogs = (userId: number) =>
    api.database.query<{ content: string; quota: number | string; type: number | string }>('SELECT * FROM logs WHERE type = 1 AND user_id = ? ORDER BY id', [userId]);
  const notifyParams = (order: { trade_no: string; money: string; type?: string }, overrides: Record<string, string> = {}) => {
    const params: Record<string, string> = {
      pid: EPAY_ID,
      trade_no: `2026${randomBytes(6).toString('hex')}`,
      out_trade_no: order.trade_no,
      type: order.type ?? 'alipay',
      name: 'TUC10',
      money: order.money,
      trade_status: 'TRADE_SUCCESS',
      ...overrides,
    };
    return { ...params, sign: epaySign(params, EPAY_KEY), sign_type: 'MD5' };
  };
  const notifyGet = async (params: Record<string, string>) => {
    const response = await fetch(`${api.baseUrl}/api/user/epay/notify?${new URLSearchParams(params).toString()}`);
    return { status: response.status, text: await response.text(), type: response.headers.get('content-type') ?? '' };
  };
  const notifyPost = async (params: Record<string, string>) => {
    const response = await fetch(`${api.baseUrl}/api/user/epay/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, text: await response.text() };
  };
  const epayOrder = async (who: ManagementClient, amount: number, method = 'alipay') => {
    const reply = (await who.post('/api/user/pay', { amount, payment_method: method })) as Reply<Record<string, string>> & { body: { url?: string } };
    expect(reply.body).toMatchObject({ success: true, message: 'success' });
    return { params: reply.body.data!, url: reply.body.url! };
  };
  const webhook = async (event: Record<string, unknown>, secret = STRIPE_WEBHOOK_SECRET, signatureOverride?: string) => {
    const payload = JSON.stringify(event);
    const signature = signatureOverride ?? stripeSdk.webhooks.generateTestHeaderString({ payload, secret });
    const response = await fetch(`${api.baseUrl}/api/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const checkoutEvent = (type: string, session: Record<string, unknown>) => ({
    id: `evt_${randomBytes(8).toString('hex')}`,
    object: 'event',
    api_version: '2025-01-01',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: { object: { object: 'checkout.session', ...session } },
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });

  beforeAll(async () => {
    stripeFake = await startFakeStripe({ checkoutBase: 'https://checkout.stripe.test' });
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false', STRIPE_API_BASE: stripeFake.url } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await setOption('ServerAddress', 'http://gateway.example.test');
    await setOption('CustomCallbackAddress', 'http://callback.example.test/');
    await setOption('PayAddress', PAY_ADDRESS);
    await setOption('EpayId', EPAY_ID);
    await setOption('EpayKey', EPAY_KEY);
    await setOption('Price', '7.3');
    await setOption('MinTopUp', '2');
    await setOption('TopupGroupRatio', JSON.stringify({ default: 1, vip: 1.5 }));
    await setOption('payment_setting.amount_discount', JSON.stringify({ '100': 0.9 }));
    await setOption('PayMethods', JSON.stringify([{ name: 'Alipay', type: 'alipay' }, { name: 'WeChat', type: 'wxpay' }, { name: 'Big', type: 'custom1', min_topup: '50' }]));
  });

  afterAll(async () => {
    await api?.stop();
    await stripeFake?.close();
  });

  it('shows the top-up info without secrets, and only to signed-in users', async () => {
    const { client } = await newUser();
    const reply = await client.get<Record<string, unknown>>('/api/user/topup/info');
    expect(reply.body.success).toBe(true);
    expect(reply.body.data).toMatchObject({
      enable_online_topup: true,
      enable_stripe_topup: false,
      min_topup: 2,
      price: 7.3,
      amount_options: [10, 20, 50, 100, 200, 500],
      discount: { '100': 0.9 },
      pay_methods: [{ name: 'Alipay', type: 'alipay' }, { name: 'WeChat', type: 'wxpay' }, { name: 'Big', type: 'custom1', min_topup: '50' }],
    });
    expect(JSON.stringify(reply.body)).not.toContain(EPAY_KEY);
    expect((await new ManagementClient(api.baseUrl).get('/api/user/topup/info')).status).toBe(401);
  });

  it('quotes with the group ratio and the amount discount, and refuses amounts under the minimum', async () => {
    const plain = (await newUser()).client;
    const vip = (await newUser(1, 'vip')).client;
    expect((await plain.post('/api/user/amount', { amount: 10 })).body).toEqual({ success: true, message: 'success', data: '73.00' });
    expect((await vip.post('/api/user/amount', { amount: 10 })).body).toEqual({ success: true, message: 'success', data: '109.50' });
    // 100 × 7.3 × 0.9 and, for vip, × 1.5.
    expect((await plain.post('/api/user/amount', { amount: 100 })).body.data).toBe('657.00');
    expect((await vip.post('/api/user/amount', { amount: 100 })).body.data).toBe('985.50');
    const below = await plain.post('/api/user/amount', { amount: 1 });
    expect(below.status).toBe(400);
    expect(below.body).toEqual({ success: false, message: expect.stringMatching(/at least 2/) });
    // A pay method's own minimum.
    expect((await plain.post('/api/user/amount', { amount: 10, payment_method: 'custom1' })).body.message).toMatch(/at least 50/);
    for (const amount of [0, -5, 1.5, 'ten']) {
      const reply = await plain.post('/api/user/amount', { amount });
      expect({ amount, status: reply.status, success: reply.body.success }).toEqual({ amount, status: 400, success: false });
    }
  });

  it('creates an EPay order: signed params for submit.php and a pending top_ups row', async () => {
    const { client, id } = await newUser(1, 'vip');
    const started = Math.floor(Date.now() / 1000);
    const { params, url } = await epayOrder(client, 10, 'wxpay');
    expect(url).toBe(`${PAY_ADDRESS}/submit.php`);
    expect(params).toEqual({
      pid: EPAY_ID,
      type: 'wxpay',
      out_trade_no: expect.stringMatching(new RegExp(`^USR${id}NO[A-Za-z0-9]{6}\\d{10}$`)),
      notify_url: 'http://callback.example.test/api/user/epay/notify',
      return_url: 'http://gateway.example.test/console/wallet',
      name: 'TUC10',
      money: '109.50',
      device: 'pc',
      sign_type: 'MD5',
      sign: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(params.sign).toBe(epaySign(params, EPAY_KEY));
    const row = await orderOf(params.out_trade_no);
    expect(row).toMatchObject({ status: 'pending', payment_method: 'wxpay', payment_provider: 'epay' });
    expect(Number(row.user_id)).toBe(id);
    expect(Number(row.amount)).toBe(10);
    expect(Number(row.money)).toBeCloseTo(109.5, 6);
    expect(Number(row.create_time)).toBeGreaterThanOrEqual(started);
    expect(Number(row.complete_time)).toBe(0);
    // Unknown pay methods and Stripe (when not set up) are refused, and store nothing.
    const [{ count: before }] = await api.database.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM top_ups');
    expect((await client.post('/api/user/pay', { amount: 10, payment_method: 'bitcoin' })).body).toEqual({ success: false, message: expect.stringMatching(/not available/) });
    expect((await client.post('/api/user/stripe/pay', { amount: 10, payment_method: 'stripe' })).body).toEqual({ success: false, message: expect.stringMatching(/not configured/) });
    const [{ count: after }] = await api.database.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM top_ups');
    expect(Number(after)).toBe(Number(before));
  });

  it('credits a paid order exactly once under 20 concurrent notifies and later replays', async () => {
    const { client, id, username } = await newUser();
    const { params } = await epayOrder(client, 10);
    const notify = notifyParams({ trade_no: params.out_trade_no, money: params.money, type: 'alipay' });
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? notifyGet(notify) : notifyPost(notify))));
    for (const reply of replies) expect(reply).toMatchObject({ status: 200, text: 'success' });
    expect(await quotaOf(id)).toBe(10 * QUOTA_PER_UNIT);
    const row = await orderOf(params.out_trade_no);
    expect(row.status).toBe('success');
    expect(Number(row.complete_time)).toBeGreaterThan(0);
    // Replays: still `success` (the gateway stops retrying), nothing more credited.
    expect(await notifyGet(notify)).toMatchObject({ status: 200, text: 'success', type: expect.stringContaining('text/plain') });
    expect((await notifyPost(notify)).text).toBe('success');
    expect(await quotaOf(id)).toBe(10 * QUOTA_PER_UNIT);
    const logs = await topUpLogs(id);
    expect(logs).toHaveLength(1);
    expect(Number(logs[0].quota)).toBe(10 * QUOTA_PER_UNIT);
    expect(logs[0].content).toContain(params.out_trade_no);
    expect(logs[0].content).toContain('73.00');
    // The user sees the order as paid, and the top-up in their log.
    const own = await client.get<{ items: TopUpItem[]; total: number }>('/api/user/topup/self');
    expect(own.body.data).toMatchObject({ total: 1, items: [{ trade_no: params.out_trade_no, status: 'success', amount: 10, payment_provider: 'epay' }] });
    const self = await client.get<{ items: Array<{ type: number; username: string }> }>('/api/log/self?type=1');
    expect(self.body.data?.items).toHaveLength(1);
    expect(self.body.data?.items[0].username).toBe(username);
  });

  it('does not credit on a bad sign, another merchant, an unknown order or a wrong amount', async () => {
    const { client, id } = await newUser();
    const { params } = await epayOrder(client, 10);
    const good = notifyParams({ trade_no: params.out_trade_no, money: params.money });
    const tampered = { ...good, money: '730.00' };
    const wrongKey = { ...good, sign: epaySign(good, 'another-key') };
    const unsigned = Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'sign'));
    const otherMerchant = notifyParams({ trade_no: params.out_trade_no, money: params.money }, { pid: '9999' });
    const unknownOrder = notifyParams({ trade_no: 'USR1NOnothing1700000000', money: params.money });
    const wrongAmount = notifyParams({ trade_no: params.out_trade_no, money: '0.01' });
    for (const attempt of [tampered, wrongKey, unsigned, otherMerchant, unknownOrder, wrongAmount]) {
      expect(await notifyGet(attempt)).toMatchObject({ status: 200, text: 'fail' });
    }
    expect((await notifyPost(tampered)).text).toBe('fail');
    // A genuine notice of an unpaid state is acknowledged and changes nothing.
    expect((await notifyGet(notifyParams({ trade_no: params.out_trade_no, money: params.money }, { trade_status: 'WAIT_BUYER_PAY' }))).text).toBe('success');
    expect(await quotaOf(id)).toBe(0);
    expect((await orderOf(params.out_trade_no)).status).toBe('pending');
    expect(await topUpLogs(id)).toHaveLength(0);
    // The genuine one still works afterwards.
    expect((await notifyGet(good)).text).toBe('success');
    expect(await quotaOf(id)).toBe(10 * QUOTA_PER_UNIT);
  });

  it('lists all orders for admins and lets them complete a pending order once', async () => {
    const admin = (await newUser(10)).client;
    const { client, id } = await newUser();
    const { params } = await epayOrder(client, 4);
    expect((await client.get('/api/user/topup')).status).toBe(403);
    expect((await client.post('/api/user/topup/complete', { trade_no: params.out_trade_no })).status).toBe(403);
    const list = await admin.get<{ items: TopUpItem[]; total: number; page: number; page_size: number }>(`/api/user/topup?p=1&page_size=5&keyword=${params.out_trade_no}`);
    expect(list.body.data).toMatchObject({ total: 1, page: 1, page_size: 5, items: [{ trade_no: params.out_trade_no, status: 'pending', user_id: id }] });
    const all = await admin.get<{ items: TopUpItem[]; total: number }>('/api/user/topup?p=1&page_size=2');
    expect(all.body.data?.items).toHaveLength(2);
    expect(all.body.data!.total).toBeGreaterThan(2);

    const completions = await Promise.all(Array.from({ length: 5 }, () => admin.post<TopUpItem>('/api/user/topup/complete', { trade_no: params.out_trade_no })));
    expect(completions.filter((reply) => reply.body.success)).toHaveLength(1);
    expect(completions.find((reply) => reply.body.success)?.body.data).toMatchObject({ status: 'success', trade_no: params.out_trade_no });
    expect(await quotaOf(id)).toBe(4 * QUOTA_PER_UNIT);
    expect(await topUpLogs(id)).toHaveLength(1);
    // A late notify for the completed order changes nothing.
    expect((await notifyGet(notifyParams({ trade_no: params.out_trade_no, money: params.money }))).text).toBe('success');
    expect(await quotaOf(id)).toBe(4 * QUOTA_PER_UNIT);
    expect((await admin.post('/api/user/topup/complete', { trade_no: 'nope' })).status).toBe(404);
  });

  describe('Stripe', () => {
    beforeAll(async () => {
      await setOption('StripeApiSecret', STRIPE_SECRET);
      await setOption('StripeWebhookSecret', STRIPE_WEBHOOK_SECRET);
      await setOption('StripePriceId', STRIPE_PRICE);
      await setOption('StripeUnitPrice', '8');
      await setOption('StripeMinTopUp', '1');
      await setOption('StripePromotionCodesEnabled', 'true');
    });

    const stripeOrder = async (who: ManagementClient, amount: number) => {
      const before = stripeFake.requests.length;
      const reply = await who.post<{ pay_link: string }>('/api/user/stripe/pay', { amount, payment_method: 'stripe' });
      expect(reply.body).toMatchObject({ success: true });
      expect(stripeFake.requests.length).toBe(before + 1);
      const request = stripeFake.requests[stripeFake.requests.length - 1];
      return { payLink: reply.body.data!.pay_link, request, tradeNo: request.form.client_reference_id };
    };

    it('adds Stripe to the pay methods once configured, and quotes with the Stripe unit price', async () => {
      const { client } = await newUser(1, 'vip');
      const info = await client.get<{ enable_stripe_topup: boolean; pay_methods: Array<{ type: string }> }>('/api/user/topup/info');
      expect(info.body.data?.enable_stripe_topup).toBe(true);
      expect(info.body.data?.pay_methods.map((m) => m.type)).toEqual(['alipay', 'wxpay', 'custom1', 'stripe']);
      expect(JSON.stringify(info.body)).not.toContain(STRIPE_SECRET);
      expect(JSON.stringify(info.body)).not.toContain(STRIPE_WEBHOOK_SECRET);
      expect((await client.post('/api/user/stripe/amount', { amount: 10 })).body.data).toBe('120.00');
    });

    it('creates a Checkout Session at the (fake) Stripe API and a pending order', async () => {
      const { client, id } = await newUser(1, 'default', 'buyer@example.test');
      const { payLink, request, tradeNo } = await stripeOrder(client, 7);
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v1/checkout/sessions');
      expect(request.headers.authorization).toBe(`Bearer ${STRIPE_SECRET}`);
      expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(request.form).toMatchObject({
        mode: 'payment',
        'line_items[0][price]': STRIPE_PRICE,
        'line_items[0][quantity]': '7',
        success_url: 'http://gateway.example.test/console/wallet?stripe=success',
        cancel_url: 'http://gateway.example.test/console/wallet?stripe=cancel',
        customer_email: 'buyer@example.test',
        customer_creation: 'always',
        allow_promotion_codes: 'true',
        'metadata[user_id]': String(id),
      });
      expect(tradeNo).toMatch(/^ref_[0-9a-f]{40}$/);
      expect(payLink).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
      const row = await orderOf(tradeNo);
      expect(row).toMatchObject({ status: 'pending', payment_method: 'stripe', payment_provider: 'stripe' });
      expect(Number(row.amount)).toBe(7);
      expect(Number(row.money)).toBeCloseTo(56, 6);
      // Return URLs elsewhere are refused; a Stripe failure answers an error and stores no order.
      expect((await client.post('/api/user/stripe/pay', { amount: 7, success_url: 'https://evil.example/x' })).body.message).toMatch(/on this site/);
      expect((await client.post('/api/user/stripe/pay', { amount: 10_001 })).body.message).toMatch(/at most 10000/);
      stripeFake.behave({ failure: { status: 500, message: 'boom' } });
      try {
        const failed = await client.post('/api/user/stripe/pay', { amount: 7 });
        expect(failed.status).toBe(502);
        expect(failed.body.message).not.toContain(STRIPE_SECRET);
      } finally {
        stripeFake.behave({ checkoutBase: 'https://checkout.stripe.test' });
      }
      const own = await client.get<{ total: number }>('/api/user/topup/self');
      expect(own.body.data?.total).toBe(1);
    });

    it('credits a completed checkout once, however often (and concurrently) the webhook arrives', async () => {
      const { client, id } = await newUser();
      const { tradeNo } = await stripeOrder(client, 3);
      const event = checkoutEvent('checkout.session.completed', { id: 'cs_test_1', client_reference_id: tradeNo, status: 'complete', payment_status: 'paid', customer: 'cus_123' });
      const replies = await Promise.all(Array.from({ length: 20 }, () => webhook(event)));
      for (const reply of replies) expect(reply).toEqual({ status: 200, body: { received: true } });
      expect(await webhook(event)).toMatchObject({ status: 200 });
      expect(await quotaOf(id)).toBe(3 * QUOTA_PER_UNIT);
      expect((await orderOf(tradeNo)).status).toBe('success');
      const logs = await topUpLogs(id);
      expect(logs).toHaveLength(1);
      expect(logs[0].content).toContain('Stripe');
      expect(Number(logs[0].quota)).toBe(3 * QUOTA_PER_UNIT);
    });

    it('refuses a bad signature and waits for async payments; failed and expired sessions close the order', async () => {
      const { client, id } = await newUser();
      const paid = await stripeOrder(client, 2);
      const paidEvent = checkoutEvent('checkout.session.completed', { client_reference_id: paid.tradeNo, status: 'complete', payment_status: 'paid' });
      const wrongSecret = await webhook(paidEvent, 'whsec_wrong');
      expect(wrongSecret.status).toBe(400);
      expect(wrongSecret.body).toEqual({ success: false, message: expect.stringMatching(/signature/i) });
      expect((await webhook(paidEvent, STRIPE_WEBHOOK_SECRET, 't=1700000000,v1=deadbeef')).status).toBe(400);
      // Correct signature, but too old (Stripe's 300 s tolerance).
      const old = stripeSdk.webhooks.generateTestHeaderString({ payload: JSON.stringify(paidEvent), secret: STRIPE_WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 });
      expect((await webhook(paidEvent, STRIPE_WEBHOOK_SECRET, old)).status).toBe(400);
      expect(await quotaOf(id)).toBe(0);
      expect((await orderOf(paid.tradeNo)).status).toBe('pending');

      // Completed but unpaid (bank transfer on its way): nothing yet; the async success credits.
      await webhook(checkoutEvent('checkout.session.completed', { client_reference_id: paid.tradeNo, status: 'complete', payment_status: 'unpaid' }));
      expect(await quotaOf(id)).toBe(0);
      await webhook(checkoutEvent('checkout.session.async_payment_succeeded', { client_reference_id: paid.tradeNo, status: 'complete', payment_status: 'paid' }));
      expect(await quotaOf(id)).toBe(2 * QUOTA_PER_UNIT);

      const failed = await stripeOrder(client, 5);
      await webhook(checkoutEvent('checkout.session.async_payment_failed', { client_reference_id: failed.tradeNo, status: 'complete', payment_status: 'unpaid' }));
      expect((await orderOf(failed.tradeNo)).status).toBe('failed');
      const expired = await stripeOrder(client, 6);
      await webhook(checkoutEvent('checkout.session.expired', { client_reference_id: expired.tradeNo, status: 'expired', payment_status: 'unpaid' }));
      expect((await orderOf(expired.tradeNo)).status).toBe('expired');
      // A late completion of a closed order credits nothing.
      await webhook(checkoutEvent('checkout.session.completed', { client_reference_id: expired.tradeNo, status: 'complete', payment_status: 'paid' }));
      expect(await quotaOf(id)).toBe(2 * QUOTA_PER_UNIT);
      expect(await topUpLogs(id)).toHaveLength(1);
      // An EPay notify cannot complete a Stripe order.
      expect((await notifyGet(notifyParams({ trade_no: failed.tradeNo, money: '40.00' }))).text).toBe('fail');
    });
  });
});
