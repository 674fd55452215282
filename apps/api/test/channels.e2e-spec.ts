import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ManagementClient } from './management-client';
import { RunningApi, startApi, testDatabaseKind } from './harness';

/**
 * /api/channel over real HTTP (admin only), checking the `abilities` rows each write leaves behind,
 * plus fetch_models against a tiny fake upstream started here.
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const bool = (value: boolean) => (kind === 'postgres' ? value : value ? 1 : 0);

interface ChannelItem {
  id: number;
  type: number;
  key?: string;
  name: string;
  status: number;
  models: string;
  group: string;
  priority: number;
  weight: number;
  tag: string | null;
  base_url: string;
  model_mapping: string | null;
  channel_info: { is_multi_key: boolean; multi_key_size: number; multi_key_mode?: string } | null;
}

interface ChannelPage {
  page: number;
  page_size: number;
  total: number;
  items: ChannelItem[];
}

interface Ability {
  group: string;
  model: string;
  channel_id: number;
  enabled: boolean;
  priority: number;
  weight: number;
  tag: string | null;
}

const GOOD_KEY = 'upstream-good-key-123';

describe(`channels (${kind})`, () => {
  let api: RunningApi;
  let admin: ManagementClient;
  let common: ManagementClient;
  let upstream: Server;
  let upstreamUrl: string;
  const upstreamHits: { path: string; authorization?: string }[] = [];

  /** Abilities as plain values (booleans and bigints differ per driver). */
  const abilities = async (channelId?: number): Promise<Ability[]> => {
    const rows = await api.database.query<Record<string, unknown>>('SELECT * FROM abilities');
    return rows
      .map((row) => ({
        group: String(row.group),
        model: String(row.model),
        channel_id: Number(row.channel_id),
        enabled: Boolean(Number(row.enabled)) || row.enabled === true,
        priority: Number(row.priority),
        weight: Number(row.weight),
        tag: row.tag === null || row.tag === undefined ? null : String(row.tag),
      }))
      .filter((row) => channelId === undefined || row.channel_id === channelId)
      .sort((a, b) => a.channel_id - b.channel_id || a.group.localeCompare(b.group) || a.model.localeCompare(b.model));
  };
  const pairs = (rows: Ability[]) => rows.map((row) => `${row.group}/${row.model}`);

  const create = async (body: Record<string, unknown>) => {
    const reply = await admin.post<ChannelItem[]>('/api/channel/', body);
    if (reply.status !== 200) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.data!;
  };

  beforeAll(async () => {
    upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
      upstreamHits.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      if (req.url !== '/v1/models') {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { message: 'no such path' } }));
      } else if (req.headers.authorization !== `Bearer ${GOOD_KEY}`) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization}` } }));
      } else {
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'up-model-a', object: 'model' }, { id: 'up-model-b', object: 'model' }] }));
      }
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

    api = await startApi();
    admin = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const accessToken = randomBytes(16).toString('hex');
    await api.database.query('INSERT INTO users (username, password, display_name, role, status, access_token) VALUES (?, ?, ?, 1, 1, ?)', [
      'plain',
      'not-a-login-password',
      'plain',
      accessToken,
    ]);
    const [row] = await api.database.query<{ id: number }>('SELECT id FROM users WHERE username = ?', ['plain']);
    common = new ManagementClient(api.baseUrl).useAccessToken(accessToken, Number(row.id));
  });

  afterAll(async () => {
    await api?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('refuses common users with 403', async () => {
    for (const reply of [
      await common.get('/api/channel/'),
      await common.get('/api/channel/1'),
      await common.post('/api/channel/', { type: 1, name: 'x', key: 'k', models: 'm' }),
      await common.post('/api/channel/fix'),
      await common.delete('/api/channel/disabled'),
    ]) {
      expect(reply.status).toBe(403);
      expect(reply.body.success).toBe(false);
    }
    expect(await api.database.query('SELECT id FROM channels')).toHaveLength(0);
  });

  it('creates a single channel with one ability per group × model', async () => {
    const [channel] = await create({
      type: 1,
      name: 'openai-main',
      key: 'sk-upstream-single',
      models: 'gpt-4o, gpt-4o-mini,gpt-4o',
      group: 'default,vip',
      priority: 5,
      weight: 10,
      base_url: '',
      balance: 99, // server-owned: ignored
    });
    expect(channel).toMatchObject({ type: 1, name: 'openai-main', status: 1, models: 'gpt-4o,gpt-4o-mini', group: 'default,vip', priority: 5, weight: 10 });
    expect(channel).not.toHaveProperty('key');
    expect(channel.channel_info).toBeNull();

    const rows = await abilities(channel.id);
    expect(pairs(rows)).toEqual(['default/gpt-4o', 'default/gpt-4o-mini', 'vip/gpt-4o', 'vip/gpt-4o-mini']);
    expect(rows.every((row) => row.enabled && row.priority === 5 && row.weight === 10 && row.tag === null)).toBe(true);

    const detail = await admin.get<ChannelItem>(`/api/channel/${channel.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.data!.key).toBe('sk-upstream-single');
  });

  it('adds one channel per line of a multi-line key (batch)', async () => {
    const created = await create({ type: 1, name: 'batch', key: 'batch-k1\n  batch-k2  \n\nbatch-k3\n', models: 'batch-model', group: 'default' });
    expect(created).toHaveLength(3);
    const keys = [];
    for (const channel of created) {
      expect(channel.name).toBe('batch');
      keys.push((await admin.get<ChannelItem>(`/api/channel/${channel.id}`)).body.data!.key);
      expect(pairs(await abilities(channel.id))).toEqual(['default/batch-model']);
    }
    expect(keys).toEqual(['batch-k1', 'batch-k2', 'batch-k3']);
  });

  it('adds one multi-key channel with multi_key_mode, in either body shape', async () => {
    const [multi] = await create({ type: 1, name: 'multi', key: 'mk-1\nmk-2\n', models: 'multi-model', multi_key_mode: 'polling' });
    expect(multi.channel_info).toMatchObject({ is_multi_key: true, multi_key_size: 2, multi_key_mode: 'polling' });
    const detail = await admin.get<ChannelItem>(`/api/channel/${multi.id}`);
    expect(detail.body.data!.key).toBe('mk-1\nmk-2');
    expect(pairs(await abilities(multi.id))).toEqual(['default/multi-model']);

    const latestShape = await create({ mode: 'multi_to_single', multi_key_mode: 'random', channel: { type: 14, name: 'multi-latest', key: 'a\nb\nc', models: 'claude-x' } });
    expect(latestShape).toHaveLength(1);
    expect(latestShape[0]).toMatchObject({ type: 14, name: 'multi-latest' });
    expect(latestShape[0].channel_info).toMatchObject({ is_multi_key: true, multi_key_size: 3, multi_key_mode: 'random' });

    const single = await create({ mode: 'single', channel: { type: 1, name: 'single-latest', key: 'only-one', models: 'm1' } });
    expect(single).toHaveLength(1);
    expect(single[0].channel_info).toBeNull();
  });

  it.each([
    ['an unknown type', { type: 999, name: 'x', key: 'k', models: 'm' }, /Unknown channel type 999/],
    ['a missing type', { name: 'x', key: 'k', models: 'm' }, /type is required/],
    ['a missing name', { type: 1, key: 'k', models: 'm' }, /name is required/],
    ['a missing key', { type: 1, name: 'x', models: 'm' }, /key is required/],
    ['a model_mapping cycle', { type: 1, name: 'x', key: 'k', models: 'a', model_mapping: '{"a":"b","b":"a"}' }, /cycle: a → b → a/],
    ['a longer model_mapping cycle', { type: 1, name: 'x', key: 'k', models: 'a', model_mapping: '{"x":"a","a":"b","b":"c","c":"a"}' }, /cycle: a → b → c → a/],
    ['model_mapping that is not JSON', { type: 1, name: 'x', key: 'k', models: 'a', model_mapping: '{a:b}' }, /model_mapping must be valid JSON/],
    ['model_mapping with a non-string value', { type: 1, name: 'x', key: 'k', models: 'a', model_mapping: '{"a":1}' }, /must be a string/],
    ['a bad status_code_mapping', { type: 1, name: 'x', key: 'k', models: 'a', status_code_mapping: '["429"]' }, /status_code_mapping/],
    ['a setting that is not an object', { type: 1, name: 'x', key: 'k', models: 'a', setting: '"proxy"' }, /setting must be a JSON object/],
    ['a param_override that is not JSON', { type: 1, name: 'x', key: 'k', models: 'a', param_override: 'temperature=1' }, /param_override must be valid JSON/],
    ['a non-http base_url', { type: 1, name: 'x', key: 'k', models: 'a', base_url: 'ftp://example.com' }, /base_url/],
    ['a negative weight', { type: 1, name: 'x', key: 'k', models: 'a', weight: -1 }, /weight must not be negative/],
    ['a fractional priority', { type: 1, name: 'x', key: 'k', models: 'a', priority: 1.5 }, /priority must be an integer/],
    ['a string weight', { type: 1, name: 'x', key: 'k', models: 'a', weight: '5' }, /weight must be an integer/],
    ['an unknown multi_key_mode', { type: 1, name: 'x', key: 'a\nb', models: 'a', multi_key_mode: 'roundrobin' }, /multi_key_mode/],
    ['a group list longer than its column', { type: 1, name: 'x', key: 'k', models: 'a', group: Array.from({ length: 20 }, (_, i) => `group${i}`).join(',') }, /group is too long/],
  ])('rejects %s with 400 and writes nothing', async (_label, body, message) => {
    const before = (await api.database.query('SELECT id FROM channels')).length;
    const abilitiesBefore = (await abilities()).length;
    const reply = await admin.post('/api/channel/', body);
    expect(reply.status).toBe(400);
    expect(reply.body.success).toBe(false);
    expect(reply.body.message).toMatch(message);
    expect(await api.database.query('SELECT id FROM channels')).toHaveLength(before);
    expect(await abilities()).toHaveLength(abilitiesBefore);
  });

  it('accepts model_mapping chains and self-maps', async () => {
    const [channel] = await create({ type: 1, name: 'mapped', key: 'k', models: 'a', model_mapping: '{"a":"b","b":"c","d":"d"}' });
    expect(channel.model_mapping).toBe('{"a":"b","b":"c","d":"d"}');
  });

  it('never includes keys in list or search responses', async () => {
    const list = await admin.get<ChannelPage>('/api/channel/?p=1&page_size=100');
    expect(list.status).toBe(200);
    expect(list.body.data!.total).toBeGreaterThanOrEqual(8);
    for (const item of list.body.data!.items) expect(item).not.toHaveProperty('key');
    expect(JSON.stringify(list.body)).not.toContain('sk-upstream-single');

    const byName = await admin.get<ChannelPage>('/api/channel/search?keyword=OPENAI-MA');
    expect(byName.body.data!.items.map((c) => c.name)).toEqual(['openai-main']);
    // an exact key finds its channel without echoing it
    const byKey = await admin.get<ChannelPage>('/api/channel/search?keyword=batch-k2');
    expect(byKey.body.data!.items).toHaveLength(1);
    expect(JSON.stringify(byKey.body)).not.toContain('batch-k2');
    const byGroup = await admin.get<ChannelPage>('/api/channel/search?group=vip');
    expect(byGroup.body.data!.items.map((c) => c.name)).toEqual(['openai-main']);
    const byModel = await admin.get<ChannelPage>('/api/channel/search?model=multi-model');
    expect(byModel.body.data!.items.map((c) => c.name)).toEqual(['multi']);
    const percent = await admin.get<ChannelPage>(`/api/channel/search?keyword=${encodeURIComponent('%')}`);
    expect(percent.body.data!.items).toEqual([]);
    for (const page of [byName, byKey, byGroup, byModel]) for (const item of page.body.data!.items) expect(item).not.toHaveProperty('key');

    const byType = await admin.get<ChannelPage>('/api/channel/?type=14');
    expect(byType.body.data!.items.map((c) => c.name)).toEqual(['multi-latest']);
    const idSorted = await admin.get<ChannelPage>('/api/channel/?id_sort=true&page_size=100');
    const ids = idSorted.body.data!.items.map((c) => c.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const prioritySorted = await admin.get<ChannelPage>('/api/channel/?page_size=1');
    expect(prioritySorted.body.data!.items[0].name).toBe('openai-main');
  });

  it('updates a channel, rewriting its abilities and keeping the key when none is sent', async () => {
    const [channel] = await create({ type: 1, name: 'to-update', key: 'keep-me', models: 'm1,m2', group: 'default,vip', priority: 1 });
    expect(await abilities(channel.id)).toHaveLength(4);

    const reply = await admin.put<ChannelItem>('/api/channel/', { ...channel, models: 'm1,m3', group: 'svip', priority: 7, weight: 3, key: '' });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ models: 'm1,m3', group: 'svip', priority: 7, weight: 3 });
    expect(reply.body.data).not.toHaveProperty('key');
    const rows = await abilities(channel.id);
    expect(pairs(rows)).toEqual(['svip/m1', 'svip/m3']);
    expect(rows.every((row) => row.priority === 7 && row.weight === 3 && row.enabled)).toBe(true);
    expect((await admin.get<ChannelItem>(`/api/channel/${channel.id}`)).body.data!.key).toBe('keep-me');

    // a key-less partial update
    expect((await admin.put('/api/channel/', { id: channel.id, name: 'renamed' })).status).toBe(200);
    expect((await admin.get<ChannelItem>(`/api/channel/${channel.id}`)).body.data).toMatchObject({ name: 'renamed', key: 'keep-me', models: 'm1,m3' });
    // a new key replaces the old one
    expect((await admin.put('/api/channel/', { id: channel.id, key: 'new-key' })).status).toBe(200);
    expect((await admin.get<ChannelItem>(`/api/channel/${channel.id}`)).body.data!.key).toBe('new-key');

    const cycle = await admin.put('/api/channel/', { id: channel.id, model_mapping: '{"m1":"m3","m3":"m1"}' });
    expect(cycle.status).toBe(400);
    expect(cycle.body.message).toContain('m1 → m3 → m1');
    const missing = await admin.put('/api/channel/', { id: 999999, name: 'ghost' });
    expect(missing.status).toBe(404);
  });

  it('mirrors status into abilities.enabled', async () => {
    const [channel] = await create({ type: 1, name: 'toggle', key: 'k', models: 'toggle-model', group: 'default,vip' });
    expect((await admin.put('/api/channel/', { id: channel.id, status: 2 })).status).toBe(200);
    let rows = await abilities(channel.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => !row.enabled)).toBe(true);
    const enabledModels = await admin.get<string[]>('/api/channel/models_enabled');
    expect(enabledModels.body.data).not.toContain('toggle-model');
    expect(enabledModels.body.data).toContain('gpt-4o');

    expect((await admin.put('/api/channel/', { id: channel.id, status: 1 })).status).toBe(200);
    rows = await abilities(channel.id);
    expect(rows.every((row) => row.enabled)).toBe(true);
    expect((await admin.get<string[]>('/api/channel/models_enabled')).body.data).toContain('toggle-model');
  });

  it('deletes one channel and its abilities', async () => {
    const [channel] = await create({ type: 1, name: 'doomed', key: 'k', models: 'doomed-model' });
    expect(await abilities(channel.id)).toHaveLength(1);
    const reply = await admin.delete(`/api/channel/${channel.id}`);
    expect(reply.status).toBe(200);
    expect(await abilities(channel.id)).toHaveLength(0);
    expect(await api.database.query('SELECT id FROM channels WHERE id = ?', [channel.id])).toHaveLength(0);
    expect((await admin.get(`/api/channel/${channel.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/channel/${channel.id}`)).status).toBe(404);
  });

  it('deletes a batch of channels and all disabled channels', async () => {
    const created = await create({ type: 1, name: 'batch-delete', key: 'x1\nx2\nx3', models: 'bd-model' });
    const ids = created.map((c) => c.id);
    const reply = await admin.post<number>('/api/channel/batch', { ids: [ids[0], ids[1], 999999] });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toBe(2);
    expect(await abilities(ids[0])).toHaveLength(0);
    expect(await abilities(ids[1])).toHaveLength(0);
    expect(await abilities(ids[2])).toHaveLength(1);
    expect((await admin.post('/api/channel/batch', { ids: [] })).status).toBe(400);
    expect((await admin.post('/api/channel/batch', { ids: ['a'] })).status).toBe(400);

    const [disabled] = await create({ type: 1, name: 'disabled-one', key: 'k', models: 'dis-model', status: 2 });
    expect((await abilities(disabled.id)).every((row) => !row.enabled)).toBe(true);
    const purge = await admin.delete<number>('/api/channel/disabled');
    expect(purge.status).toBe(200);
    expect(purge.body.data).toBe(1);
    expect(await abilities(disabled.id)).toHaveLength(0);
    expect((await admin.get(`/api/channel/${ids[2]}`)).status).toBe(200);
  });

  it('tags channels and runs tag operations on them and their abilities', async () => {
    const created = await create({ type: 1, name: 'tagged', key: 't1\nt2', models: 'tag-a', group: 'default' });
    const ids = created.map((c) => c.id);
    const tagged = await admin.post<number>('/api/channel/batch/tag', { ids, tag: 'T1' });
    expect(tagged.body.data).toBe(2);
    for (const id of ids) expect((await abilities(id)).map((row) => row.tag)).toEqual(['T1']);

    const tagMode = await admin.get<ChannelPage>('/api/channel/?tag_mode=true');
    expect(tagMode.status).toBe(200);
    expect(tagMode.body.data!.total).toBe(1);
    expect(tagMode.body.data!.items.map((c) => c.id).sort()).toEqual([...ids].sort());
    // `tag` filters the list and the search to that tag exactly.
    const untagged = await create({ type: 1, name: 'untagged-beside', key: 'u1', models: 'tag-a', group: 'default' });
    const byTag = await admin.get<ChannelPage>('/api/channel/?tag=T1&page_size=100');
    expect(byTag.body.data!.items.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect((await admin.get<ChannelPage>('/api/channel/search?keyword=tagged&tag=T1')).body.data!.items.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect((await admin.get<ChannelPage>('/api/channel/?tag=T&page_size=100')).body.data!.items).toEqual([]);
    expect((await admin.delete(`/api/channel/${untagged[0]!.id}`)).status).toBe(200);

    expect((await admin.post('/api/channel/tag/disabled', { tag: 'T1' })).status).toBe(200);
    for (const id of ids) {
      expect((await admin.get<ChannelItem>(`/api/channel/${id}`)).body.data!.status).toBe(2);
      expect((await abilities(id)).every((row) => !row.enabled)).toBe(true);
    }
    expect((await admin.post('/api/channel/tag/enabled', { tag: 'T1' })).status).toBe(200);
    for (const id of ids) expect((await abilities(id)).every((row) => row.enabled)).toBe(true);

    const edit = await admin.put<number>('/api/channel/tag', { tag: 'T1', new_tag: 'T2', priority: 9, weight: 4, models: 'tag-x,tag-y', groups: 'default,vip', model_mapping: '{"tag-x":"tag-y"}' });
    expect(edit.status).toBe(200);
    expect(edit.body.data).toBe(2);
    for (const id of ids) {
      const rows = await abilities(id);
      expect(pairs(rows)).toEqual(['default/tag-x', 'default/tag-y', 'vip/tag-x', 'vip/tag-y']);
      expect(rows.every((row) => row.priority === 9 && row.weight === 4 && row.tag === 'T2' && row.enabled)).toBe(true);
      expect((await admin.get<ChannelItem>(`/api/channel/${id}`)).body.data).toMatchObject({ tag: 'T2', models: 'tag-x,tag-y', model_mapping: '{"tag-x":"tag-y"}', key: expect.stringMatching(/^t[12]$/) });
    }
    const models = await admin.get<string>('/api/channel/tag/models?tag=T2');
    expect(models.body.data).toBe('tag-x,tag-y');
    expect((await admin.get<string>('/api/channel/tag/models?tag=T1')).body.data).toBe('');

    const badCycle = await admin.put('/api/channel/tag', { tag: 'T2', model_mapping: '{"p":"q","q":"p"}' });
    expect(badCycle.status).toBe(400);
    expect((await admin.post('/api/channel/tag/disabled', { tag: 'no-such-tag' })).status).toBe(404);
    expect((await admin.post('/api/channel/tag/disabled', {})).status).toBe(400);

    // clearing the tag clears it on the abilities too
    expect((await admin.post('/api/channel/batch/tag', { ids: [ids[0]], tag: '' })).status).toBe(200);
    expect((await abilities(ids[0])).every((row) => row.tag === null)).toBe(true);
  });

  it('rebuilds a tampered abilities table with /fix', async () => {
    const expected = await abilities();
    expect(expected.length).toBeGreaterThan(5);
    const victim = expected[0].channel_id;
    await api.database.query('DELETE FROM abilities WHERE channel_id = ?', [victim]);
    await api.database.query('UPDATE abilities SET priority = 77, enabled = ?', [bool(false)]);
    await api.database.query(
      `INSERT INTO abilities (${quoted('group')}, model, channel_id, enabled, priority, weight) VALUES (?, ?, ?, ?, ?, ?)`,
      ['default', 'ghost-model', 424242, bool(true), 0, 0],
    );
    expect(await abilities()).not.toEqual(expected);

    const reply = await admin.post<{ success: number; fails: number }>('/api/channel/fix');
    expect(reply.status).toBe(200);
    const channelCount = (await api.database.query('SELECT id FROM channels')).length;
    expect(reply.body.data).toMatchObject({ success: channelCount, fails: 0 });
    expect(await abilities()).toEqual(expected);
  });

  it('lists built-in models per channel type', async () => {
    const reply = await admin.get<{ id: string; owned_by: string; channel_type: number }[]>('/api/channel/models');
    expect(reply.status).toBe(200);
    const byId = new Map(reply.body.data!.map((m) => [m.id, m]));
    expect(byId.get('gpt-4o')).toMatchObject({ owned_by: 'openai', channel_type: 1 });
    expect(byId.get('deepseek-chat')).toMatchObject({ channel_type: 43 });
    expect([...byId.values()].some((m) => m.channel_type === 14)).toBe(true);
    expect([...byId.values()].some((m) => m.channel_type === 24)).toBe(true);
  });

  it('fetches upstream models ad hoc and for a stored channel', async () => {
    upstreamHits.length = 0;
    const adHoc = await admin.post<string[]>('/api/channel/fetch_models', { base_url: upstreamUrl, type: 1, key: GOOD_KEY });
    expect(adHoc.status).toBe(200);
    expect(adHoc.body.data).toEqual(['up-model-a', 'up-model-b']);
    expect(upstreamHits).toEqual([{ path: '/v1/models', authorization: `Bearer ${GOOD_KEY}` }]);

    const [stored] = await create({ type: 1, name: 'fetchable', key: GOOD_KEY, models: 'x', base_url: `${upstreamUrl}/` });
    const fromChannel = await admin.get<string[]>(`/api/channel/fetch_models/${stored.id}`);
    expect(fromChannel.status).toBe(200);
    expect(fromChannel.body.data).toEqual(['up-model-a', 'up-model-b']);
  });

  it('reports a rejected key clearly without echoing it', async () => {
    const wrongKey = 'wrong-secret-key-987';
    const reply = await admin.post('/api/channel/fetch_models', { base_url: upstreamUrl, type: 1, key: wrongKey });
    expect(reply.status).toBe(400);
    expect(reply.body.success).toBe(false);
    expect(reply.body.message).toMatch(/rejected the key/);
    expect(reply.body.message).toContain('401');
    expect(JSON.stringify(reply.body)).not.toContain(wrongKey);

    const [stored] = await create({ type: 1, name: 'bad-key', key: wrongKey, models: 'x', base_url: upstreamUrl });
    const fromChannel = await admin.get(`/api/channel/fetch_models/${stored.id}`);
    expect(fromChannel.status).toBe(400);
    expect(JSON.stringify(fromChannel.body)).not.toContain(wrongKey);

    const notFound = await admin.post('/api/channel/fetch_models', { base_url: `${upstreamUrl}/nested`, type: 1, key: GOOD_KEY });
    expect(notFound.status).toBe(502);
    expect(notFound.body.message).toContain('HTTP 404');

    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const unreachable = await admin.post('/api/channel/fetch_models', { base_url: `http://127.0.0.1:${closed}`, type: 1, key: GOOD_KEY });
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.message).toMatch(/connect/i);
    expect(JSON.stringify(unreachable.body)).not.toContain(GOOD_KEY);

    const missingKey = await admin.post('/api/channel/fetch_models', { base_url: upstreamUrl, type: 1 });
    expect(missingKey.status).toBe(400);
  });
});
