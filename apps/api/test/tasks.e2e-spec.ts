import { randomBytes } from 'node:crypto';
import { FAKE_PNG, FakeMidjourney, FakeSuno, startFakeMidjourney, startFakeSuno } from '@your-api/testing';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, setOption, waitFor } from './relay-fixtures';

/**
 * Async tasks over real HTTP against fake Midjourney-Proxy and Suno upstreams: submits billed
 * (log row + task row), fetch DTOs, follow-ups on the original channel, the poller moving tasks to
 * SUCCESS or FAILURE, and a failure refunded exactly once although two API processes poll the
 * same database at the same time.
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const QPU = 500_000;
const POLL_MS = 150;

async function insertUser(db: TestDatabase, username: string, role: number, quota: number): Promise<{ id: number; accessToken: string }> {
  const accessToken = randomBytes(16).toString('hex');
  await db.query(
    `INSERT INTO users (username, password, display_name, role, status, access_token, quota, ${quoted('group')}) VALUES (?, ?, ?, ?, 1, ?, ?, 'default')`,
    [username, 'not-a-login-password', username, role, accessToken, quota],
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return { id: Number(row.id), accessToken };
}

interface Json {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Json> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe(`async tasks: Midjourney and Suno (${kind})`, () => {
  let api: RunningApi;
  let second: RunningApi | null = null;
  let root: ManagementClient;
  let mjA: FakeMidjourney;
  let mjB: FakeMidjourney;
  let suno: FakeSuno;
  let channelA: number;
  let alice: { id: number; client: ManagementClient; key: string };
  let bob: { id: number; client: ManagementClient; key: string };

  const quotaOf = async (userId: number) => Number((await api.database.query<{ quota: number }>('SELECT quota FROM users WHERE id = ?', [userId]))[0].quota);
  const mjRow = async (mjId: string) => (await api.database.query<Record<string, unknown>>('SELECT * FROM midjourneys WHERE mj_id = ?', [mjId]))[0];
  const logsOf = (userId: number, type: number) =>
    api.database.query<{ quota: number; model_name: string; content: string; channel_id: number }>('SELECT * FROM logs WHERE user_id = ? AND type = ? ORDER BY id', [userId, type]);
  const mj = (path: string, key: string, body: unknown, extra: Record<string, string> = {}) =>
    call('POST', `${api.baseUrl}${path}`, { authorization: `Bearer ${key}`, ...extra }, body);
  const newUser = async (name: string, quota: number) => {
    const user = await insertUser(api.database, name, 1, quota);
    const client = new ManagementClient(api.baseUrl).useAccessToken(user.accessToken, user.id);
    const token = await createToken(client, { name: `${name} key` });
    return { id: user.id, client, key: token.key };
  };

  beforeAll(async () => {
    mjA = await startFakeMidjourney('secret-a');
    mjB = await startFakeMidjourney('secret-b');
    suno = await startFakeSuno('suno-secret');
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false', TASK_POLL_INTERVAL_MS: String(POLL_MS) }, keepDatabase: true });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await setOption(root, 'ServerAddress', api.baseUrl);
    channelA = await createChannel(root, {
      name: 'mj a',
      type: 2,
      key: 'secret-a',
      base_url: mjA.url,
      models: 'mj_imagine,mj_upscale,mj_variation,mj_reroll,mj_describe',
    });
    // Higher priority for follow-up models: a fresh upscale would go here, a follow-up must not.
    await createChannel(root, { name: 'mj b', type: 2, key: 'secret-b', base_url: mjB.url, models: 'mj_upscale,mj_variation', priority: 10 });
    await createChannel(root, { name: 'suno', type: 36, key: 'suno-secret', base_url: suno.url, models: 'suno_music,suno_lyrics' });
    alice = await newUser('alice', 100 * QPU);
    bob = await newUser('bob', 100 * QPU);
  });

  afterAll(async () => {
    await second?.stop();
    await api?.stop();
    await api?.database.drop();
    await mjA?.close();
    await mjB?.close();
    await suno?.close();
  });

  it('bills an imagine after the upstream accepts it: consume log, midjourneys row, MJ reply', async () => {
    const before = await quotaOf(alice.id);
    const reply = await mj('/mj/submit/imagine', alice.key, { prompt: 'a red fox --fast', notifyHook: 'http://example.invalid/hook' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ code: 1, description: expect.any(String) as string, result: expect.any(String) as string });
    const id = String(reply.body.result);
    const upstream = mjA.requests.find((r) => r.path === '/mj/submit/imagine')!;
    expect(upstream.headers['mj-api-secret']).toBe('secret-a');
    expect(upstream.body).toEqual({ prompt: 'a red fox --fast' }); // notifyHook dropped (MjNotifyEnabled off)
    expect(await quotaOf(alice.id)).toBe(before - 0.1 * QPU);
    const row = await mjRow(id);
    expect(row).toMatchObject({ action: 'IMAGINE', prompt: 'a red fox --fast', status: 'SUBMITTED', progress: '0%' });
    expect(Number(row.quota)).toBe(0.1 * QPU);
    expect(Number(row.channel_id)).toBe(channelA);
    expect(Number(row.user_id)).toBe(alice.id);
    const logs = await waitFor(() => logsOf(alice.id, 2), (rows) => rows.length === 1);
    expect(logs[0]).toMatchObject({ model_name: 'mj_imagine' });
    expect(Number(logs[0].quota)).toBe(0.1 * QPU);
  });

  it('polls a task to SUCCESS, serves the MJ DTO with a forwarded image URL, and proxies the image', async () => {
    const submitted = await mj('/mj/submit/imagine', alice.key, { prompt: 'a blue whale' });
    const id = String(submitted.body.result);
    mjA.setTask(id, { status: 'IN_PROGRESS', progress: '40%' });
    await waitFor(() => mjRow(id), (row) => row.progress === '40%');
    mjA.setTask(id, { status: 'SUCCESS', progress: '100%', imageUrl: true, finishTime: Date.now(), buttons: [{ customId: `MJ::JOB::upsample::1::${id}`, label: 'U1' }] });
    await waitFor(() => mjRow(id), (row) => row.status === 'SUCCESS');
    // mj-api-secret works in place of Authorization (with the literal "midjourney-proxy" too).
    const fetched = await call('GET', `${api.baseUrl}/mj/task/${id}/fetch`, { authorization: 'midjourney-proxy', 'mj-api-secret': alice.key });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id, action: 'IMAGINE', status: 'SUCCESS', progress: '100%', prompt: 'a blue whale', imageUrl: `${api.baseUrl}/mj/image/${id}`, failReason: '' });
    expect(fetched.body.buttons).toEqual([{ customId: `MJ::JOB::upsample::1::${id}`, label: 'U1' }]);
    for (const field of ['promptEn', 'description', 'state', 'submitTime', 'startTime', 'finishTime', 'videoUrl', 'videoUrls', 'properties']) {
      expect(fetched.body).toHaveProperty(field);
    }
    const listed = await mj('/mj/task/list-by-condition', alice.key, { ids: [id, 'unknown'] });
    expect(listed.status).toBe(200);
    expect((listed.body as unknown as Array<{ id: string }>).map((t) => t.id)).toEqual([id]);
    // Another user cannot read it.
    const foreign = await call('GET', `${api.baseUrl}/mj/task/${id}/fetch`, { authorization: `Bearer ${bob.key}` });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 4, description: 'task_no_found' });
    const image = await fetch(`${api.baseUrl}/mj/image/${id}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(FAKE_PNG)).toBe(true);
  });

  it('sends follow-ups to the original task\'s channel, only for its owner and only once it succeeded', async () => {
    const submitted = await mj('/mj/submit/imagine', alice.key, { prompt: 'a green owl' });
    const id = String(submitted.body.result);
    const early = await mj('/mj/submit/change', alice.key, { taskId: id, action: 'UPSCALE', index: 1 });
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ code: 4, description: 'task_status_not_success' });
    mjA.setTask(id, { status: 'SUCCESS', progress: '100%', imageUrl: true });
    await waitFor(() => mjRow(id), (row) => row.status === 'SUCCESS');
    const notOwner = await mj('/mj/submit/change', bob.key, { taskId: id, action: 'UPSCALE', index: 1 });
    expect(notOwner.body).toMatchObject({ code: 4, description: 'task_not_found' });

    const before = await quotaOf(alice.id);
    const bRequests = mjB.requests.length;
    const change = await mj('/mj/submit/change', alice.key, { taskId: id, action: 'UPSCALE', index: 1 });
    expect(change.body).toMatchObject({ code: 1 });
    const simple = await mj('/mj/submit/simple-change', alice.key, { content: `${id} V2` });
    expect(simple.body).toMatchObject({ code: 1 });
    const plus = await mj('/mj/submit/action', alice.key, { taskId: id, customId: `MJ::JOB::upsample::3::${id}` });
    expect(plus.body).toMatchObject({ code: 1 });
    expect(mjB.requests.length).toBe(bRequests);
    const sent = mjA.requests.filter((r) => r.path.includes('/submit/')).slice(-3).map((r) => [r.path, r.body]);
    expect(sent).toEqual([
      ['/mj/submit/change', { taskId: id, action: 'UPSCALE', index: 1 }],
      ['/mj/submit/change', { taskId: id, action: 'VARIATION', index: 2 }],
      ['/mj/submit/action', { taskId: id, customId: `MJ::JOB::upsample::3::${id}` }],
    ]);
    // upscale 0.05 + variation 0.1 + upscale 0.05
    expect(await quotaOf(alice.id)).toBe(before - 0.2 * QPU);
    const upscale = await mjRow(String(change.body.result));
    expect(upscale).toMatchObject({ action: 'UPSCALE', prompt: 'a green owl' });
    expect(Number(upscale.channel_id)).toBe(channelA);
  });

  it('charges nothing when the upstream refuses a submit, and answers MJ-shaped errors', async () => {
    const before = await quotaOf(alice.id);
    mjA.behave({ submitCode: 24, description: 'banned prompt' });
    const banned = await mj('/mj/submit/imagine', alice.key, { prompt: 'forbidden' });
    expect(banned.status).toBe(200);
    expect(banned.body).toMatchObject({ code: 24, description: 'banned prompt' });
    mjA.behave({ submitCode: 22 });
    const queued = await mj('/mj/submit/imagine', alice.key, { prompt: 'queued one' });
    expect(queued.body).toMatchObject({ code: 1 }); // 22 → 1, charged
    mjA.behave({ submitStatus: 500 });
    const broken = await mj('/mj/submit/imagine', alice.key, { prompt: 'broken' });
    expect(broken.status).toBe(502);
    expect(broken.body).toMatchObject({ code: 23, description: expect.stringMatching(/^fail_to_fetch_midjourney status_code: 500/) as string });
    mjA.behave({});
    expect(await quotaOf(alice.id)).toBe(before - 0.1 * QPU);

    const noPrompt = await mj('/mj/submit/imagine', alice.key, {});
    expect(noPrompt.status).toBe(400);
    expect(noPrompt.body).toEqual({ code: 4, description: 'prompt_is_required', result: null });
    const noKey = await call('POST', `${api.baseUrl}/mj/submit/imagine`, {}, { prompt: 'x' });
    expect(noKey.status).toBe(401);
    expect(noKey.body).toMatchObject({ code: 4, result: null });
    const poor = await newUser('poor', 10);
    const refused = await mj('/mj/submit/imagine', poor.key, { prompt: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 4, description: 'quota_not_enough' });
    expect(await quotaOf(poor.id)).toBe(10);
  });

  it('fails a task that failed upstream and refunds it exactly once while two processes poll', async () => {
    second = await startApi({ database: api.database, keepDatabase: true, env: { BATCH_UPDATE_ENABLED: 'false', TASK_POLL_INTERVAL_MS: String(POLL_MS) } });
    mjA.behave({ listDelayMs: 100 });
    const carol = await newUser('carol', 10 * QPU);
    const submitted = await mj('/mj/submit/imagine', carol.key, { prompt: 'doomed' });
    const id = String(submitted.body.result);
    expect(await quotaOf(carol.id)).toBe(10 * QPU - 0.1 * QPU);
    mjA.setTask(id, { status: 'FAILURE', progress: '', failReason: 'upstream said no' });
    await waitFor(() => mjRow(id), (row) => row.status === 'FAILURE');
    // Both processes keep polling (and replaying the same failure) for a while.
    await new Promise((r) => setTimeout(r, 10 * POLL_MS));
    expect(await mjRow(id)).toMatchObject({ status: 'FAILURE', progress: '100%', fail_reason: 'upstream said no' });
    expect(await quotaOf(carol.id)).toBe(10 * QPU);
    const refunds = await logsOf(carol.id, 6);
    expect(refunds).toHaveLength(1);
    expect(Number(refunds[0].quota)).toBe(0.1 * QPU);
    expect(refunds[0].model_name).toBe('mj_imagine');
    mjA.behave({});
    await second.stop();
    second = null;
  });

  it('relays Suno: pre-consumed submit, fetch from the local table, poll to SUCCESS, failure refunded once', async () => {
    const dave = await newUser('dave', 10 * QPU);
    const music = await mj('/suno/submit/music', dave.key, { prompt: 'lofi beats', tags: 'chill', title: 't' });
    expect(music.status).toBe(200);
    expect(music.body).toMatchObject({ code: 'success', data: expect.any(String) as string });
    const musicId = String(music.body.data);
    expect(suno.requests.at(-1)).toMatchObject({ path: '/suno/submit/MUSIC', body: { prompt: 'lofi beats', mv: 'chirp-v3-0' } });
    expect(await quotaOf(dave.id)).toBe(10 * QPU - 0.1 * QPU);
    const [task] = await api.database.query<Record<string, unknown>>('SELECT * FROM tasks WHERE task_id = ?', [musicId]);
    expect(task).toMatchObject({ platform: 'suno', action: 'MUSIC', status: 'SUBMITTED' });
    expect(Number(task.quota)).toBe(0.1 * QPU);
    await waitFor(() => logsOf(dave.id, 2), (rows) => rows.length === 1 && rows[0].model_name === 'suno_music');

    const clips = [{ id: 'clip-1', title: 't', status: 'complete', audio_url: 'https://cdn.example/clip-1.mp3' }];
    suno.setTask(musicId, { status: 'SUCCESS', finish_time: Math.floor(Date.now() / 1000), data: clips });
    const done = await waitFor(
      () => call('GET', `${api.baseUrl}/suno/fetch/${musicId}`, { authorization: `Bearer ${dave.key}` }),
      (reply) => (reply.body.data as { status?: string } | undefined)?.status === 'SUCCESS',
    );
    expect(done.body).toEqual({
      code: 'success',
      message: '',
      data: expect.objectContaining({ task_id: musicId, action: 'MUSIC', status: 'SUCCESS', progress: '100%', data: clips, fail_reason: '' }) as unknown,
    });
    const many = await mj('/suno/fetch', dave.key, { ids: [musicId] });
    expect((many.body.data as Array<{ task_id: string }>).map((t) => t.task_id)).toEqual([musicId]);

    const lyrics = await mj('/suno/submit/lyrics', dave.key, { prompt: 'a song about rain' });
    const lyricsId = String(lyrics.body.data);
    expect(await quotaOf(dave.id)).toBe(10 * QPU - 0.1 * QPU - 0.01 * QPU);
    suno.setTask(lyricsId, { status: 'FAILURE', fail_reason: 'lyrics model down' });
    await waitFor(async () => (await api.database.query<{ status: string }>('SELECT status FROM tasks WHERE task_id = ?', [lyricsId]))[0], (row) => row.status === 'FAILURE');
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    expect(await quotaOf(dave.id)).toBe(10 * QPU - 0.1 * QPU);
    expect((await logsOf(dave.id, 6)).map((r) => Number(r.quota))).toEqual([0.01 * QPU]);

    // Refused submits are released at once; errors are Suno-shaped.
    suno.behave({ submitStatus: 500 });
    const refused = await mj('/suno/submit/music', dave.key, { prompt: 'x' });
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 'fail_to_submit', data: null });
    suno.behave({});
    expect(await quotaOf(dave.id)).toBe(10 * QPU - 0.1 * QPU);
    const badAction = await mj('/suno/submit/video', dave.key, { prompt: 'x' });
    expect(badAction.status).toBe(400);
    expect(badAction.body).toMatchObject({ code: 'invalid_action', data: null });
    const empty = await mj('/suno/submit/lyrics', dave.key, {});
    expect(empty.body).toMatchObject({ code: 'prompt_empty', data: null });
  });

  it('disables a Midjourney channel that has no account instance left (code 3) when automatic disabling is on', async () => {
    const mjC = await startFakeMidjourney('secret-c', { submitCode: 3, description: 'No available account instance' });
    try {
      const channelC = await createChannel(root, { name: 'mj c', type: 2, key: 'secret-c', base_url: mjC.url, models: 'mj_shorten' });
      await setOption(root, 'AutomaticDisableChannelEnabled', 'true');
      const before = await quotaOf(alice.id);
      const reply = await mj('/mj/submit/shorten', alice.key, { prompt: 'long prompt' });
      expect(reply.body).toMatchObject({ code: 3 });
      expect(await quotaOf(alice.id)).toBe(before);
      const [channel] = await api.database.query<{ status: number }>('SELECT status FROM channels WHERE id = ?', [channelC]);
      expect(Number(channel.status)).toBe(3);
    } finally {
      await setOption(root, 'AutomaticDisableChannelEnabled', 'false');
      await mjC.close();
    }
  });

  it('lists task logs: users their own without channels, admins everything with filters', async () => {
    const own = await alice.client.get<{ total: number; items: Array<Record<string, unknown>> }>('/api/mj/self?p=1&page_size=100');
    expect(own.body.success).toBe(true);
    expect(own.body.data!.total).toBeGreaterThan(0);
    expect(own.body.data!.items.every((item) => Number(item.user_id) === alice.id && !('channel_id' in item))).toBe(true);
    expect((await alice.client.get('/api/mj/')).status).toBe(403);
    const admin = await root.get<{ total: number; items: Array<Record<string, unknown>> }>(`/api/mj/?channel_id=${channelA}&page_size=100`);
    expect(admin.body.data!.items.length).toBeGreaterThan(0);
    expect(admin.body.data!.items.every((item) => Number(item.channel_id) === channelA)).toBe(true);
    const tasks = await root.get<{ items: Array<Record<string, unknown>> }>('/api/task/?platform=suno&action=LYRICS');
    expect(tasks.body.data!.items.map((t) => t.action)).toEqual(['LYRICS']);
    const bobs = await bob.client.get<{ total: number }>('/api/task/self');
    expect(bobs.body.data!.total).toBe(0);
  });
});
