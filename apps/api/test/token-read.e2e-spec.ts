import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, waitForLogs } from './relay-fixtures';

interface Envelope<T> {
  success: boolean;
  message: string;
  data?: T;
}
interface KeyLog {
  id: number;
  token_id: number;
  token_name: string;
  model_name: string;
  user_id: number;
  channel?: unknown;
  other: string;
}

/** The token-key read routes (GET /api/log/token, GET /api/usage/token/) and the admin self-test. */
describe('token-key read routes', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let reader: ManagementClient;
  let fake: FakeOpenAi;
  let rootKey: { id: number; key: string };
  let readerKey: { id: number; key: string };

  const chat = (key: string) =>
    fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
  const read = async <T>(path: string, authorization?: string) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      headers: { origin: 'https://elsewhere.example', ...(authorization ? { authorization } : {}) },
    });
    return { response, body: (await response.json()) as Envelope<T> };
  };

  beforeAll(async () => {
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    fake = await startFakeOpenAi({ reply: 'ok' });
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o' });
    expect((await root.post('/api/user/', { username: 'reader', password: 'reader-password', display_name: 'Reader' })).body.success).toBe(true);
    const found = await root.get<{ items: { id: number; username: string }[] }>('/api/user/search?keyword=reader');
    const readerId = found.body.data!.items.find((u) => u.username === 'reader')!.id;
    expect((await root.put('/api/user/', { id: readerId, username: 'reader', display_name: 'Reader', quota: 1_000_000, group: 'default' })).body.success).toBe(true);
    reader = await new ManagementClient(api.baseUrl).loginOrThrow('reader', 'reader-password');
    rootKey = await createToken(root, { name: 'root key' });
    readerKey = await createToken(reader, { name: 'reader key', unlimited_quota: false, remain_quota: 500_000 });
    for (const key of [rootKey.key, rootKey.key, readerKey.key]) expect((await chat(key)).status).toBe(200);
    await waitForLogs(root, 'type=2', (rows) => rows.length >= 3);
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.close();
  });

  it('answers the logs of the key, newest first, with CORS for any origin and no channel details', async () => {
    const { response, body } = await read<{ items: KeyLog[]; total: number }>('/api/log/token', `Bearer ${rootKey.key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(body.success).toBe(true);
    const items = body.data!.items;
    expect(items).toHaveLength(2);
    expect(body.data!.total).toBe(2);
    expect(items.every((row) => row.token_id === rootKey.id && row.token_name === 'root key' && row.model_name === 'gpt-4o')).toBe(true);
    expect(items[0].id).toBeGreaterThan(items[1].id);
    expect(items[0]).not.toHaveProperty('channel');
    expect(JSON.stringify(body)).not.toContain(fake.url);
  });

  it('answers the browser preflight for any origin', async () => {
    const response = await fetch(`${api.baseUrl}/api/log/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });

  it('accepts the key without the sk- prefix and shows another user only its own rows', async () => {
    const { body } = await read<{ items: KeyLog[] }>('/api/log/token', readerKey.key.replace(/^sk-/, ''));
    expect(body.success).toBe(true);
    expect(body.data!.items).toHaveLength(1);
    expect(body.data!.items[0].token_id).toBe(readerKey.id);
  });

  it('answers the usage summary of the key', async () => {
    const { response, body } = await read<Record<string, unknown>>('/api/usage/token/', `Bearer ${readerKey.key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const data = body.data!;
    expect(data).toMatchObject({ object: 'token_usage', name: 'reader key', unlimited_quota: false, expires_at: 0 });
    expect(data.total_used).toBeGreaterThan(0);
    expect(data.total_available).toBe(500_000 - (data.total_used as number));
    expect(data.total_granted).toBe(500_000);
  });

  it('refuses a missing, unknown or disabled key', async () => {
    const missing = await read('/api/log/token');
    expect(missing.response.status).toBe(401);
    expect(missing.body).toMatchObject({ success: false, message: expect.stringMatching(/No API key/) });
    const unknown = await read('/api/usage/token/', 'Bearer sk-doesnotexist000000000000000000000000000000000');
    expect(unknown.response.status).toBe(401);
    expect(unknown.response.headers.get('access-control-allow-origin')).toBe('*');
    expect(unknown.body).toMatchObject({ success: false, message: expect.stringMatching(/Invalid API key/) });
    const disabled = await createToken(reader, { name: 'off' });
    expect((await reader.put('/api/token/?status_only=true', { id: disabled.id, status: 2 })).body.success).toBe(true);
    const refused = await read('/api/log/token', `Bearer ${disabled.key}`);
    expect(refused.response.status).toBe(401);
    expect(refused.body).toMatchObject({ success: false, message: expect.stringMatching(/not enabled/) });
  });

  it('runs the self-test for admins only', async () => {
    const asAdmin = await root.get<{ database: boolean; options: boolean }>('/api/status/test');
    expect(asAdmin.body).toMatchObject({ success: true, data: { database: true, options: true } });
    const asUser = await reader.get('/api/status/test');
    expect(asUser.body.success).toBe(false);
    expect(asUser.status).toBe(403);
  });
});
