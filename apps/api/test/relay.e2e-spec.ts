import OpenAI from 'openai';
import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, setOption, waitFor, waitForLogs } from './relay-fixtures';

/**
 * The relay core end to end: the official openai SDK → gateway → fake upstream (a real HTTP server
 * speaking OpenAI's wire format), with routing, retries, streaming and billing on.
 */
describe('relay: OpenAI-compatible endpoints', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let fake: FakeOpenAi;
  let key: string;
  let client: OpenAI;

  beforeAll(async () => {
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    fake = await startFakeOpenAi();
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o,gpt-3.5-turbo-instruct,text-embedding-3-small,gpt-4o-mini', model_mapping: JSON.stringify({ 'gpt-4o-mini': 'gpt-4o-upstream-name' }) });
    key = (await createToken(root, { name: 'sdk key' })).key;
    client = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.close();
  });

  beforeEach(() => {
    fake.behave({});
  });

  it('answers a non-stream chat completion and bills it from the upstream usage', async () => {
    fake.behave({ reply: 'Hello from the fake upstream', promptTokens: 10, completionTokens: 7 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('Hello from the fake upstream');
    expect(completion.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 7 });
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-secret');
    expect(sent.body.model).toBe('gpt-4o');
    // gpt-4o: ratio 1.25, completion ratio 4 → (10 + 7 × 4) × 1.25 = 47.5 → 48
    const logs = await waitForLogs(root, 'type=2&model_name=gpt-4o', (rows) => rows.some((r) => r.completion_tokens === 7 && !r.is_stream));
    const row = logs.find((r) => r.completion_tokens === 7 && !r.is_stream)!;
    expect(row.quota).toBe(48);
    expect(row.prompt_tokens).toBe(10);
    expect(JSON.parse(row.other)).toMatchObject({ model_ratio: 1.25, completion_ratio: 4, group_ratio: 1 });
  });

  it('streams chunk by chunk, asks the upstream for usage and hides the usage chunk from a client that did not ask', async () => {
    fake.behave({ reply: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 5, promptTokens: 12, completionTokens: 9 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('abcdefghijklmnopqrstuvwxyz');
    // role chunk + 6 content chunks + finish chunk, each forwarded as its own event
    expect(chunks).toHaveLength(8);
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(fake.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });
    const logs = await waitForLogs(root, 'type=2', (rows) => rows.some((r) => r.is_stream && r.completion_tokens === 9));
    // (12 + 9 × 4) × 1.25 = 60
    expect(logs.find((r) => r.is_stream && r.completion_tokens === 9)!.quota).toBe(60);
  });

  it('passes the usage chunk to a client that asked for it', async () => {
    fake.behave({ reply: 'hello', promptTokens: 3, completionTokens: 2 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2 });
  });

  it('counts tokens locally when the upstream sends no usage', async () => {
    fake.behave({ reply: 'one two three four five six seven eight', usage: false });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count me' }], stream: true });
    for await (const _ of stream) {
      // drain
    }
    const logs = await waitForLogs(root, 'type=2', (rows) => rows.some((r) => r.is_stream && r.completion_tokens === 8));
    const row = logs.find((r) => r.is_stream && r.completion_tokens === 8)!;
    expect(row.prompt_tokens).toBeGreaterThan(0);
    expect(row.quota).toBeGreaterThan(0);
  });

  it('relays legacy completions', async () => {
    fake.behave({ reply: 'completed text' });
    const completion = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say something' });
    expect(completion.choices[0].text).toBe('completed text');
    expect(fake.requests.at(-1)!.path).toBe('/v1/completions');
  });

  it('relays embeddings, including the SDK default base64 encoding', async () => {
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(fake.requests.at(-1)!.body.encoding_format).toBe('base64');
    expect(result.data).toHaveLength(2);
    expect(result.data[0].embedding).toEqual([0.25, -0.5, 0.125]);
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'a', encoding_format: 'float' });
    expect(floats.data[0].embedding).toEqual([0.25, -0.5, 0.125]);
  });

  it('lists and retrieves the models the key can use', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o', 'text-embedding-3-small', 'gpt-4o-mini']));
    const one = await client.models.retrieve('gpt-4o');
    expect(one.id).toBe('gpt-4o');
    await expect(client.models.retrieve('no-such-model')).rejects.toMatchObject({ status: 404 });
  });

  it('sends the mapped model name upstream and logs the requested one', async () => {
    fake.behave({ reply: 'mapped', promptTokens: 4, completionTokens: 1 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4o-upstream-name');
    const logs = await waitForLogs(root, 'type=2&model_name=gpt-4o-mini', (rows) => rows.length > 0);
    expect(JSON.parse(logs[0].other)).toMatchObject({ is_model_mapped: true, upstream_model_name: 'gpt-4o-upstream-name' });
  });

  it('forwards the client body byte for byte when nothing must change', async () => {
    const raw = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],  "x_custom_field": {"keep":[1,2]}}';
    const response = await fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: raw,
    });
    expect(response.status).toBe(200);
    expect(fake.requests.at(-1)!.rawBody).toBe(raw);
  });

  it('stops the upstream when the client disconnects mid-stream and bills what was delivered', async () => {
    fake.behave({ reply: 'word ', repeat: 400, chunkDelayMs: 10, usage: false });
    const controller = new AbortController();
    const response = await fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'long story' }], stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let received = '';
    // Read until a few content frames have arrived, then hang up.
    while ((received.match(/"content":"[^"]/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before the client hung up: ${received}`);
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    const upstreamCall = fake.requests.at(-1)!;
    await waitFor(async () => upstreamCall.aborted, (aborted) => aborted, 5_000);
    const logs = await waitForLogs(root, 'type=2', (rows) => rows.some((r) => r.is_stream && r.completion_tokens > 0 && r.completion_tokens < 400));
    expect(logs.some((r) => r.is_stream && r.completion_tokens > 0 && r.completion_tokens < 400)).toBe(true);
  });
});

describe('relay: retries and channel health', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let broken: FakeOpenAi;
  let healthy: FakeOpenAi;
  let client: OpenAI;

  beforeAll(async () => {
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    broken = await startFakeOpenAi({ status: 500, errorMessage: 'upstream exploded' });
    healthy = await startFakeOpenAi({ reply: 'healthy answer' });
    const key = (await createToken(root)).key;
    client = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
    // Made-up model names: self-use mode bills them at the default ratio instead of refusing them.
    await setOption(root, 'SelfUseModeEnabled', 'true');
  });

  afterAll(async () => {
    await api?.stop();
    await broken?.close();
    await healthy?.close();
  });

  it('bills a per-call priced model at its price, whatever the tokens', async () => {
    await setOption(root, 'ModelPrice', JSON.stringify({ 'priced-model': 0.02 }));
    const pricedUpstream = await startFakeOpenAi({ reply: 'priced answer', promptTokens: 5000, completionTokens: 5000 });
    try {
      await createChannel(root, { name: 'priced', base_url: pricedUpstream.url, models: 'priced-model' });
      await client.chat.completions.create({ model: 'priced-model', messages: [{ role: 'user', content: 'hi' }] });
    } finally {
      await pricedUpstream.close();
    }
    const logs = await waitForLogs(root, 'type=2&model_name=priced-model', (rows) => rows.length === 1);
    // 0.02 USD × 500000 quota per USD × group ratio 1
    expect(logs[0].quota).toBe(10_000);
    expect(JSON.parse(logs[0].other)).toMatchObject({ model_price: 0.02 });
  });

  it('retries a failing channel onto a healthy one', async () => {
    await setOption(root, 'RetryTimes', '2');
    // The broken channel has the higher priority, so it is tried first.
    await createChannel(root, { name: 'broken', base_url: broken.url, models: 'retry-model', priority: 10 });
    await createChannel(root, { name: 'healthy', base_url: healthy.url, models: 'retry-model', priority: 0 });
    const completion = await client.chat.completions.create({ model: 'retry-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('healthy answer');
    expect(broken.requests).toHaveLength(1);
    expect(healthy.requests).toHaveLength(1);
  });

  it('retries an empty reply onto another channel', async () => {
    const empty = await startFakeOpenAi({ reply: '' });
    try {
      await createChannel(root, { name: 'empty', base_url: empty.url, models: 'empty-model', priority: 10 });
      await createChannel(root, { name: 'fallback', base_url: healthy.url, models: 'empty-model', priority: 0 });
      const stream = await client.chat.completions.create({ model: 'empty-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('healthy answer');
      expect(empty.requests).toHaveLength(1);
    } finally {
      await empty.close();
    }
  });

  it("does not retry the caller's own 400", async () => {
    const picky = await startFakeOpenAi({ status: 400, errorMessage: 'bad parameter foo', errorType: 'invalid_request_error' });
    try {
      await createChannel(root, { name: 'picky', base_url: picky.url, models: 'picky-model', priority: 10 });
      await createChannel(root, { name: 'other', base_url: healthy.url, models: 'picky-model', priority: 0 });
      const before = healthy.requests.length;
      await expect(client.chat.completions.create({ model: 'picky-model', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('bad parameter foo'),
      });
      expect(healthy.requests.length).toBe(before);
    } finally {
      await picky.close();
    }
  });

  it("answers 502 without the upstream's text when the channel's own key is refused", async () => {
    const refusing = await startFakeOpenAi({ status: 401, errorMessage: 'Incorrect API key provided: sk-proj-abcd1234wxyz', errorType: 'invalid_request_error' });
    try {
      await createChannel(root, { name: 'refusing', base_url: refusing.url, models: 'lonely-model' });
      const response = await fetch(`${api.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'lonely-model', messages: [{ role: 'user', content: 'hi' }] }),
      });
      const text = await response.text();
      expect(response.status).toBe(502);
      expect(text).not.toContain('abcd1234');
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'upstream/channel-auth-failed' } });
    } finally {
      await refusing.close();
    }
  });

  it('disables a channel whose upstream answers 401, and routes around it', async () => {
    await setOption(root, 'AutomaticDisableChannelEnabled', 'true');
    const revoked = await startFakeOpenAi({ status: 401, errorMessage: 'Incorrect API key provided', errorCode: 'invalid_api_key', errorType: 'invalid_request_error' });
    try {
      const revokedId = await createChannel(root, { name: 'revoked', base_url: revoked.url, models: 'auth-model', priority: 10 });
      await createChannel(root, { name: 'good', base_url: healthy.url, models: 'auth-model', priority: 0 });
      const completion = await client.chat.completions.create({ model: 'auth-model', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('healthy answer');
      const channel = await waitFor(
        () => root.get<{ status: number }>(`/api/channel/${revokedId}`),
        (reply) => reply.body.data?.status === 3,
      );
      expect(channel.body.data?.status).toBe(3);
      const calls = revoked.requests.length;
      await client.chat.completions.create({ model: 'auth-model', messages: [{ role: 'user', content: 'hi' }] });
      expect(revoked.requests.length).toBe(calls);

      // The upstream account is fixed; an admin's pinned request succeeds and re-enables the channel.
      await setOption(root, 'AutomaticEnableChannelEnabled', 'true');
      revoked.behave({ reply: 'back again' });
      const pinned = new OpenAI({ apiKey: `${client.apiKey}-${revokedId}`, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
      const recovered = await pinned.chat.completions.create({ model: 'auth-model', messages: [{ role: 'user', content: 'hi' }] });
      expect(recovered.choices[0].message.content).toBe('back again');
      await waitFor(
        () => root.get<{ status: number }>(`/api/channel/${revokedId}`),
        (reply) => reply.body.data?.status === 1,
      );
    } finally {
      await revoked.close();
    }
  });
});
