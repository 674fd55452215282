import OpenAI from 'openai';
import { ChannelStatus, LogType } from '@your-api/contracts';
import {
  apiKeyOf,
  FakeOpenAi,
  HttpForwardProxy,
  SocksProxy,
  startFakeOpenAi,
  startHttpForwardProxy,
  startSocksProxy,
} from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { ChannelInput, createChannel, createToken, LogRow, setOption, waitFor, waitForLogs } from './relay-fixtures';

/**
 * The channel side of the relay over real HTTP: multi-key channels (polling, random, per-key
 * auto-disable), per-channel proxies (HTTP CONNECT and SOCKS5), upstream timeouts, keep-alive
 * connection reuse, the stream usage options and the OpenAI-legacy billing routes.
 */

interface OpenAiErrorBody {
  error: { message: string; type: string; code: string | null };
}

interface ChannelDetail {
  id: number;
  status: number;
  other_info: string;
  channel_info: {
    is_multi_key: boolean;
    multi_key_mode?: string;
    multi_key_status_list?: Record<string, number>;
    multi_key_disabled_reason?: Record<string, string>;
  } | null;
}

const fakes: FakeOpenAi[] = [];
async function newFake(...args: Parameters<typeof startFakeOpenAi>): Promise<FakeOpenAi> {
  const fake = await startFakeOpenAi(...args);
  fakes.push(fake);
  return fake;
}

const invalidKey = { status: 401, errorMessage: 'Incorrect API key provided: sk-…', errorType: 'invalid_request_error', errorCode: 'invalid_api_key' };

