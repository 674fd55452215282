import { randomBytes } from 'node:crypto';
import { connect, createServer, Server, Socket } from 'node:net';
import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { freePort, RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, setOption, waitFor } from './relay-fixtures';
import { requireRedis, TEST_REDIS_URL } from './redis-fixture';

/**
 * Cache invalidation across nodes. Every node runs with SYNC_FREQUENCY=3600, so its periodic
 * reloads cannot explain a change showing up within a second: only the Redis bus can. Node A is the
 * master; B is a slave on the same database, connected to Redis through a TCP link the tests can
 * cut; C is a slave on the same database without Redis, the control that keeps its stale caches.
 *
 * Needs a real Redis at TEST_TEST_REDIS_URL (default redis://127.0.0.1:6379); the suite fails when
 * it is unreachable.
 */
/** How fast a change must reach the other node. */
const PROPAGATION_MS = 1_000;

/** A TCP link to Redis that a test can cut (existing and new connections dropped) and restore. */
interface RedisLink {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

async function startRedisLink(targetUrl: string): Promise<RedisLink> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut: () => {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore: () => {
      open = true;
    },
    close: async () => {
      open = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const modelsWith = (api: RunningApi, key: string) => fetch(`${api.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });

async function modelIds(api: RunningApi, key: string): Promise<string[]> {
  const response = await modelsWith(api, key);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string }[] }).data.map((m) => m.id);
}

async function systemName(api: RunningApi): Promise<string> {
  const response = await fetch(`${api.baseUrl}/api/status`);
  return ((await response.json()) as { data: { system_name: string } }).data.system_name;
}

const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

describe('cache invalidation across nodes (Redis pub/sub)', () => {
  let fake: FakeOpenAi;
  let link: RedisLink;
  let a: RunningApi;
  let b: RunningApi;
  let c: RunningApi;
  let rootA: ManagementClient;
  let rootKey: string;

  beforeAll(async () => {
    await requireRedis(TEST_REDIS_URL);
    fake = await startFakeOpenAi({ reply: 'from the fake upstream' });
    link = await startRedisLink(TEST_REDIS_URL);
    // A prefix of its own, so parallel runs sharing the Redis do not hear each other.
    const shared = { SYNC_FREQUENCY: '3600', REDIS_KEY_PREFIX: unique('your-api-e2e'), BATCH_UPDATE_ENABLED: 'false' };
    a = await startApi({ env: { ...shared, REDIS_CONN_STRING: TEST_REDIS_URL } });
    rootA = await new ManagementClient(a.baseUrl).loginOrThrow('root', '123456');
    await createChannel(rootA, { base_url: fake.url, models: 'gpt-4o' });
    rootKey = (await createToken(rootA, { name: 'root relay key' })).key;
    // Slaves on A's database: they skip migrations and root creation, and must not drop it on stop.
    [b, c] = await Promise.all([
      startApi({ database: a.database, keepDatabase: true, env: { ...shared, NODE_TYPE: 'slave', REDIS_CONN_STRING: link.url } }),
      startApi({ database: a.database, keepDatabase: true, env: { ...shared, NODE_TYPE: 'slave' } }),
    ]);
  });

  afterAll(async () => {
    await c?.stop();
    await b?.stop();
    await a?.stop();
    await link?.close();
    await fake?.close();
  });

  it('starts B subscribed to Redis and C in-process only', () => {
    expect(b.output()).toMatch(/cache invalidation shared through Redis/);
    expect(c.output()).toMatch(/REDIS_CONN_STRING is not set: cache invalidation is in-process only/);
  });

  it('a token disabled on A is refused by B within a second', async () => {
    const token = await createToken(rootA, { name: unique('token') });
    // B and C cache the enabled token.
    expect((await modelsWith(b, token.key)).status).toBe(200);
    expect((await modelsWith(c, token.key)).status).toBe(200);
    const update = await rootA.put('/api/token/?status_only=true', { id: token.id, status: 2 });
    expect(update.body.success).toBe(true);
    await waitFor(() => modelsWith(b, token.key).then((r) => r.status), (status) => status === 401, PROPAGATION_MS);
    // The control node, without Redis, still serves its cached copy: B's refusal came from the bus.
    expect((await modelsWith(c, token.key)).status).toBe(200);
  });

  it('a token deleted on A is refused by B within a second', async () => {
    const token = await createToken(rootA, { name: unique('token') });
    expect((await modelsWith(b, token.key)).status).toBe(200);
    const removed = await rootA.delete(`/api/token/${token.id}`);
    expect(removed.body.success).toBe(true);
    await waitFor(() => modelsWith(b, token.key).then((r) => r.status), (status) => status === 401, PROPAGATION_MS);
  });

  it('an option changed on A shows on B\'s /api/status', async () => {
    const before = await systemName(b);
    const name = unique('Cache Test Site');
    await setOption(rootA, 'SystemName', name);
    expect(await systemName(a)).toBe(name);
    await waitFor(() => systemName(b), (value) => value === name, PROPAGATION_MS);
    expect(await systemName(c)).toBe(before);
  });

  it('a user disabled on A loses their session, access token and API keys on B', async () => {
    const username = unique('u').slice(0, 12);
    const created = await rootA.post<{ id: number }>('/api/user/', { username, password: 'user-password', display_name: 'Cache user' });
    expect(created.body.success).toBe(true);
    const userId = created.body.data!.id;
    const onA = await new ManagementClient(a.baseUrl).loginOrThrow(username, 'user-password');
    const key = (await createToken(onA, { name: 'user key' })).key;
    const accessToken = (await onA.get<string>('/api/user/token')).body.data!;
    // B caches the user through the session (shared SESSION_SECRET) and through the API key.
    const sessionOnB = await new ManagementClient(b.baseUrl).loginOrThrow(username, 'user-password');
    const accessOnB = new ManagementClient(b.baseUrl).useAccessToken(accessToken, userId);
    const sessionOnC = await new ManagementClient(c.baseUrl).loginOrThrow(username, 'user-password');
    expect((await sessionOnB.get('/api/user/self')).status).toBe(200);
    expect((await accessOnB.get('/api/user/self')).status).toBe(200);
    expect((await sessionOnC.get('/api/user/self')).status).toBe(200);
    expect((await modelsWith(b, key)).status).toBe(200);

    const disabled = await rootA.post('/api/user/manage', { id: userId, action: 'disable' });
    expect(disabled.body.success).toBe(true);

    await waitFor(() => sessionOnB.get('/api/user/self').then((r) => r.status), (status) => status === 403, PROPAGATION_MS);
    expect((await accessOnB.get('/api/user/self')).status).toBe(403);
    const relay = await modelsWith(b, key);
    expect(relay.status).toBe(403);
    expect(((await relay.json()) as { error: { message: string } }).error.message).toMatch(/disabled/);
    // Without Redis, C still trusts its cached user.
    expect((await sessionOnC.get('/api/user/self')).status).toBe(200);
  });

  it('a channel added, disabled or enabled on A is routed accordingly by B within a second', async () => {
    // A priced model (unpriced ones are refused before routing) that no channel served so far.
    const model = 'gpt-4o-mini';
    expect(await modelIds(b, rootKey)).not.toContain(model);
    const channelId = await createChannel(rootA, { base_url: fake.url, models: model, name: unique('channel') });
    await waitFor(() => modelIds(b, rootKey), (ids) => ids.includes(model), PROPAGATION_MS);
    expect(await modelIds(c, rootKey)).not.toContain(model);

    const disabled = await rootA.put('/api/channel/', { id: channelId, status: 2 });
    expect(disabled.body.success).toBe(true);
    await waitFor(() => modelIds(b, rootKey), (ids) => !ids.includes(model), PROPAGATION_MS);
    const enabled = await rootA.put('/api/channel/', { id: channelId, status: 1 });
    expect(enabled.body.success).toBe(true);
    await waitFor(() => modelIds(b, rootKey), (ids) => ids.includes(model), PROPAGATION_MS);

    // Last: on SQLite shared by several processes, the billing writes B makes after this request can make
    // A's next channel transaction fail with "database is locked" (TypeORM's deferred BEGIN cannot wait).
    const seen = fake.requests.length;
    const response = await fetch(`${b.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${rootKey}` },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content).toBe('from the fake upstream');
    expect(fake.requests.slice(seen).map((r) => r.body.model)).toContain(model);
  });

  it('keeps serving while its Redis link is down, then catches up when it returns', async () => {
    const token = await createToken(rootA, { name: unique('token') });
    const other = await createToken(rootA, { name: unique('token') });
    expect((await modelsWith(b, token.key)).status).toBe(200);
    expect((await modelsWith(b, other.key)).status).toBe(200);

    link.cut();
    await waitFor(async () => b.output(), (output) => /Redis subscriber connection to .* lost/.test(output), 5_000);
    const update = await rootA.put('/api/token/?status_only=true', { id: token.id, status: 2 });
    expect(update.body.success).toBe(true);
    // B missed the message but still answers from memory: management, relay and the stale token alike.
    expect((await fetch(`${b.baseUrl}/api/status`)).status).toBe(200);
    expect((await modelsWith(b, other.key)).status).toBe(200);
    expect((await modelsWith(b, token.key)).status).toBe(200);

    link.restore();
    // Reconnect (back-off at most 2 s), resubscribe, and drop everything cached while cut off.
    await waitFor(() => modelsWith(b, token.key).then((r) => r.status), (status) => status === 401, 10_000);
    expect(b.output()).toMatch(/resubscribed to cache invalidations/);
    expect((await modelsWith(b, other.key)).status).toBe(200);
  });
});

describe('cache invalidation on a single node', () => {
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ reply: 'single node' });
  });

  afterAll(async () => {
    await fake?.close();
  });

  /** Each change must be visible on the very next request: no waiting. */
  async function expectImmediateInvalidation(api: RunningApi): Promise<void> {
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o' });
    const token = await createToken(root, { name: 'single node key' });
    expect((await modelsWith(api, token.key)).status).toBe(200);
    expect((await root.put('/api/token/?status_only=true', { id: token.id, status: 2 })).body.success).toBe(true);
    expect((await modelsWith(api, token.key)).status).toBe(401);

    const name = unique('Single Node');
    await setOption(root, 'SystemName', name);
    expect(await systemName(api)).toBe(name);

    const username = unique('s').slice(0, 12);
    const created = await root.post<{ id: number }>('/api/user/', { username, password: 'user-password' });
    const user = await new ManagementClient(api.baseUrl).loginOrThrow(username, 'user-password');
    const userKey = (await createToken(user, { name: 'user key' })).key;
    expect((await user.get('/api/user/self')).status).toBe(200);
    expect((await modelsWith(api, userKey)).status).toBe(200);
    expect((await root.post('/api/user/manage', { id: created.body.data!.id, action: 'disable' })).body.success).toBe(true);
    expect((await user.get('/api/user/self')).status).toBe(403);
    expect((await modelsWith(api, userKey)).status).toBe(403);

    const rootKey = (await createToken(root, { name: 'root key' })).key;
    const model = unique('single-model');
    expect(await modelIds(api, rootKey)).not.toContain(model);
    await createChannel(root, { base_url: fake.url, models: model });
    // The routing index rebuilds asynchronously after the write; it is a local rebuild, not a sync.
    await waitFor(() => modelIds(api, rootKey), (ids) => ids.includes(model), 500);
  }

  it('without REDIS_CONN_STRING, every change applies at once', async () => {
    const api = await startApi({ env: { SYNC_FREQUENCY: '3600' } });
    try {
      expect(api.output()).toMatch(/REDIS_CONN_STRING is not set/);
      await expectImmediateInvalidation(api);
    } finally {
      await api.stop();
    }
  });

  it('with an unreachable Redis, it warns at start and still applies every change at once', async () => {
    const closedPort = await freePort();
    const api = await startApi({ env: { SYNC_FREQUENCY: '3600', REDIS_CONN_STRING: `redis://127.0.0.1:${closedPort}` } });
    try {
      expect(api.output()).toMatch(new RegExp(`WARN.*Redis at redis://127\\.0\\.0\\.1:${closedPort} cannot be reached \\(connect ECONNREFUSED`));
      await expectImmediateInvalidation(api);
    } finally {
      await api.stop();
    }
  });
});
