import { randomBytes } from 'node:crypto';
import { ChannelStatus, ChannelType, LogType } from '@your-api/contracts';
import { FakeOpenAi, HttpForwardProxy, startFakeOpenAi, startHttpForwardProxy } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { ChannelInput, createChannel, setOption, waitFor, waitForLogs } from './relay-fixtures';

/**
 * Channel tests and upstream balances over real HTTP against fake upstreams: GET
 * /api/channel/test/:id (time stored, a consume log without a charge, auto-disable and auto-enable),
 * GET /api/channel/test (all channels in the background, manually disabled ones skipped, slow ones
 * disabled), and GET /api/channel/update_balance[/:id] (OpenAI billing dashboard, DeepSeek).
 */

interface ChannelDetail {
  id: number;
  status: number;
  response_time: number;
  test_time: number;
  balance: number;
  balance_updated_time: number;
  other_info: string;
}

interface TestReply {
  success: boolean;
  message: string;
  time: number;
  error_code?: string;
  data?: { time: number };
}

const fakes: FakeOpenAi[] = [];
async function newFake(...args: Parameters<typeof startFakeOpenAi>): Promise<FakeOpenAi> {
  const fake = await startFakeOpenAi(...args);
  fakes.push(fake);
  return fake;
}

const invalidKey = { status: 401, errorMessage: 'Incorrect API key provided: sk-up…', errorType: 'invalid_request_error', errorCode: 'invalid_api_key' };
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('channel tests and balances', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let common: ManagementClient;

  const addChannel = (input: ChannelInput) => createChannel(root, input);
  const detail = async (id: number) => (await root.get<ChannelDetail>(`/api/channel/${id}`)).body.data!;
  const testChannel = async (id: number, query = '') => {
    const reply = await root.get(`/api/channel/test/${id}${query}`);
    expect(reply.status).toBe(200);
    return reply.body as unknown as TestReply;
  };
  const rootWallet = async () => {
    const [row] = await api.database.query<{ quota: number; used_quota: number }>('SELECT quota, used_quota FROM users WHERE id = 1');
    return { quota: Number(row.quota), used: Number(row.used_quota) };
  };

  beforeAll(async () => {
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false', POLLING_INTERVAL: '0' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
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
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('refuses users who are not admins', async () => {
    for (const path of ['/api/channel/test', '/api/channel/test/1', '/api/channel/update_balance', '/api/channel/update_balance/1']) {
      const reply = await common.get(path);
      expect({ path, status: reply.status, success: reply.body.success }).toEqual({ path, status: 403, success: false });
    }
  });

  it('tests one channel: time stored on the channel, a consume log with the quota, nothing charged', async () => {
    const fake = await newFake({ reply: 'hello', promptTokens: 1000, completionTokens: 500, delayMs: 30 });
    const id = await addChannel({ name: 'test ok', base_url: fake.url, models: 'gpt-4o-mini,gpt-4o' });
    const before = await rootWallet();

    const reply = await testChannel(id);
    expect(reply).toMatchObject({ success: true, message: '' });
    expect(reply.time).toBeGreaterThanOrEqual(0.03);
    expect(reply.data?.time).toBe(reply.time);

    // One tiny chat request to the first model, with the channel's key.
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 });
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-upstream-secret');

    const channel = await detail(id);
    expect(channel.response_time).toBeGreaterThanOrEqual(30);
    expect(Math.abs(channel.test_time - nowSeconds())).toBeLessThan(60);

    // gpt-4o-mini: model ratio 0.075, completion ratio 4 → (1000 + 500 × 4) × 0.075 = 225.
    const [log] = await waitForLogs(root, `type=${LogType.Consume}&channel=${id}`, (rows) => rows.length === 1);
    expect(log).toMatchObject({ model_name: 'gpt-4o-mini', quota: 225, prompt_tokens: 1000, completion_tokens: 500, channel: id });
    expect((log as unknown as { token_name: string }).token_name).toBe('channel test');
    expect(log.content).toContain('not charged');
    expect(await rootWallet()).toEqual(before);
  });

  it('tests the model and endpoint asked for, streamed when asked', async () => {
    const fake = await newFake({ reply: 'streamed hello' });
    const id = await addChannel({ name: 'test query', base_url: fake.url, models: 'gpt-4o-mini,text-embedding-3-small' });

    expect(await testChannel(id, '?model=gpt-4o&stream=true')).toMatchObject({ success: true });
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true } });

    expect(await testChannel(id, '?model=text-embedding-3-small')).toMatchObject({ success: true });
    expect(fake.requests[1]).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: ['hello world'] } });
  });

  it('disables a failing auto-ban channel and re-enables it once a test passes again', async () => {
    await setOption(root, 'AutomaticDisableChannelEnabled', 'true');
    await setOption(root, 'AutomaticEnableChannelEnabled', 'true');
    const fake = await newFake(invalidKey);
    const banned = await addChannel({ name: 'dead key', base_url: fake.url, models: 'gpt-4o-mini' });
    const kept = await addChannel({ name: 'dead key, no auto-ban', base_url: fake.url, models: 'gpt-4o-mini', auto_ban: 0 });

    const failed = await testChannel(banned);
    expect(failed).toMatchObject({ success: false, error_code: 'upstream/error' });
    expect(failed.message).toContain('Incorrect API key');
    expect(failed.message).not.toContain('sk-upstream-secret');
    const disabled = await detail(banned);
    expect(disabled.status).toBe(ChannelStatus.AutoDisabled);
    expect(JSON.parse(disabled.other_info)).toMatchObject({ status_reason: expect.stringContaining('channel test') });

    expect(await testChannel(kept)).toMatchObject({ success: false });
    expect((await detail(kept)).status).toBe(ChannelStatus.Enabled);
    // A failed test writes no consume log.
    expect((await root.get<{ items: unknown[] }>(`/api/log/?type=${LogType.Consume}&channel=${banned}`)).body.data?.items).toEqual([]);

    fake.behave({ reply: 'alive again' });
    expect(await testChannel(banned)).toMatchObject({ success: true });
    expect((await detail(banned)).status).toBe(ChannelStatus.Enabled);
  });

  it('serves GET /api/channel/test and /update_balance themselves, not GET /api/channel/:id', async () => {
    // The :id route would answer 400 "Channel id must be a positive integer".
    for (const path of ['/api/channel/test', '/api/channel/update_balance']) {
      const reply = await root.get(path);
      expect({ path, status: reply.status, success: reply.body.success }).toEqual({ path, status: 200, success: true });
      expect(reply.body.message).not.toContain('positive integer');
    }
  });

  it('tests all channels in the background: skips manually disabled ones, disables slow ones', async () => {
    const skipped = await newFake({ reply: 'should not be asked' });
    const skippedId = await addChannel({ name: 'manually off', base_url: skipped.url, models: 'gpt-4o-mini' });
    expect((await root.put('/api/channel/', { id: skippedId, status: ChannelStatus.ManuallyDisabled })).body.success).toBe(true);
    const slow = await newFake({ reply: 'slow', delayMs: 1_300 });
    const slowId = await addChannel({ name: 'slow', base_url: slow.url, models: 'gpt-4o-mini' });
    const fast = await newFake({ reply: 'fast' });
    const fastId = await addChannel({ name: 'fast', base_url: fast.url, models: 'gpt-4o-mini' });
    await setOption(root, 'ChannelDisableThreshold', '1');

    // A run started earlier may still be going: start ours once it is done.
    const started = await waitFor(
      async () => root.get('/api/channel/test'),
      (reply) => reply.body.success === true,
    );
    expect(started.status).toBe(200);
    // Channels are tested in id order, so once the newest has its time every other one has been tried.
    await waitFor(
      () => detail(fastId),
      (channel) => channel.test_time > 0,
      20_000,
    );
    expect(fast.requests).toHaveLength(1);
    expect(slow.requests).toHaveLength(1);
    expect(skipped.requests).toHaveLength(0);
    expect((await detail(skippedId)).status).toBe(ChannelStatus.ManuallyDisabled);
    const slowChannel = await detail(slowId);
    expect(slowChannel.status).toBe(ChannelStatus.AutoDisabled);
    expect(JSON.parse(slowChannel.other_info).status_reason).toMatch(/Response time \d+\.\d+s exceeds the threshold of 1\.00s/);
    expect((await detail(fastId)).status).toBe(ChannelStatus.Enabled);
    await setOption(root, 'ChannelDisableThreshold', '5');
  });

  it('refuses to test Midjourney channels and unknown ids', async () => {
    const id = await addChannel({ name: 'mj', type: ChannelType.Midjourney, base_url: 'http://127.0.0.1:9', models: 'midjourney' });
    expect(await testChannel(id)).toMatchObject({ success: false, time: 0, error_code: 'channel/test-unsupported' });
    expect((await root.get('/api/channel/test/999999')).status).toBe(404);
    expect((await root.get('/api/channel/test/abc')).status).toBe(400);
  });

  describe('balances', () => {
    let proxy: HttpForwardProxy;

    beforeAll(async () => {
      proxy = await startHttpForwardProxy();
    });

    afterAll(async () => {
      await proxy?.close();
    });

    it('reads an OpenAI-compatible balance (hard limit minus usage) through the channel proxy and stores it', async () => {
      const fake = await newFake({ billing: { hardLimitUsd: 120, totalUsageCents: 2550 } });
      const id = await addChannel({ name: 'openai balance', base_url: fake.url, models: 'gpt-4o-mini', setting: JSON.stringify({ proxy: proxy.url }) });

      const reply = await root.get<{ balance: number; balance_updated_time: number }>(`/api/channel/update_balance/${id}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ success: true, balance: 94.5, data: { balance: 94.5 } });

      expect(fake.requests.map((r) => r.path.split('?')[0])).toEqual(['/v1/dashboard/billing/subscription', '/v1/dashboard/billing/usage']);
      expect(fake.requests[1].path).toMatch(/start_date=\d{4}-\d{2}-\d{2}&end_date=\d{4}-\d{2}-\d{2}/);
      expect(fake.requests[0].headers.authorization).toBe('Bearer sk-upstream-secret');
      expect(proxy.requests.some((r) => r.target === new URL(fake.url).host || r.target.startsWith(fake.url))).toBe(true);

      const channel = await detail(id);
      expect(channel.balance).toBe(94.5);
      expect(Math.abs(channel.balance_updated_time - nowSeconds())).toBeLessThan(60);
    });

    it('reads a DeepSeek balance in CNY and stores it in USD', async () => {
      const fake = await newFake({ deepSeekBalance: { currency: 'CNY', totalBalance: '73.00' } });
      const id = await addChannel({ name: 'deepseek balance', type: ChannelType.DeepSeek, base_url: fake.url, models: 'deepseek-chat' });

      const reply = await root.get<{ balance: number }>(`/api/channel/update_balance/${id}`);
      expect(reply.body.success).toBe(true);
      // 73 CNY at the default USDExchangeRate of 7.3.
      expect(reply.body.balance).toBeCloseTo(10, 6);
      expect(fake.requests.map((r) => r.path)).toEqual(['/user/balance']);
      expect((await detail(id)).balance).toBeCloseTo(10, 6);
    });

    it('refuses types without a balance API, and reports upstream failures without the key', async () => {
      const anthropic = await addChannel({ name: 'claude', type: ChannelType.Anthropic, base_url: 'http://127.0.0.1:9', models: 'claude-3-5-haiku' });
      const refused = await root.get(`/api/channel/update_balance/${anthropic}`);
      expect(refused.status).toBe(200);
      expect(refused.body).toMatchObject({ success: false, message: expect.stringContaining('not supported') });
      expect((await detail(anthropic)).balance_updated_time).toBe(0);

      const fake = await newFake(invalidKey);
      const id = await addChannel({ name: 'balance dead key', base_url: fake.url, models: 'gpt-4o-mini' });
      const failed = await root.get(`/api/channel/update_balance/${id}`);
      expect(failed.body).toMatchObject({ success: false, message: 'The upstream answered HTTP 401' });
    });

    it('refreshes every enabled channel in the background', async () => {
      const fake = await newFake({ billing: { hardLimitUsd: 50, totalUsageCents: 1000 } });
      const id = await addChannel({ name: 'refresh all', base_url: fake.url, models: 'gpt-4o-mini' });
      await waitFor(
        async () => root.get('/api/channel/update_balance'),
        (reply) => reply.body.success === true,
      );
      const channel = await waitFor(
        () => detail(id),
        (c) => c.balance_updated_time > 0,
        20_000,
      );
      expect(channel.balance).toBe(40);
    });
  });
});
