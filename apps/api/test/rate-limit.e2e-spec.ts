import { randomBytes } from 'node:crypto';
import { connect, createServer, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { freePort, RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, setOption } from './relay-fixtures';
import { requireRedis, TEST_REDIS_URL } from './redis-fixture';

/**
 * Rate limits: per-IP limits on /api (global and critical), the per-user model request limit on
 * the relay, in memory and shared through Redis by two API processes.
 *
 * Client IPs are told apart with X-Forwarded-For: the harness connects from loopback, which
 * TRUSTED_PROXIES trusts by default. The Redis part needs a real Redis at TEST_TEST_REDIS_URL
 * (default redis://127.0.0.1:6379) and fails when it is unreachable.
 */

const from = (ip: string) => ({ 'x-forwarded-for': ip });

const status = (api: RunningApi, ip: string) => fetch(`${api.baseUrl}/api/status`, { headers: from(ip) });

const login = (api: RunningApi, ip: string) =>
  fetch(`${api.baseUrl}/api/user/login`, {
    method: 'POST',
    headers: { ...from(ip), 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'root', password: 'wrong password' }),
  });

const chat = (api: RunningApi, key: string) =>
  fetch(`${api.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });

const claudeMessage = (api: RunningApi, key: string) =>
  fetch(`${api.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
  });

async function expectRefused(response: Response, maxRetryAfter: number): Promise<unknown> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  return response.json();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP relay to Redis that can be cut: open connections are dropped and new ones refused. */
async function startCuttableRedisLink(targetUrl: string): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    for (const socket of [client, upstream]) socket.on('error', () => undefined).on('close', () => (client.destroy(), upstream.destroy()));
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const cut = () => {
    open = false;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return { url: url.toString(), cut, close: async () => (cut(), await new Promise<void>((resolve) => server.close(() => resolve()))) };
}

describe('per-IP limits on /api (memory store)', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({
      env: {
        GLOBAL_API_RATE_LIMIT_ENABLE: 'true',
        GLOBAL_API_RATE_LIMIT: '6',
        GLOBAL_API_RATE_LIMIT_DURATION: '60',
        CRITICAL_RATE_LIMIT_ENABLE: 'true',
        CRITICAL_RATE_LIMIT: '2',
        CRITICAL_RATE_LIMIT_DURATION: '120',
      },
    });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('allows GLOBAL_API_RATE_LIMIT requests per IP per window, then answers 429 with Retry-After in the management envelope', async () => {
    for (let i = 0; i < 6; i++) expect((await status(api, '10.0.0.1')).status).toBe(200);
    const body = await expectRefused(await status(api, '10.0.0.1'), 60);
    expect(body).toEqual({ success: false, message: expect.stringMatching(/too many requests/i) });
    // Another client is not affected, and relay routes are not under the /api limit.
    expect((await status(api, '10.0.0.2')).status).toBe(200);
    const relay = await fetch(`${api.baseUrl}/v1/models`, { headers: from('10.0.0.1') });
    expect(relay.status).toBe(401);
  });

  it('limits sign-in attempts per IP with CRITICAL_RATE_LIMIT, leaving other routes to the global limit', async () => {
    for (let i = 0; i < 2; i++) {
      const attempt = await login(api, '10.0.1.1');
      expect(attempt.status).toBe(401);
      expect(((await attempt.json()) as { success: boolean }).success).toBe(false);
    }
    const body = await expectRefused(await login(api, '10.0.1.1'), 120);
    expect(body).toEqual({ success: false, message: expect.stringMatching(/too many attempts/i) });
    expect((await status(api, '10.0.1.1')).status).toBe(200);
    expect((await login(api, '10.0.1.2')).status).toBe(401);
  });
});

