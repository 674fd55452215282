import { randomBytes } from 'node:crypto';
import { FAKE_PNG, FakeMidjourney, FakeSuno, HttpForwardProxy, startFakeMidjourney, startFakeSuno, startHttpForwardProxy } from '@your-api/testing';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, setOption, waitFor } from './relay-fixtures';

/**
 * How async tasks reach their upstreams: submits, polls and the MJ image proxy through the
 * channel's proxy (setting.proxy), keys picked like the relay's (multi-key polling and random
 * modes, disabled keys skipped), and the refund of a failed Suno task that gives the paying API
 * key its quota back too (tasks.private_data), exactly once while two processes poll.
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const QPU = 500_000;
const POLL_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function insertUser(db: TestDatabase, username: string, quota: number): Promise<{ id: number; accessToken: string }> {
  const accessToken = randomBytes(16).toString('hex');
  await db.query(
    `INSERT INTO users (username, password, display_name, role, status, access_token, quota, ${quoted('group')}) VALUES (?, ?, ?, 1, 1, ?, ?, 'default')`,
    [username, 'not-a-login-password', username, accessToken, quota],
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return { id: Number(row.id), accessToken };
}

async function call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe(`async task upstreams: proxy, multi-key, key refunds (${kind})`, () => {
  let api: RunningApi;
  let second: RunningApi | null = null;
  let root: ManagementClient;
  let proxy: HttpForwardProxy;
  let mj: FakeMidjourney;
  let sunoMulti: FakeSuno;
  let suno: FakeSuno;
  let user: { id: number; client: ManagementClient };

  const submit = (path: string, key: string, body: unknown) => call('POST', `${api.baseUrl}${path}`, { authorization: `Bearer ${key}` }, body);
  const keyOf = (headers: Record<string, string | string[] | undefined>) => String(headers.authorization ?? '').replace(/^Bearer /, '');
  const proxied = (fakeUrl: string) => proxy.requests.filter((r) => r.target === new URL(fakeUrl).host || r.target.startsWith(fakeUrl)).length;

  beforeAll(async () => {
    proxy = await startHttpForwardProxy();
    mj = await startFakeMidjourney('mj-proxied-secret');
    sunoMulti = await startFakeSuno(['multi-k1', 'multi-k2', 'multi-k3']);
    suno = await startFakeSuno('suno-refund-secret');
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false', TASK_POLL_INTERVAL_MS: String(POLL_MS), SYNC_FREQUENCY: '1' }, keepDatabase: true });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await setOption(root, 'ServerAddress', api.baseUrl);
    const inserted = await insertUser(api.database, 'tasker', 100 * QPU);
    user = { id: inserted.id, client: new ManagementClient(api.baseUrl).useAccessToken(inserted.accessToken, inserted.id) };
  });

  afterAll(async () => {
    await second?.stop();
    await api?.stop();
    await api?.database.drop();
    await mj?.close();
    await sunoMulti?.close();
    await suno?.close();
    await proxy?.close();
  });

  it("sends MJ submits, polls and image fetches through the channel's proxy, never around it", async () => {
    await createChannel(root, {
      name: 'mj via proxy',
      type: 2,
      key: 'mj-proxied-secret',
      base_url: mj.url,
      models: 'mj_imagine',
      setting: JSON.stringify({ proxy: proxy.url }),
    });
    const key = (await createToken(user.client, { name: 'mj key' })).key;
    const reply = await waitFor(
      () => submit('/mj/submit/imagine', key, { prompt: 'a fox' }),
      (r) => r.status === 200,
    );
    expect(reply.body).toMatchObject({ code: 1 });
    const id = String(reply.body.result);
    expect(mj.requests.find((r) => r.path === '/mj/submit/imagine')?.headers['mj-api-secret']).toBe('mj-proxied-secret');
    expect(proxied(mj.url)).toBeGreaterThanOrEqual(1);

    // The proxy refuses: the poll cannot reach the upstream, so the finished task stays unfinished.
    proxy.refuseWith = 403;
    proxy.dropConnections();
    mj.setTask(id, { status: 'SUCCESS', progress: '100%', imageUrl: true });
    await sleep(6 * POLL_MS);
    const [stuck] = await api.database.query<{ status: string }>('SELECT status FROM midjourneys WHERE mj_id = ?', [id]);
    expect(stuck.status).toBe('SUBMITTED');
    proxy.refuseWith = 0;
    await waitFor(async () => (await api.database.query<{ status: string }>('SELECT status FROM midjourneys WHERE mj_id = ?', [id]))[0], (row) => row.status === 'SUCCESS');

    // The image proxy goes through the channel's proxy too.
    proxy.refuseWith = 403;
    proxy.dropConnections();
    const refused = await fetch(`${api.baseUrl}/mj/image/${id}`);
    expect(refused.status).toBe(502);
    proxy.refuseWith = 0;
    const before = proxied(mj.url);
    const image = await fetch(`${api.baseUrl}/mj/image/${id}`);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(FAKE_PNG);
    expect(proxied(mj.url)).toBeGreaterThan(before);
  });

  it('picks multi-key channel keys for submits and polls: polling round robin and random, disabled keys skipped', async () => {
    const created = await root.post<{ id: number }[]>('/api/channel/', {
      mode: 'multi_to_single',
      multi_key_mode: 'polling',
      channel: { type: 36, name: 'suno multi', key: 'multi-k1\nmulti-k2\nmulti-k3', models: 'suno_lyrics', group: 'default', base_url: sunoMulti.url },
    });
    expect(created.body.success).toBe(true);
    const channelId = created.body.data![0].id;
    const key = (await createToken(user.client, { name: 'multi key' })).key;
    const submits = () => sunoMulti.requests.filter((r) => r.path.startsWith('/suno/submit/')).map((r) => keyOf(r.headers));

    await waitFor(() => submit('/suno/submit/lyrics', key, { prompt: 'warm-up' }), (r) => r.status === 200);
    // Polling mode: every key in turn (polls share the rotation, so only the set and the spread are certain).
    for (let i = 0; i < 5; i++) expect((await submit('/suno/submit/lyrics', key, { prompt: `song ${i}` })).status).toBe(200);
    expect(new Set(submits())).toEqual(new Set(['multi-k1', 'multi-k2', 'multi-k3']));

    // Key 2 disabled (as the relay's auto-disable stores it), random mode: never used again, by submits or polls.
    const [row] = await api.database.query<{ channel_info: string }>('SELECT channel_info FROM channels WHERE id = ?', [channelId]);
    const info = { ...(JSON.parse(row.channel_info) as Record<string, unknown>), multi_key_mode: 'random', multi_key_status_list: { '1': 3 } };
    await api.database.query('UPDATE channels SET channel_info = ? WHERE id = ?', [JSON.stringify(info), channelId]);
    await sleep(2_500); // SYNC_FREQUENCY=1: the routing index reloads the channel
    const seen = sunoMulti.requests.length;
    for (let i = 0; i < 12; i++) expect((await submit('/suno/submit/lyrics', key, { prompt: `random ${i}` })).status).toBe(200);
    await sleep(6 * POLL_MS);
    const later = sunoMulti.requests.slice(seen);
    const laterSubmits = later.filter((r) => r.path.startsWith('/suno/submit/')).map((r) => keyOf(r.headers));
    const laterPolls = later.filter((r) => r.path === '/suno/fetch').map((r) => keyOf(r.headers));
    expect(laterSubmits).toHaveLength(12);
    expect(new Set(laterSubmits)).toEqual(new Set(['multi-k1', 'multi-k3']));
    expect(laterPolls.length).toBeGreaterThan(0);
    expect(laterPolls.every((k) => k === 'multi-k1' || k === 'multi-k3')).toBe(true);

    // Every key disabled: the submit is refused before any charge, Suno-shaped.
    const dead = { ...info, multi_key_status_list: { '0': 3, '1': 3, '2': 3 } };
    await api.database.query('UPDATE channels SET channel_info = ? WHERE id = ?', [JSON.stringify(dead), channelId]);
    await sleep(2_500);
    const [{ quota: before }] = await api.database.query<{ quota: number }>('SELECT quota FROM users WHERE id = ?', [user.id]);
    const refused = await submit('/suno/submit/lyrics', key, { prompt: 'nothing left' });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'channel:no_available_key', data: null });
    const [{ quota: after }] = await api.database.query<{ quota: number }>('SELECT quota FROM users WHERE id = ?', [user.id]);
    expect(Number(after)).toBe(Number(before));
    await root.put('/api/channel/', { id: channelId, status: 2 });
  });

  it("refunds a failed Suno task to the wallet and to the paying key, once, while two processes poll; private_data stays private", async () => {
    await createChannel(root, { name: 'suno refund', type: 36, key: 'suno-refund-secret', base_url: suno.url, models: 'suno_music' });
    const payer = await insertUser(api.database, 'payer', 10 * QPU);
    const client = new ManagementClient(api.baseUrl).useAccessToken(payer.accessToken, payer.id);
    const token = await createToken(client, { name: 'limited', remain_quota: 2 * QPU, unlimited_quota: false });
    const tokenId = token.id;
    const balances = async () => {
      const [u] = await api.database.query<{ quota: number }>('SELECT quota FROM users WHERE id = ?', [payer.id]);
      const [t] = await api.database.query<{ remain_quota: number; used_quota: number }>('SELECT remain_quota, used_quota FROM tokens WHERE id = ?', [tokenId]);
      return { user: Number(u.quota), remain: Number(t.remain_quota), used: Number(t.used_quota) };
    };

    const reply = await waitFor(() => submit('/suno/submit/music', token.key, { prompt: 'doomed song' }), (r) => r.status === 200);
    const taskId = String(reply.body.data);
    expect(await balances()).toEqual({ user: 10 * QPU - 0.1 * QPU, remain: 2 * QPU - 0.1 * QPU, used: 0.1 * QPU });
    const [task] = await api.database.query<{ private_data: string }>('SELECT private_data FROM tasks WHERE task_id = ?', [taskId]);
    expect(JSON.parse(task.private_data)).toEqual({ billing_source: 'wallet', token_id: Number(tokenId) });

    second = await startApi({ database: api.database, keepDatabase: true, env: { BATCH_UPDATE_ENABLED: 'false', TASK_POLL_INTERVAL_MS: String(POLL_MS) } });
    suno.setTask(taskId, { status: 'FAILURE', fail_reason: 'generation failed' });
    await waitFor(async () => (await api.database.query<{ status: string }>('SELECT status FROM tasks WHERE task_id = ?', [taskId]))[0], (row) => row.status === 'FAILURE');
    await sleep(8 * POLL_MS); // both processes keep seeing the same failure
    expect(await balances()).toEqual({ user: 10 * QPU, remain: 2 * QPU, used: 0 });
    const refunds = await api.database.query<{ quota: number; token_id: number }>('SELECT quota, token_id FROM logs WHERE user_id = ? AND type = 6', [payer.id]);
    expect(refunds.map((r) => [Number(r.quota), Number(r.token_id)])).toEqual([[0.1 * QPU, Number(tokenId)]]);
    await second.stop();
    second = null;

    // Neither the user's nor the admin's task list shows private_data.
    const own = await client.get<{ items: Array<Record<string, unknown>> }>('/api/task/self?p=1&page_size=100');
    const all = await root.get<{ items: Array<Record<string, unknown>> }>('/api/task?p=1&page_size=100');
    expect(own.body.data!.items.find((t) => t.task_id === taskId)).toBeDefined();
    for (const item of [...own.body.data!.items, ...all.body.data!.items]) expect(item).not.toHaveProperty('private_data');
  });
});
