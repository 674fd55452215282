import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { Agent } from 'undici';
import { FakeClaude, FakeGemini, FakeOpenAi, startFakeClaude, startFakeGemini, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, waitForLogs } from './relay-fixtures';

/**
 * Every client format reaches every upstream: the official Anthropic, Google and OpenAI SDKs
 * against /v1/messages, /v1beta and /v1, served by fake OpenAI, Claude, Gemini and Azure upstreams
 * (real HTTP servers speaking each wire format), billed from the usage each upstream reports.
 */
describe('relay: client formats and upstream protocols', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let openaiFake: FakeOpenAi;
  let claudeFake: FakeClaude;
  let geminiFake: FakeGemini;
  let azureFake: FakeOpenAi;
  let key: string;
  let anthropic: Anthropic;
  let openai: OpenAI;
  let genai: GoogleGenAI;

  beforeAll(async () => {
    // @google/genai dispatches through undici's global dispatcher, which Node creates on the real
    // global object, not on jest's sandboxed one.
    const dispatcherSymbol = Symbol.for('undici.globalDispatcher.1');
    const sandbox = globalThis as unknown as Record<symbol, unknown>;
    sandbox[dispatcherSymbol] ??= new Agent();
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    [openaiFake, claudeFake, geminiFake, azureFake] = await Promise.all([startFakeOpenAi(), startFakeClaude(), startFakeGemini(), startFakeOpenAi()]);
    await createChannel(root, { name: 'openai', base_url: openaiFake.url, models: 'gpt-4o,o3-mini-high' });
    await createChannel(root, {
      name: 'claude',
      type: 14,
      key: 'sk-ant-upstream',
      base_url: claudeFake.url,
      models: 'claude-3-5-sonnet-20241022,claude-3-7-sonnet-20250219-thinking',
    });
    await createChannel(root, {
      name: 'claude thinking to content',
      type: 14,
      key: 'sk-ant-upstream',
      base_url: claudeFake.url,
      models: 'claude-3-5-haiku-20241022',
      setting: JSON.stringify({ thinking_to_content: true }),
    });
    await createChannel(root, { name: 'gemini', type: 24, key: 'AIza-upstream', base_url: geminiFake.url, models: 'gemini-2.0-flash' });
    await createChannel(root, { name: 'azure', type: 3, key: 'azure-upstream-key', base_url: azureFake.url, models: 'gpt-4.1' });
    key = (await createToken(root, { name: 'formats' })).key;
    anthropic = new Anthropic({ apiKey: key, baseURL: api.baseUrl, maxRetries: 0 });
    openai = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
    genai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: api.baseUrl } });
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([openaiFake?.close(), claudeFake?.close(), geminiFake?.close(), azureFake?.close()]);
  });

  beforeEach(() => {
    openaiFake.behave({});
    claudeFake.behave({});
    geminiFake.behave({});
  });

  describe('Anthropic SDK → /v1/messages', () => {
    it('is served by an OpenAI channel, non-stream, with the system prompt and usage converted', async () => {
      openaiFake.behave({ reply: 'Bonjour', promptTokens: 21, completionTokens: 4 });
      const message = await anthropic.messages.create({
        model: 'gpt-4o',
        max_tokens: 100,
        system: 'Answer in French',
        messages: [{ role: 'user', content: 'Hello' }],
      });
      expect(message.type).toBe('message');
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Bonjour' })]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage).toMatchObject({ input_tokens: 21, output_tokens: 4 });
      const sent = openaiFake.requests.at(-1)!;
      expect(sent.path).toBe('/v1/chat/completions');
      expect(sent.body.messages).toEqual([
        { role: 'system', content: 'Answer in French' },
        { role: 'user', content: 'Hello' },
      ]);
      expect(sent.body.max_tokens).toBe(100);
      // gpt-4o: (21 + 4 × 4) × 1.25 = 46.25 → 46, logged under the Claude path
      const rows = await waitForLogs(root, 'type=2&model_name=gpt-4o', (r) => r.some((row) => row.prompt_tokens === 21));
      const row = rows.find((r) => r.prompt_tokens === 21)!;
      expect(row.quota).toBe(46);
      expect(JSON.parse(row.other).request_path).toBe('/v1/messages');
    });

    it('streams from an OpenAI channel as Claude events in order, with the final usage', async () => {
      openaiFake.behave({ reply: 'streamed answer here', chunkSize: 4, promptTokens: 9, completionTokens: 5 });
      const stream = anthropic.messages.stream({ model: 'gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
      const types: string[] = [];
      stream.on('streamEvent', (event) => types.push(event.type));
      const final = await stream.finalMessage();
      expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'streamed answer here' })]);
      expect(final.usage.output_tokens).toBe(5);
      expect(types[0]).toBe('message_start');
      expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
      expect(types.filter((t) => t === 'content_block_delta').length).toBe(5);
    });

    it('converts a tool call from an OpenAI channel into a tool_use block', async () => {
      openaiFake.behave({ toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
      const message = await anthropic.messages.create({
        model: 'gpt-4o',
        max_tokens: 100,
        tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      expect(message.stop_reason).toBe('tool_use');
      expect(message.content).toEqual([expect.objectContaining({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } })]);
      const sent = openaiFake.requests.at(-1)!;
      expect(sent.body.tools).toEqual([
        { type: 'function', function: expect.objectContaining({ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }) },
      ]);
    });

    it('relays to a Claude channel untouched (cache_control kept) and bills cache reads and writes', async () => {
      claudeFake.behave({ reply: 'cached hello', inputTokens: 1000, cacheReadTokens: 2000, cacheCreationTokens: 500, outputTokens: 100 });
      const message = await anthropic.messages.create({
        model: 'claude-3-5-sonnet-20241022',
        max_tokens: 200,
        system: [{ type: 'text', text: 'long system prompt', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'cached hello' })]);
      expect(message.usage).toMatchObject({ input_tokens: 1000, cache_read_input_tokens: 2000, cache_creation_input_tokens: 500, output_tokens: 100 });
      const sent = claudeFake.requests.at(-1)!;
      expect(sent.headers['x-api-key']).toBe('sk-ant-upstream');
      expect(sent.headers['anthropic-version']).toBe('2023-06-01');
      expect(sent.body.system).toEqual([{ type: 'text', text: 'long system prompt', cache_control: { type: 'ephemeral' } }]);
      // newapi-reference §3.4: (1000 + 2000 × 0.1 + 500 × 1.25 + 100 × 5) × 1.5 = 3487.5 → 3488
      const rows = await waitForLogs(root, 'type=2&model_name=claude-3-5-sonnet-20241022', (r) => r.some((row) => row.completion_tokens === 100));
      expect(rows.find((r) => r.completion_tokens === 100)!.quota).toBe(3488);
    });

    it('streams from a Claude channel frame for frame, thinking included', async () => {
      claudeFake.behave({ reply: 'the answer', thinking: 'let me think', outputTokens: 30 });
      const stream = anthropic.messages.stream({ model: 'claude-3-5-sonnet-20241022', max_tokens: 2000, messages: [{ role: 'user', content: 'Q' }] });
      const final = await stream.finalMessage();
      expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text']);
      expect(final.content[0]).toMatchObject({ thinking: 'let me think', signature: 'sig_fake' });
      expect(final.content[1]).toMatchObject({ text: 'the answer' });
      expect(final.usage.output_tokens).toBe(30);
    });

    it('answers bad input, a bad key and upstream failures in Claude error shape', async () => {
      const missing = await fetch(`${api.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(missing.status).toBe(400);
      const body = (await missing.json()) as { type: string; error: { type: string; message: string } };
      expect(body.type).toBe('error');
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toMatch(/max_tokens/);

      const badKey = new Anthropic({ apiKey: 'sk-not-a-key', baseURL: api.baseUrl, maxRetries: 0 });
      await expect(badKey.messages.create({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
        status: 401,
        error: { type: 'error', error: { type: 'authentication_error' } },
      });

      claudeFake.behave({ status: 400, errorType: 'invalid_request_error', errorMessage: 'prompt is too long' });
      await expect(
        anthropic.messages.create({ model: 'claude-3-5-sonnet-20241022', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({ status: 400, error: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } } });
    });
  });

  describe('OpenAI SDK → Claude and Gemini channels', () => {
    it('converts a chat completion to Claude and back, usage in OpenAI terms', async () => {
      claudeFake.behave({ reply: 'from claude', inputTokens: 7, cacheReadTokens: 3, outputTokens: 4 });
      const completion = await openai.chat.completions.create({
        model: 'claude-3-5-sonnet-20241022',
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'hi' },
        ],
      });
      expect(completion.choices[0].message.content).toBe('from claude');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 3 } });
      const sent = claudeFake.requests.at(-1)!;
      expect(sent.body).toMatchObject({ model: 'claude-3-5-sonnet-20241022', system: 'sys', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
      expect(typeof sent.body.max_tokens).toBe('number');
    });

    it('streams a Claude tool call as OpenAI tool_call deltas', async () => {
      claudeFake.behave({ reply: '', toolUse: { name: 'lookup', input: { q: 'cats' } } });
      const stream = await openai.chat.completions.create({
        model: 'claude-3-5-sonnet-20241022',
        stream: true,
        stream_options: { include_usage: true },
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
        messages: [{ role: 'user', content: 'find cats' }],
      });
      let args = '';
      let name = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        const call = chunk.choices[0]?.delta?.tool_calls?.[0];
        if (call?.function?.name) name = call.function.name;
        if (call?.function?.arguments) args += call.function.arguments;
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(name).toBe('lookup');
      expect(JSON.parse(args)).toEqual({ q: 'cats' });
      expect(finish).toBe('tool_calls');
      expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6 });
    });

    it('turns on Claude thinking for a -thinking model and sends the base name upstream', async () => {
      claudeFake.behave({ reply: 'thought through', thinking: 'hmm' });
      const completion = await openai.chat.completions.create({
        model: 'claude-3-7-sonnet-20250219-thinking',
        max_tokens: 4000,
        messages: [{ role: 'user', content: 'think' }],
      });
      expect(completion.choices[0].message.content).toBe('thought through');
      expect((completion.choices[0].message as { reasoning_content?: string }).reasoning_content).toBe('hmm');
      const sent = claudeFake.requests.at(-1)!;
      expect(sent.body.model).toBe('claude-3-7-sonnet-20250219');
      expect(sent.body.thinking).toMatchObject({ type: 'enabled' });
      expect((sent.body.thinking as { budget_tokens: number }).budget_tokens).toBeGreaterThanOrEqual(1024);
    });

    it('folds reasoning into the content as <think> when the channel asks for it', async () => {
      claudeFake.behave({ reply: 'final answer', thinking: 'pondering' });
      const completion = await openai.chat.completions.create({ model: 'claude-3-5-haiku-20241022', messages: [{ role: 'user', content: 'q' }] });
      expect(completion.choices[0].message.content).toBe('<think>\npondering\n</think>\n\nfinal answer');
      expect((completion.choices[0].message as { reasoning_content?: string }).reasoning_content).toBeUndefined();
      const stream = await openai.chat.completions.create({ model: 'claude-3-5-haiku-20241022', stream: true, messages: [{ role: 'user', content: 'q' }] });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('<think>\npondering\n</think>\n\nfinal answer');
    });

    it('converts to Gemini and back, thoughts billed as completion', async () => {
      geminiFake.behave({ reply: 'from gemini', promptTokens: 8, candidatesTokens: 5, thoughtsTokens: 3 });
      const completion = await openai.chat.completions.create({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('from gemini');
      expect(completion.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 8, completion_tokens_details: { reasoning_tokens: 3 } });
      const sent = geminiFake.requests.at(-1)!;
      expect(sent.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
      expect(sent.headers['x-goog-api-key']).toBe('AIza-upstream');
      expect(sent.body.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);
    });

    it('streams from Gemini (no [DONE] upstream) with usage from the last chunk', async () => {
      geminiFake.behave({ reply: 'gemini streaming', promptTokens: 6, candidatesTokens: 4 });
      const stream = await openai.chat.completions.create({
        model: 'gemini-2.0-flash',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'hi' }],
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('gemini streaming');
      expect(usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 4 });
      expect(geminiFake.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    });

    it('reaches Azure on its deployment URL with the api-key header', async () => {
      azureFake.behave({ reply: 'from azure' });
      const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('from azure');
      const sent = azureFake.requests.at(-1)!;
      expect(sent.path).toBe('/openai/deployments/gpt-41/chat/completions?api-version=2024-12-01-preview');
      expect(sent.headers['api-key']).toBe('azure-upstream-key');
      expect(sent.headers.authorization).toBeUndefined();
    });

    it('sets reasoning_effort from a -high suffix', async () => {
      await openai.chat.completions.create({ model: 'o3-mini-high', messages: [{ role: 'user', content: 'hi' }] });
      const sent = openaiFake.requests.at(-1)!;
      expect(sent.body).toMatchObject({ model: 'o3-mini', reasoning_effort: 'high' });
    });
  });

  describe('Google GenAI SDK → /v1beta', () => {
    it('is served by an OpenAI channel, non-stream', async () => {
      openaiFake.behave({ reply: 'hello gemini client', promptTokens: 5, completionTokens: 3 });
      const response = await genai.models.generateContent({
        model: 'gpt-4o',
        contents: 'Say hello',
        config: { systemInstruction: 'be nice', maxOutputTokens: 30 },
      });
      expect(response.text).toBe('hello gemini client');
      expect(response.usageMetadata).toMatchObject({ promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 });
      const sent = openaiFake.requests.at(-1)!;
      expect(sent.body).toMatchObject({
        model: 'gpt-4o',
        max_tokens: 30,
        messages: [
          { role: 'system', content: 'be nice' },
          { role: 'user', content: 'Say hello' },
        ],
      });
    });

    it('streams from an OpenAI channel', async () => {
      openaiFake.behave({ reply: 'one two three four', chunkSize: 5, promptTokens: 4, completionTokens: 4 });
      const stream = await genai.models.generateContentStream({ model: 'gpt-4o', contents: 'count' });
      let text = '';
      let last: { usageMetadata?: unknown; candidates?: { finishReason?: string }[] } | undefined;
      for await (const chunk of stream) {
        text += chunk.text ?? '';
        last = chunk;
      }
      expect(text).toBe('one two three four');
      expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
      expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 4, candidatesTokenCount: 4 });
    });

    it('relays to a Gemini channel untouched', async () => {
      geminiFake.behave({ reply: 'native gemini', promptTokens: 3, candidatesTokens: 2 });
      const response = await genai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hi', config: { temperature: 0.3 } });
      expect(response.text).toBe('native gemini');
      const sent = geminiFake.requests.at(-1)!;
      expect(sent.body).toMatchObject({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { temperature: 0.3 } });
    });

    it('answers bad input in Gemini error shape', async () => {
      const reply = await fetch(`${api.baseUrl}/v1beta/models/gpt-4o:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
        body: JSON.stringify({ contents: [] }),
      });
      expect(reply.status).toBe(400);
      const body = (await reply.json()) as { error: { code: number; status: string; message: string } };
      expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(body.error.message).toMatch(/contents/);
      const unknown = await fetch(`${api.baseUrl}/v1beta/models/gpt-4o:countTokens?key=${key}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
    });
  });
});
