import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi, testDatabaseKind } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, LogRow, waitForLogs } from './relay-fixtures';

interface OpenAiErrorBody {
  error: { message: string; type: string; param: unknown; code: unknown };
}

interface PlaygroundLog extends LogRow {
  token_name: string;
  group: string;
  user_id: number;
}

/**
 * POST /pg/chat/completions: the console playground chats as the logged-in user (session cookie),
 * with no API key. The relay's whole path serves it; only the wallet pays, the log has token_id 0,
 * and the body's `group` picks a usable group without being forwarded upstream.
 */
describe(`playground /pg/chat/completions (${testDatabaseKind()})`, () => {
  let api: RunningApi;
  let root: ManagementClient;
  let user: ManagementClient;
  let userId: number;
  let fake: FakeOpenAi;

  // (12 prompt + 3 completion × 4) × 1.25 (gpt-4o) × 1 (group ratio) = 30
  const COST = 30;

  const pg = (who: ManagementClient | null, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.baseUrl}/pg/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(who?.authHeaders() ?? {}), ...headers },
      body: JSON.stringify(body),
    });

  const wallet = async () => {
    const [row] = await api.database.query<{ quota: number; used_quota: number; request_count: number }>(
      'SELECT quota, used_quota, request_count FROM users WHERE id = ?',
      [userId],
    );
    return { quota: Number(row.quota), used: Number(row.used_quota), requests: Number(row.request_count) };
  };

  const tokenRows = () =>
    api.database
      .query<{ id: number; remain_quota: number; used_quota: number }>('SELECT id, remain_quota, used_quota FROM tokens ORDER BY id')
      .then((rows) => rows.map((r) => ({ id: Number(r.id), remain: Number(r.remain_quota), used: Number(r.used_quota) })));

  const logsOfUser = (count: number) =>
    waitForLogs(root, 'type=2&username=pguser', (rows) => rows.length >= count) as Promise<PlaygroundLog[]>;

  async function expectRefusal(response: Response, status: number, message: RegExp): Promise<OpenAiErrorBody> {
    const body = (await response.json()) as OpenAiErrorBody;
    expect(response.status).toBe(status);
    expect(body.error).toEqual({ message: expect.stringMatching(message), type: expect.any(String), param: null, code: expect.any(String) });
    return body;
  }

  beforeAll(async () => {
    api = await startApi();
    fake = await startFakeOpenAi({ reply: 'hello from the playground', promptTokens: 12, completionTokens: 3, chunkSize: 5 });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o', group: 'default,vip,svip' });
    const created = await root.post('/api/user/', { username: 'pguser', password: 'pguser-password', display_name: 'PG' });
    expect(created.body.success).toBe(true);
    const found = await root.get<{ items: { id: number; username: string }[] }>('/api/user/search?keyword=pguser');
    userId = found.body.data!.items.find((u) => u.username === 'pguser')!.id;
    const update = await root.put('/api/user/', { id: userId, username: 'pguser', display_name: 'PG', quota: 1_000_000, group: 'default' });
    expect(update.body.success).toBe(true);
    user = await new ManagementClient(api.baseUrl).loginOrThrow('pguser', 'pguser-password');
    // A key of the user, which the playground must never touch.
    await createToken(user, { name: 'untouched', unlimited_quota: false, remain_quota: 5000 });
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.close();
  });

  it('refuses a request without a session (401, OpenAI shape), even with an API key', async () => {
    await expectRefusal(await pg(null, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }), 401, /Not logged in/);
    const key = await createToken(user, { name: 'not-for-pg' });
    await expectRefusal(
      await pg(null, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${key.key}` }),
      401,
      /access token|New-Api-User/,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('answers a non-stream chat in a chosen usable group, billed to the wallet alone, without forwarding `group`', async () => {
    const tokensBefore = await tokenRows();
    const before = await wallet();
    const response = await pg(user, { model: 'gpt-4o', group: 'vip', temperature: 0.3, messages: [{ role: 'user', content: 'hi there' }] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0].message.content).toBe('hello from the playground');

    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body).not.toHaveProperty('group');
    expect(sent.rawBody).not.toContain('"group"');
    expect(sent.body).toMatchObject({ model: 'gpt-4o', temperature: 0.3, messages: [{ role: 'user', content: 'hi there' }] });
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-secret');

    const [log] = await logsOfUser(1);
    expect(log).toMatchObject({ token_id: 0, token_name: 'playground-vip', group: 'vip', model_name: 'gpt-4o', is_stream: false, user_id: userId });
    expect(log.quota).toBe(COST);
    expect(JSON.parse(log.other)).toMatchObject({ request_path: '/pg/chat/completions' });
    const after = await wallet();
    expect(before.quota - after.quota).toBe(log.quota);
    expect(after.used - before.used).toBe(log.quota);
    expect(after.requests - before.requests).toBe(1);
    expect(await tokenRows()).toEqual(tokensBefore);
  });

  it('streams a chat in the user’s own group by default', async () => {
    const tokensBefore = await tokenRows();
    const before = await wallet();
    const response = await pg(user, { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'stream please' }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const pieces = text
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
      .map((line) => (JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '');
    expect(pieces.join('')).toBe('hello from the playground');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect(fake.requests.at(-1)!.body).not.toHaveProperty('group');

    const rows = await logsOfUser(2);
    const log = rows.find((r) => r.is_stream)!;
    expect(log).toMatchObject({ token_id: 0, token_name: 'playground-default', group: 'default' });
    expect(log.quota).toBe(COST);
    const after = await wallet();
    expect(before.quota - after.quota).toBe(log.quota);
    expect(await tokenRows()).toEqual(tokensBefore);
  });

  it('debits the wallet exactly by the logged quota under concurrent requests, touching no token', async () => {
    const tokensBefore = await tokenRows();
    const before = await wallet();
    const logsBefore = (await logsOfUser(2)).length;
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        pg(user, { model: 'gpt-4o', stream: i % 2 === 0, group: i % 3 === 0 ? 'vip' : undefined, messages: [{ role: 'user', content: `n${i}` }] }).then(
          async (r) => {
            await r.arrayBuffer();
            return r.status;
          },
        ),
      ),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    const rows = await logsOfUser(logsBefore + 16);
    expect(rows).toHaveLength(logsBefore + 16);
    const fresh = rows.slice(0, 16);
    expect(fresh.every((r) => r.token_id === 0 && r.quota === COST)).toBe(true);
    const after = await wallet();
    expect(before.quota - after.quota).toBe(16 * COST);
    expect(after.used - before.used).toBe(16 * COST);
    expect(after.requests - before.requests).toBe(16);
    expect(await tokenRows()).toEqual(tokensBefore);
  });

  it('refuses a group the user may not use with 403, before anything is forwarded or charged', async () => {
    const forwarded = fake.requests.length;
    const before = await wallet();
    // svip has a group ratio but is not in UserUsableGroups.
    const body = await expectRefusal(await pg(user, { model: 'gpt-4o', group: 'svip', messages: [{ role: 'user', content: 'hi' }] }), 403, /svip/);
    expect(body.error.type).toBe('permission_error');
    expect(body.error.code).toBe('auth/group-not-usable');
    await expectRefusal(await pg(user, { model: 'gpt-4o', group: 42, messages: [{ role: 'user', content: 'hi' }] }), 400, /group must be a string/);
    expect(fake.requests.length).toBe(forwarded);
    expect(await wallet()).toEqual(before);
  });

  it('accepts a management access token with New-Api-User, as the other user routes do', async () => {
    const generated = await user.get<string>('/api/user/token');
    expect(generated.body.success).toBe(true);
    const byToken = new ManagementClient(api.baseUrl).useAccessToken(generated.body.data!, userId);
    const logged = (await logsOfUser(1)).length;
    const before = await wallet();
    const response = await pg(byToken, { model: 'gpt-4o', messages: [{ role: 'user', content: 'by token' }] });
    expect(response.status).toBe(200);
    const rows = await logsOfUser(logged + 1);
    expect(rows).toHaveLength(logged + 1);
    expect(rows[0]).toMatchObject({ token_id: 0, token_name: 'playground-default', quota: COST });
    expect(before.quota - (await wallet()).quota).toBe(COST);
    // The access token needs its New-Api-User header, as on the other user routes.
    await expectRefusal(
      await pg(null, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { authorization: generated.body.data! }),
      401,
      /New-Api-User/,
    );
  });

  it('applies no API-key rule but still needs the model in the group', async () => {
    await expectRefusal(await pg(user, { model: 'gpt-unknown', messages: [{ role: 'user', content: 'hi' }] }), 404, /gpt-unknown/);
  });
});