describe('per-user model request limit (memory store)', () => {
  let api: RunningApi;
  let fake: FakeOpenAi;
  let root: ManagementClient;
  let key: string;

  beforeAll(async () => {
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    fake = await startFakeOpenAi({ reply: 'ok' });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o' });
    key = (await createToken(root, { name: 'limited key' })).key;
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.close();
  });

  beforeEach(() => fake.behave({}));

  it('is off by default', async () => {
    for (let i = 0; i < 3; i++) expect((await chat(api, key)).status).toBe(200);
  });

  it('counts successful requests only against ModelRequestRateLimitSuccessCount and refuses in the caller protocol', async () => {
    await setOption(root, 'ModelRequestRateLimitSuccessCount', '2');
    await setOption(root, 'ModelRequestRateLimitDurationMinutes', '2');
    await setOption(root, 'ModelRequestRateLimitEnabled', 'true');
    fake.behave({ status: 500, errorMessage: 'upstream down' });
    for (let i = 0; i < 3; i++) expect((await chat(api, key)).status).toBeGreaterThanOrEqual(400);
    fake.behave({});
    // The failures did not count: two successes still fit.
    for (let i = 0; i < 2; i++) {
      expect((await chat(api, key)).status).toBe(200);
      await sleep(50);
    }
    const openai = (await expectRefused(await chat(api, key), 120)) as { error: { type: string; message: string } };
    expect(openai.error.type).toBe('rate_limit_error');
    expect(openai.error.message).toContain('at most 2 successful requests per 2 minutes');
    const claude = (await expectRefused(await claudeMessage(api, key), 120)) as { type: string; error: { type: string } };
    expect(claude).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('counts every request, failed ones included, against ModelRequestRateLimitCount', async () => {
    await setOption(root, 'ModelRequestRateLimitSuccessCount', '1000');
    await setOption(root, 'ModelRequestRateLimitCount', '2');
    fake.behave({ status: 500, errorMessage: 'upstream down' });
    for (let i = 0; i < 2; i++) expect((await chat(api, key)).status).not.toBe(429);
    const body = (await expectRefused(await chat(api, key), 120)) as { error: { message: string } };
    expect(body.error.message).toContain('at most 2 requests per 2 minutes, failed ones included');
  });

  it("applies the group's override from ModelRequestRateLimitGroup", async () => {
    await setOption(root, 'ModelRequestRateLimitGroup', JSON.stringify({ default: [100, 1000] }));
    expect((await chat(api, key)).status).toBe(200);
    await setOption(root, 'ModelRequestRateLimitGroup', JSON.stringify({ other: [100, 1000] }));
    expect((await chat(api, key)).status).toBe(429);
    await setOption(root, 'ModelRequestRateLimitEnabled', 'false');
    expect((await chat(api, key)).status).toBe(200);
  });
});

describe('limits shared through Redis by two API processes', () => {
  const prefix = `your-api-e2e-${randomBytes(4).toString('hex')}`;
  let fake: FakeOpenAi;
  let a: RunningApi;
  let b: RunningApi;
  let redis: Redis;

  beforeAll(async () => {
    await requireRedis(TEST_REDIS_URL);
    redis = new Redis(TEST_REDIS_URL);
    fake = await startFakeOpenAi({ reply: 'ok' });
    const shared = {
      REDIS_CONN_STRING: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      BATCH_UPDATE_ENABLED: 'false',
      GLOBAL_API_RATE_LIMIT_ENABLE: 'true',
      // Loopback (the harness and the root client) makes about ten /api calls in all.
      GLOBAL_API_RATE_LIMIT: '20',
      GLOBAL_API_RATE_LIMIT_DURATION: '60',
    };
    a = await startApi({ env: shared });
    // B is a slave on A's database, so the same user and key work on both.
    b = await startApi({ database: a.database, keepDatabase: true, env: { ...shared, NODE_TYPE: 'slave' } });
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await fake?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('counts one IP across both processes, under REDIS_KEY_PREFIX', async () => {
    for (let i = 0; i < 10; i++) for (const api of [a, b]) expect((await status(api, '10.0.2.1')).status).toBe(200);
    await expectRefused(await status(a, '10.0.2.1'), 60);
    await expectRefused(await status(b, '10.0.2.1'), 60);
    expect(await redis.zcard(`${prefix}:rate-limit:api:10.0.2.1`)).toBe(20);
  });

  it("counts a user's successful relay requests across both processes", async () => {
    const root = await new ManagementClient(a.baseUrl).loginOrThrow('root', '123456');
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o' });
    const key = (await createToken(root, { name: 'shared limit key' })).key;
    await setOption(root, 'ModelRequestRateLimitSuccessCount', '2');
    await setOption(root, 'ModelRequestRateLimitEnabled', 'true');
    // B hears of the option change through the Redis cache invalidation bus.
    await sleep(1_000);
    for (const api of [a, b]) {
      expect((await chat(api, key)).status).toBe(200);
      await sleep(100);
    }
    await expectRefused(await chat(a, key), 120);
    await expectRefused(await chat(b, key), 120);
    expect(await redis.zcard(`${prefix}:rate-limit:model-success:${root.userId}`)).toBe(2);
  });
});

describe('rate limits while Redis is unreachable', () => {
  let api: RunningApi;
  let link: Awaited<ReturnType<typeof startCuttableRedisLink>>;

  beforeAll(async () => {
    await requireRedis(TEST_REDIS_URL);
    link = await startCuttableRedisLink(TEST_REDIS_URL);
    api = await startApi({
      env: {
        REDIS_CONN_STRING: link.url,
        REDIS_KEY_PREFIX: `your-api-e2e-${randomBytes(4).toString('hex')}`,
        GLOBAL_API_RATE_LIMIT_ENABLE: 'true',
        GLOBAL_API_RATE_LIMIT: '3',
        GLOBAL_API_RATE_LIMIT_DURATION: '60',
      },
    });
  });

  afterAll(async () => {
    await api?.stop();
    await link?.close();
  });

  it("keeps serving and counts in the process's memory instead", async () => {
    expect(api.output()).toContain('rate limits are shared through Redis');
    link.cut();
    await sleep(200);
    for (let i = 0; i < 3; i++) expect((await status(api, '10.0.3.1')).status).toBe(200);
    await expectRefused(await status(api, '10.0.3.1'), 60);
    expect(api.output()).toMatch(/Redis unreachable for rate limits/);
  });
});
