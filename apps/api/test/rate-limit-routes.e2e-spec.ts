import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { FakeMidjourney, FakeSuno, startFakeMidjourney, startFakeSuno } from '@your-api/testing';
import { RunningApi, startApi, TestDatabase } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, setOption } from './relay-fixtures';
import { requireRedis, TEST_REDIS_URL } from './redis-fixture';

/**
 * The limits added on top of the global/critical /api ones and the relay's model limit
 * (rate-limit.e2e-spec.ts): the critical per-IP limit on top-up, payment and token-key routes,
 * the per-user limits on access-token generation, invite-reward transfer and searches, and the
 * per-user model request limit on the Midjourney, Suno and realtime routes. Each runs with the
 * memory store and with Redis (TEST_REDIS_URL, which must answer).
 */

const QPU = 500_000;
const CRITICAL = 2;
const SEARCH = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TestUser {
  id: number;
  accessToken: string;
}

async function insertUser(db: TestDatabase, username: string, role = 1): Promise<TestUser> {
  const accessToken = randomBytes(16).toString('hex');
  const group = db.kind === 'mysql' ? '`group`' : '"group"';
  await db.query(
    `INSERT INTO users (username, password, display_name, role, status, access_token, quota, aff_code, ${group}) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 'default')`,
    [username, 'not-a-login-password', username, role, accessToken, 100 * QPU, randomBytes(4).toString('hex')],
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return { id: Number(row.id), accessToken };
}

async function expect429(response: Response): Promise<Record<string, unknown>> {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  return (await response.json()) as Record<string, unknown>;
}

/** The status of a realtime upgrade that is refused (or 101 when it opens). */
function realtimeAttempt(baseUrl: string, key: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/realtime?model=gpt-4o-realtime-preview`, { headers: { authorization: `Bearer ${key}` } });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, retryAfter: undefined, body: '' });
    });
    ws.on('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
  });
}

describe.each(['memory', 'redis'] as const)('route limits (%s store)', (store) => {
  let api: RunningApi;
  let admin: ManagementClient;
  let mj: FakeMidjourney;
  let suno: FakeSuno;
  let redis: Redis | null = null;
  const prefix = `your-api-e2e-${randomBytes(4).toString('hex')}`;
  let users = 0;

  const newUser = () => insertUser(api.database, `${store}-u${++users}`);
  const asUser = (user: TestUser, ip: string) => ({ authorization: user.accessToken, 'new-api-user': String(user.id), 'x-forwarded-for': ip });
  const request = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${api.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const keyOf = async (user: TestUser) => (await createToken(new ManagementClient(api.baseUrl).useAccessToken(user.accessToken, user.id), { name: 'limit key' })).key;

  beforeAll(async () => {
    const env: Record<string, string> = {
      BATCH_UPDATE_ENABLED: 'false',
      CRITICAL_RATE_LIMIT_ENABLE: 'true',
      CRITICAL_RATE_LIMIT: String(CRITICAL),
      CRITICAL_RATE_LIMIT_DURATION: '600',
      SEARCH_RATE_LIMIT_ENABLE: 'true',
      SEARCH_RATE_LIMIT: String(SEARCH),
      SEARCH_RATE_LIMIT_DURATION: '60',
    };
    if (store === 'redis') {
      await requireRedis(TEST_REDIS_URL);
      redis = new Redis(TEST_REDIS_URL);
      Object.assign(env, { REDIS_CONN_STRING: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix });
    }
    mj = await startFakeMidjourney('mj-limit-secret');
    suno = await startFakeSuno('suno-limit-secret');
    api = await startApi({ env });
    // An admin with an access token: signing in would spend the loopback's critical allowance.
    const root = await insertUser(api.database, `${store}-admin`, 100);
    admin = new ManagementClient(api.baseUrl).useAccessToken(root.accessToken, root.id);
    await createChannel(admin, { name: 'mj', type: 2, key: 'mj-limit-secret', base_url: mj.url, models: 'mj_imagine' });
    await createChannel(admin, { name: 'suno', type: 36, key: 'suno-limit-secret', base_url: suno.url, models: 'suno_music,suno_lyrics' });
  });

  afterAll(async () => {
    await api?.stop();
    await mj?.close();
    await suno?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it.each([
    ['POST', '/api/user/topup', { key: 'no-such-code' }],
    ['POST', '/api/user/pay', { amount: 10, payment_method: 'alipay' }],
    ['POST', '/api/user/amount', { amount: 10 }],
    ['POST', '/api/user/stripe/pay', { amount: 10 }],
    ['POST', '/api/user/stripe/amount', { amount: 10 }],
    ['GET', '/api/log/token', undefined],
    ['GET', '/api/usage/token/', undefined],
    ['POST', '/api/token/1/key', undefined],
  ])('limits %s %s per IP with the critical limit', async (method, path, body) => {
    const user = await newUser();
    const ip = `10.7.${users}.1`;
    for (let i = 0; i < CRITICAL; i++) expect((await request(method, path, asUser(user, ip), body)).status).not.toBe(429);
    const refused = await expect429(await request(method, path, asUser(user, ip), body));
    expect(refused).toMatchObject({ success: false, message: expect.stringContaining('Too many') as string });
    // Another address is not affected.
    expect((await request(method, path, asUser(user, `10.8.${users}.1`), body)).status).not.toBe(429);
  });

  it('limits access-token generation per user, whatever the address', async () => {
    const alice = await newUser();
    const bob = await newUser();
    let token = alice.accessToken;
    for (let i = 0; i < CRITICAL; i++) {
      const reply = await request('GET', '/api/user/token', { ...asUser(alice, `10.9.0.${i + 1}`), authorization: token });
      expect(reply.status).toBe(200);
      const body = (await reply.json()) as { success: boolean; data: string };
      expect(body.success).toBe(true);
      token = body.data; // the old access token is replaced
    }
    const refused = await expect429(await request('GET', '/api/user/token', { ...asUser(alice, '10.9.0.9'), authorization: token }));
    expect(refused).toMatchObject({ success: false });
    // Same address, another user: a separate allowance.
    expect((await request('GET', '/api/user/token', asUser(bob, '10.9.0.9'))).status).toBe(200);
    if (redis) expect(await redis.zcard(`${prefix}:rate-limit:user:access_token:${alice.id}`)).toBe(CRITICAL);
  });

  it('limits invite-reward transfers per user', async () => {
    const carol = await newUser();
    await api.database.query('UPDATE users SET aff_quota = ? WHERE id = ?', [10 * QPU, carol.id]);
    for (let i = 0; i < CRITICAL; i++) {
      const reply = await request('POST', '/api/user/aff_transfer', asUser(carol, `10.10.0.${i + 1}`), { quota: QPU });
      expect(reply.status).toBe(200);
    }
    await expect429(await request('POST', '/api/user/aff_transfer', asUser(carol, '10.10.0.9'), { quota: QPU }));
    const [row] = await api.database.query<{ aff_quota: number }>('SELECT aff_quota FROM users WHERE id = ?', [carol.id]);
    expect(Number(row.aff_quota)).toBe(10 * QPU - CRITICAL * QPU);
  });

  it('limits token and own-log searches per user with one shared counter', async () => {
    const dave = await newUser();
    const erin = await newUser();
    const ip = '10.11.0.1';
    expect((await request('GET', '/api/token/search?keyword=a', asUser(dave, ip))).status).toBe(200);
    expect((await request('GET', '/api/log/self/search?keyword=a', asUser(dave, ip))).status).toBe(200);
    expect((await request('GET', '/api/token/search?keyword=b', asUser(dave, ip))).status).toBe(200);
    const refused = await expect429(await request('GET', '/api/log/self/search?keyword=c', asUser(dave, ip)));
    expect(refused).toMatchObject({ success: false });
    expect((await request('GET', '/api/token/search?keyword=a', asUser(erin, ip))).status).toBe(200);
    // Listing is not searching.
    expect((await request('GET', '/api/token/', asUser(dave, ip))).status).toBe(200);
  });

  it('applies the model request limit to Midjourney, Suno and realtime requests, in their protocols', async () => {
    await setOption(admin, 'ModelRequestRateLimitDurationMinutes', '1');
    await setOption(admin, 'ModelRequestRateLimitSuccessCount', '1000');
    await setOption(admin, 'ModelRequestRateLimitCount', '2');
    await setOption(admin, 'ModelRequestRateLimitEnabled', 'true');
    try {
      const mjKey = await keyOf(await newUser());
      for (let i = 0; i < 2; i++) {
        const reply = await request('POST', '/mj/submit/imagine', { authorization: `Bearer ${mjKey}` }, { prompt: `fox ${i}` });
        expect(((await reply.json()) as { code: number }).code).toBe(1);
      }
      const mjRefused = await expect429(await request('POST', '/mj/submit/imagine', { authorization: `Bearer ${mjKey}` }, { prompt: 'fox' }));
      expect(mjRefused).toMatchObject({ code: 4, description: expect.stringContaining('at most 2 requests per minute') as string });

      const sunoKey = await keyOf(await newUser());
      for (let i = 0; i < 2; i++) expect((await request('POST', '/suno/submit/lyrics', { authorization: `Bearer ${sunoKey}` }, { prompt: `rain ${i}` })).status).toBe(200);
      const sunoRefused = await expect429(await request('POST', '/suno/submit/lyrics', { authorization: `Bearer ${sunoKey}` }, { prompt: 'rain' }));
      expect(sunoRefused).toMatchObject({ code: 'model-requests', data: null, message: expect.stringContaining('at most 2 requests') as string });

      // Realtime: no channel serves the model, but every attempt counts towards the total.
      const rtKey = await keyOf(await newUser());
      for (let i = 0; i < 2; i++) expect((await realtimeAttempt(api.baseUrl, rtKey)).status).toBe(404);
      const rtRefused = await realtimeAttempt(api.baseUrl, rtKey);
      expect(rtRefused.status).toBe(429);
      expect(Number(rtRefused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(rtRefused.body)).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate-limit/model-requests' } });

      // The success limit counts a Suno submit once its reply is sent.
      await setOption(admin, 'ModelRequestRateLimitCount', '0');
      await setOption(admin, 'ModelRequestRateLimitSuccessCount', '1');
      const successKey = await keyOf(await newUser());
      suno.behave({ submitStatus: 500 });
      expect((await request('POST', '/suno/submit/lyrics', { authorization: `Bearer ${successKey}` }, { prompt: 'x' })).status).toBe(502);
      suno.behave({});
      expect((await request('POST', '/suno/submit/lyrics', { authorization: `Bearer ${successKey}` }, { prompt: 'y' })).status).toBe(200);
      await sleep(100);
      const successRefused = await expect429(await request('POST', '/suno/submit/lyrics', { authorization: `Bearer ${successKey}` }, { prompt: 'z' }));
      expect(successRefused).toMatchObject({ code: 'model-successes', data: null });
    } finally {
      await setOption(admin, 'ModelRequestRateLimitEnabled', 'false');
    }
  });
});