describe('relay channels: multi-key, proxies, timeouts, keep-alive, usage options, billing routes', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let key: string;
  let client: OpenAI;

  const chat = (model: string, extra: Record<string, unknown> = {}, apiKey = key) =>
    fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
    });

  /** Waits until the routing index offers every model (channel writes are indexed just after commit). */
  async function waitForRouting(...models: string[]): Promise<void> {
    await waitFor(
      async () => {
        const response = await fetch(`${api.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
        return ((await response.json()) as { data: { id: string }[] }).data.map((m) => m.id);
      },
      (ids) => models.every((m) => ids.includes(m)),
    );
  }

  async function createMultiKeyChannel(input: { name: string; keys: string[]; mode: 'polling' | 'random'; models: string; base_url: string }) {
    const reply = await root.post<{ id: number }[]>('/api/channel/', {
      mode: 'multi_to_single',
      multi_key_mode: input.mode,
      channel: { type: 1, name: input.name, key: input.keys.join('\n'), models: input.models, group: 'default', base_url: input.base_url },
    });
    expect(reply.body).toMatchObject({ success: true });
    const id = reply.body.data![0].id;
    await waitForRouting(...input.models.split(','));
    return id;
  }

  /** A single-key channel, optionally with a `setting` JSON (e.g. a proxy). */
  const addChannel = (input: ChannelInput & { setting?: string }) => createChannel(root, input);

  const channelDetail = async (id: number) => (await root.get<ChannelDetail>(`/api/channel/${id}`)).body.data!;

  beforeAll(async () => {
    api = await startApi({
      env: { BATCH_UPDATE_ENABLED: 'false', RELAY_TIMEOUT: '1', STREAMING_TIMEOUT: '1', FORCE_STREAM_OPTION: 'false' },
    });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    key = (await createToken(root, { name: 'channels e2e' })).key;
    client = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all(fakes.map((f) => f.close()));
  });

  describe('multi-key channels', () => {
    it('polling uses the keys round robin', async () => {
      const fake = await newFake({ reply: 'ok' });
      await createMultiKeyChannel({ name: 'polling', keys: ['poll-k1', 'poll-k2', 'poll-k3'], mode: 'polling', models: 'gpt-4.1', base_url: fake.url });
      for (let i = 0; i < 7; i++) expect((await chat('gpt-4.1')).status).toBe(200);
      expect(fake.requests.map(apiKeyOf)).toEqual(['poll-k1', 'poll-k2', 'poll-k3', 'poll-k1', 'poll-k2', 'poll-k3', 'poll-k1']);
      // The key index used goes to the consume log (admin_info.multi_key_index).
      const logs = await waitForLogs(root, 'type=2&model_name=gpt-4.1', (rows) => rows.length === 7);
      const indexes = logs.map((r) => (JSON.parse(r.other) as { admin_info: { multi_key_index: number } }).admin_info.multi_key_index);
      expect(indexes.sort()).toEqual([0, 0, 0, 1, 1, 2, 2]);
    });

    it('random mode spreads requests over several keys', async () => {
      const fake = await newFake({ reply: 'ok' });
      const keys = ['rand-k1', 'rand-k2', 'rand-k3'];
      await createMultiKeyChannel({ name: 'random', keys, mode: 'random', models: 'gpt-4.1-nano', base_url: fake.url });
      for (let i = 0; i < 30; i++) expect((await chat('gpt-4.1-nano')).status).toBe(200);
      const used = fake.requests.map(apiKeyOf);
      expect(used).toHaveLength(30);
      expect(used.every((k) => keys.includes(k))).toBe(true);
      expect(new Set(used).size).toBeGreaterThanOrEqual(2);
      // Not the polling cycle (a uniform draw follows it 30 times with probability 3^-29).
      expect(used).not.toEqual(Array.from({ length: 30 }, (_, i) => keys[i % 3]));
    });

    it('disables only the key the upstream rejects, and the channel once every key is dead', async () => {
      await setOption(root, 'AutomaticDisableChannelEnabled', 'true');
      await setOption(root, 'RetryTimes', '0');
      const fake = await newFake();
      fake.behave((request) => (apiKeyOf(request) === 'ad-k2' ? invalidKey : { reply: 'ok' }));
      const id = await createMultiKeyChannel({ name: 'auto-disable', keys: ['ad-k1', 'ad-k2', 'ad-k3'], mode: 'polling', models: 'gpt-4.1-mini', base_url: fake.url });

      expect((await chat('gpt-4.1-mini')).status).toBe(200);
      const rejected = await chat('gpt-4.1-mini');
      // The channel's key was refused, not the caller's: 502, and none of the upstream's text.
      expect(rejected.status).toBe(502);
      expect(((await rejected.json()) as OpenAiErrorBody).error.code).toBe('upstream/channel-auth-failed');
      // Straight away, before the write is even visible: the dead key is skipped.
      for (let i = 0; i < 6; i++) expect((await chat('gpt-4.1-mini')).status).toBe(200);
      expect(fake.requests.map(apiKeyOf)).toEqual(['ad-k1', 'ad-k2', 'ad-k3', 'ad-k1', 'ad-k3', 'ad-k1', 'ad-k3', 'ad-k1']);

      const detail = await waitFor(
        () => channelDetail(id),
        (c) => c.channel_info?.multi_key_status_list?.['1'] === ChannelStatus.AutoDisabled,
      );
      expect(detail.status).toBe(ChannelStatus.Enabled);
      expect(detail.channel_info!.multi_key_status_list).toEqual({ '1': ChannelStatus.AutoDisabled });
      expect(detail.channel_info!.multi_key_disabled_reason!['1']).toMatch(/401/);
      // The system log is written once the routing index has been rebuilt from the change; from
      // then on the index itself (channel_info) keeps the key out, not the in-memory guard.
      const system = await waitForLogs(root, `type=${LogType.System}`, (rows) =>
        rows.some((r) => /key #1 of channel/.test((r as LogRow & { content: string }).content)),
      );
      expect(system.length).toBeGreaterThan(0);

      // Later requests, routed from the rebuilt index, still never use it.
      const before = fake.requests.length;
      for (let i = 0; i < 4; i++) expect((await chat('gpt-4.1-mini')).status).toBe(200);
      expect(fake.requests.slice(before).map(apiKeyOf).sort()).toEqual(['ad-k1', 'ad-k1', 'ad-k3', 'ad-k3']);

      // Now every key is rejected: the remaining two are disabled, then the whole channel.
      fake.behave(invalidKey);
      expect((await chat('gpt-4.1-mini')).status).toBe(502);
      expect((await chat('gpt-4.1-mini')).status).toBe(502);
      const dead = await waitFor(() => channelDetail(id), (c) => c.status === ChannelStatus.AutoDisabled);
      expect(dead.channel_info!.multi_key_status_list).toEqual({ '0': 3, '1': 3, '2': 3 });
      expect(JSON.parse(dead.other_info)).toMatchObject({ status_reason: 'All keys are disabled' });
      const upstreamCalls = fake.requests.length;
      // The routing index drops the channel: the model is no longer served at all.
      const refusal = await waitFor(
        async () => {
          const response = await chat('gpt-4.1-mini');
          return { status: response.status, body: (await response.json()) as OpenAiErrorBody };
        },
        (r) => r.body.error.code !== 'channel/no-available-key',
      );
      expect([404, 503]).toContain(refusal.status);
      expect(fake.requests.length).toBe(upstreamCalls);
      await setOption(root, 'AutomaticDisableChannelEnabled', 'false');
    });

    it('with retries, a request that meets a dead key is served by the next key', async () => {
      await setOption(root, 'AutomaticDisableChannelEnabled', 'true');
      await setOption(root, 'RetryTimes', '2');
      const fake = await newFake();
      fake.behave((request) => (apiKeyOf(request) === 'rt-k2' ? invalidKey : { reply: 'ok' }));
      const id = await createMultiKeyChannel({ name: 'retry keys', keys: ['rt-k1', 'rt-k2', 'rt-k3'], mode: 'polling', models: 'gpt-4.1-2025-04-14', base_url: fake.url });
      for (let i = 0; i < 5; i++) {
        const completion = await client.chat.completions.create({ model: 'gpt-4.1-2025-04-14', messages: [{ role: 'user', content: 'hi' }] });
        expect(completion.choices[0].message.content).toBe('ok');
      }
      expect(fake.requests.map(apiKeyOf)).toEqual(['rt-k1', 'rt-k2', 'rt-k3', 'rt-k1', 'rt-k3', 'rt-k1']);
      const detail = await waitFor(() => channelDetail(id), (c) => c.channel_info?.multi_key_status_list?.['1'] === 3);
      expect(detail.status).toBe(ChannelStatus.Enabled);
      await setOption(root, 'AutomaticDisableChannelEnabled', 'false');
      await setOption(root, 'RetryTimes', '0');
    });
  });

  describe('per-channel proxy', () => {
    let httpProxy: HttpForwardProxy;
    let socksProxy: SocksProxy;

    beforeAll(async () => {
      httpProxy = await startHttpForwardProxy();
      socksProxy = await startSocksProxy();
    });

    afterAll(async () => {
      await httpProxy?.close();
      await socksProxy?.close();
    });

    it('sends a channel with an http proxy through it, reusing the tunnel', async () => {
      const fake = await newFake({ reply: 'via http proxy' });
      await addChannel({ name: 'http proxied', base_url: fake.url, models: 'gpt-4-turbo', setting: JSON.stringify({ proxy: httpProxy.url }) });
      await waitForRouting('gpt-4-turbo');
      for (let i = 0; i < 3; i++) {
        const completion = await client.chat.completions.create({ model: 'gpt-4-turbo', messages: [{ role: 'user', content: 'hi' }] });
        expect(completion.choices[0].message.content).toBe('via http proxy');
      }
      const fakeHost = new URL(fake.url).host;
      const tunnels = httpProxy.requests.filter((r) => r.method === 'CONNECT' && r.target === fakeHost);
      expect(tunnels.length).toBeGreaterThanOrEqual(1);
      expect(tunnels.length).toBeLessThan(3);
      expect(fake.requests).toHaveLength(3);
      expect(fake.requests[0].headers.authorization).toBe('Bearer sk-upstream-secret');
    });

    it('sends a channel with a socks5 proxy through it', async () => {
      const fake = await newFake({ reply: 'via socks' });
      await addChannel({ name: 'socks proxied', base_url: fake.url, models: 'gpt-4-turbo-preview', setting: JSON.stringify({ proxy: socksProxy.url }) });
      await waitForRouting('gpt-4-turbo-preview');
      const completion = await client.chat.completions.create({ model: 'gpt-4-turbo-preview', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('via socks');
      expect(socksProxy.connections).toContain(new URL(fake.url).host);
      expect(fake.requests).toHaveLength(1);
    });

    it('refuses an unusable proxy URL with a clear 5xx that does not repeat it, and retries elsewhere', async () => {
      await setOption(root, 'RetryTimes', '0');
      const fake = await newFake({ reply: 'healthy' });
      const cases = [
        { model: 'gpt-5-mini', proxy: 'ftp://secret-user:secret-pass@proxy-host.invalid:21', why: /not http, https, socks5 or socks5h/ },
        { model: 'gpt-5-nano', proxy: 'socks5://secret-user:secret-pass@proxy-host.invalid', why: /needs a port/ },
        { model: 'gpt-4.5-preview', proxy: 'http://secret-user:secret-pass@[proxy-host.invalid', why: /not a valid URL/ },
      ];
      for (const c of cases) {
        await addChannel({ name: `bad proxy ${c.model}`, base_url: fake.url, models: c.model, priority: 10, setting: JSON.stringify({ proxy: c.proxy }) });
      }
      await waitForRouting(...cases.map((c) => c.model));
      for (const c of cases) {
        const response = await chat(c.model);
        const text = await response.text();
        expect(response.status).toBeGreaterThanOrEqual(500);
        expect(response.status).toBeLessThan(600);
        const body = JSON.parse(text) as OpenAiErrorBody;
        expect(body.error.message).toMatch(/proxy setting cannot be used/);
        expect(body.error.message).toMatch(c.why);
        expect(body.error.code).toBe('channel/invalid-proxy');
        expect(text).not.toMatch(/secret|proxy-host/);
      }
      expect(fake.requests).toHaveLength(0);

      // A retryable channel failure: with a retry, a healthy lower-priority channel answers.
      await createChannel(root, { name: 'healthy fallback', base_url: fake.url, models: 'gpt-5-mini,probe-fallback', priority: 0 });
      await waitForRouting('probe-fallback');
      await setOption(root, 'RetryTimes', '1');
      const completion = await client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('healthy');
      expect(fake.requests).toHaveLength(1);
      await setOption(root, 'RetryTimes', '0');
    });

    it('treats a proxy that refuses the tunnel as a retryable failure, not a cancellation', async () => {
      const refusing = await startHttpForwardProxy();
      refusing.refuseWith = 403;
      try {
        const fake = await newFake({ reply: 'after refusal' });
        await addChannel({ name: 'refusing proxy', base_url: fake.url, models: 'gpt-4-0613', priority: 10, setting: JSON.stringify({ proxy: refusing.url }) });
        await waitForRouting('gpt-4-0613');
        await setOption(root, 'RetryTimes', '0');
        const refused = await chat('gpt-4-0613');
        expect(refused.status).toBe(502);
        expect(refusing.requests.some((r) => r.method === 'CONNECT')).toBe(true);
        await createChannel(root, { name: 'direct fallback', base_url: fake.url, models: 'gpt-4-0613,probe-direct', priority: 0 });
        await waitForRouting('probe-direct');
        await setOption(root, 'RetryTimes', '1');
        expect((await chat('gpt-4-0613')).status).toBe(200);
        expect(fake.requests).toHaveLength(1);
      } finally {
        await setOption(root, 'RetryTimes', '0');
        await refusing.close();
      }
    });
  });

  describe('timeouts', () => {
    it('RELAY_TIMEOUT cuts an upstream that sends no headers, and a retry goes to another channel', async () => {
      await setOption(root, 'RetryTimes', '0');
      const slow = await newFake({ reply: 'too late', delayMs: 3000 });
      await createChannel(root, { name: 'slow', base_url: slow.url, models: 'gpt-4', priority: 10 });
      await waitForRouting('gpt-4');
      let started = Date.now();
      const timedOut = await chat('gpt-4');
      const body = (await timedOut.json()) as OpenAiErrorBody;
      expect(timedOut.status).toBe(504);
      expect(body.error.message).toMatch(/did not answer in time/);
      expect(Date.now() - started).toBeLessThan(2800);

      const fast = await newFake({ reply: 'in time' });
      await createChannel(root, { name: 'fast', base_url: fast.url, models: 'gpt-4,probe-fast', priority: 0 });
      await waitForRouting('probe-fast');
      await setOption(root, 'RetryTimes', '1');
      started = Date.now();
      const completion = await client.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('in time');
      expect(Date.now() - started).toBeLessThan(2800);
      expect(slow.requests).toHaveLength(2);
      expect(fast.requests).toHaveLength(1);
      await setOption(root, 'RetryTimes', '0');
    });

    it('STREAMING_TIMEOUT ends a stalled stream and bills what was delivered', async () => {
      const stalled = await newFake({ reply: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 4, stallAfterChunks: 2, usage: false });
      await createChannel(root, { name: 'stalls', base_url: stalled.url, models: 'gpt-3.5-turbo' });
      await waitForRouting('gpt-3.5-turbo');
      const started = Date.now();
      const response = await chat('gpt-3.5-turbo', { stream: true });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(Date.now() - started).toBeLessThan(4000);
      const payloads = text
        .split('\n\n')
        .filter((frame) => frame.startsWith('data: '))
        .map((frame) => frame.slice(6));
      expect(payloads).not.toContain('[DONE]');
      const content = payloads
        .filter((p) => p.startsWith('{'))
        .map((p) => (JSON.parse(p) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '')
        .join('');
      expect(content).toBe('abcdefgh');
      expect(JSON.parse(payloads.at(-1)!)).toMatchObject({ error: { code: 'upstream/stream-broken' } });
      const logs = await waitForLogs(root, 'type=2&model_name=gpt-3.5-turbo', (rows) => rows.some((r) => r.is_stream));
      const row = logs.find((r) => r.is_stream)!;
      expect(row.completion_tokens).toBeGreaterThan(0);
      expect(row.quota).toBeGreaterThan(0);
    });
  });

  it('reuses upstream connections across sequential requests (keep-alive)', async () => {
    const fake = await newFake({ reply: 'ok' });
    await createChannel(root, { name: 'keep-alive', base_url: fake.url, models: 'gpt-3.5-turbo-16k' });
    await waitForRouting('gpt-3.5-turbo-16k');
    const requests = 10;
    for (let i = 0; i < requests; i++) expect((await chat('gpt-3.5-turbo-16k')).status).toBe(200);
    expect(fake.requests).toHaveLength(requests);
    expect(fake.connections).toBeLessThanOrEqual(2);
    expect(new Set(fake.requests.map((r) => r.connection)).size).toBe(fake.connections);
  });

  it('FORCE_STREAM_OPTION=false: the gateway does not add stream_options', async () => {
    const fake = await newFake({ reply: 'streamed', promptTokens: 5, completionTokens: 3 });
    await createChannel(root, { name: 'no force', base_url: fake.url, models: 'gpt-3.5-turbo-1106' });
    await waitForRouting('gpt-3.5-turbo-1106');
    const raw = JSON.stringify({ model: 'gpt-3.5-turbo-1106', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const response = await fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: raw,
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(fake.requests[0].body).not.toHaveProperty('stream_options');
    expect(fake.requests[0].rawBody).toBe(raw);
    expect(text).toContain('data: [DONE]');
    expect(text).not.toMatch(/"usage":\{/);
    // No upstream usage: billed from the local count.
    const logs = await waitForLogs(root, 'type=2&model_name=gpt-3.5-turbo-1106', (rows) => rows.length > 0);
    expect(logs[0].completion_tokens).toBeGreaterThan(0);
  });

  describe('OpenAI-legacy billing routes', () => {
    let user: ManagementClient;
    const quotaPerUnit = 500_000;

    const billing = async (path: string, apiKey: string) => {
      const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };

    beforeAll(async () => {
      const fake = await newFake({ reply: 'billed', promptTokens: 10, completionTokens: 7 });
      await createChannel(root, { name: 'billing', base_url: fake.url, models: 'gpt-4o' });
      const created = await root.post('/api/user/', { username: 'biller', password: 'biller-password', display_name: 'Biller' });
      expect(created.body.success).toBe(true);
      const found = await root.get<{ items: { id: number; username: string }[] }>('/api/user/search?keyword=biller');
      const id = found.body.data!.items.find((u) => u.username === 'biller')!.id;
      const update = await root.put('/api/user/', { id, username: 'biller', display_name: 'Biller', quota: 3_000_000, group: 'default' });
      expect(update.body.success).toBe(true);
      user = await new ManagementClient(api.baseUrl).loginOrThrow('biller', 'biller-password');
      await waitForRouting('gpt-4o');
    });

    it('reports a limited key as (remain + used) / QuotaPerUnit and its usage × 100', async () => {
      const expires = Math.floor(Date.now() / 1000) + 86_400;
      const limited = await createToken(user, { name: 'limited', unlimited_quota: false, remain_quota: 1_000_000, expired_time: expires });
      const response = await chat('gpt-4o', {}, limited.key);
      expect(response.status).toBe(200);
      // gpt-4o: (10 + 7 × 4) × 1.25 = 47.5 → 48
      await waitFor(
        () => user.get<{ used_quota: number }>(`/api/token/${limited.id}`),
        (reply) => reply.body.data!.used_quota === 48,
      );
      for (const prefix of ['', '/v1']) {
        const subscription = await billing(`${prefix}/dashboard/billing/subscription`, limited.key);
        expect(subscription).toEqual({
          object: 'billing_subscription',
          has_payment_method: true,
          soft_limit_usd: 2,
          hard_limit_usd: 2,
          system_hard_limit_usd: 2,
          access_until: expires,
        });
        const usage = await billing(`${prefix}/dashboard/billing/usage`, limited.key);
        expect(usage.object).toBe('list');
        expect(usage.total_usage as number).toBeCloseTo((48 / quotaPerUnit) * 100, 10);
      }
    });

    it('reports 100000000 for an unlimited key, and the wallet when token stats are off', async () => {
      const unlimited = await createToken(user, { name: 'unlimited', unlimited_quota: true });
      expect((await chat('gpt-4o', {}, unlimited.key)).status).toBe(200);
      await waitFor(
        () => user.get<{ used_quota: number }>(`/api/token/${unlimited.id}`),
        (reply) => reply.body.data!.used_quota === 48,
      );
      const subscription = await billing('/v1/dashboard/billing/subscription', unlimited.key);
      expect(subscription).toMatchObject({ hard_limit_usd: 100_000_000, soft_limit_usd: 100_000_000, system_hard_limit_usd: 100_000_000, access_until: 0 });
      expect((await billing('/v1/dashboard/billing/usage', unlimited.key)).total_usage as number).toBeCloseTo((48 / quotaPerUnit) * 100, 10);

      await setOption(root, 'DisplayTokenStatEnabled', 'false');
      try {
        const self = (await user.get<{ quota: number; used_quota: number }>('/api/user/self')).body.data!;
        // Both requests so far were billed to this wallet: 2 × 48.
        expect(self.used_quota).toBe(96);
        const wallet = (self.quota + self.used_quota) / quotaPerUnit;
        const walletView = await billing('/dashboard/billing/subscription', unlimited.key);
        expect(walletView).toMatchObject({ hard_limit_usd: wallet, soft_limit_usd: wallet });
        expect(wallet).toBeCloseTo(3_000_000 / quotaPerUnit, 10);
        expect((await billing('/dashboard/billing/usage', unlimited.key)).total_usage as number).toBeCloseTo((96 / quotaPerUnit) * 100, 10);
      } finally {
        await setOption(root, 'DisplayTokenStatEnabled', 'true');
      }
    });
  });
});

describe('relay channels: ENFORCE_INCLUDE_USAGE', () => {
  let api: RunningApi;
  let client: OpenAI;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    // FORCE_STREAM_OPTION off: the usage request upstream must come from ENFORCE_INCLUDE_USAGE alone.
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false', ENFORCE_INCLUDE_USAGE: 'true', FORCE_STREAM_OPTION: 'false' } });
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    fake = await startFakeOpenAi({ reply: 'hello there', promptTokens: 6, completionTokens: 3 });
    await createChannel(root, { name: 'usage', base_url: fake.url, models: 'gpt-4o' });
    const key = (await createToken(root, { name: 'usage key' })).key;
    client = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
    await waitFor(
      async () => (await fetch(`${api.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).json() as Promise<{ data: { id: string }[] }>,
      (list) => list.data.some((m) => m.id === 'gpt-4o'),
    );
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.close();
  });

  it('sends the usage chunk to a client that did not ask for it', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(fake.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('hello there');
    const usageChunks = chunks.filter((c) => c.usage);
    expect(usageChunks).toHaveLength(1);
    expect(usageChunks[0].choices).toEqual([]);
    expect(usageChunks[0].usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 3, total_tokens: 9 });
  });

  it('sends it once to a client that asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 3 });
  });
});
