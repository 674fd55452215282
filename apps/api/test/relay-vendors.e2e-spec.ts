import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { DEFAULT_MODEL_RATIO } from '@your-api/billing-math';
import { FakeCohere, FakeCoze, FakeDify, startFakeCohere, startFakeCoze, startFakeDify } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, LogRow, setOption, waitForLogs } from './relay-fixtures';

/**
 * Cohere (chat v2), Dify (chat apps) and Coze (v3 bots) channels through the official OpenAI and
 * Anthropic SDKs: each served by a fake speaking that vendor's wire format, converted both ways,
 * and billed from the usage the vendor reports.
 */
describe('relay: Cohere, Dify and Coze upstreams', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let cohereFake: FakeCohere;
  let difyFake: FakeDify;
  let cozeFake: FakeCoze;
  let openai: OpenAI;
  let anthropic: Anthropic;

  /** The one consume-log row of `model` whose prompt tokens are `promptTokens` (each test uses its own count). */
  async function billedRow(model: string, promptTokens: number): Promise<LogRow> {
    const rows = await waitForLogs(root, `type=2&model_name=${model}`, (r) => r.some((row) => row.prompt_tokens === promptTokens));
    return rows.find((row) => row.prompt_tokens === promptTokens)!;
  }

  beforeAll(async () => {
    // DIFY_DEBUG defaults to true (New API); off here, so the answer-only stream is what is checked.
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false', COHERE_SAFETY_SETTING: 'STRICT', DIFY_DEBUG: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    [cohereFake, difyFake, cozeFake] = await Promise.all([startFakeCohere(), startFakeDify(), startFakeCoze()]);
    await setOption(root, 'ModelRatio', JSON.stringify({ ...DEFAULT_MODEL_RATIO, 'dify-chatflow': 0.5, 'coze-bot': 0.5, 'coze-flow': 0.5 }));
    await createChannel(root, { name: 'cohere', type: 34, key: 'co-upstream', base_url: cohereFake.url, models: 'command-r' });
    await createChannel(root, { name: 'dify', type: 37, key: 'app-upstream', base_url: difyFake.url, models: 'dify-chatflow' });
    await createChannel(root, { name: 'coze', type: 49, key: 'pat-upstream', base_url: cozeFake.url, models: 'coze-bot', other: 'bot-7379' });
    await createChannel(root, { name: 'coze chatflow', type: 49, key: 'pat-upstream', base_url: cozeFake.url, models: 'coze-flow', other: 'workflow:7480001' });
    const key = (await createToken(root, { name: 'vendors' })).key;
    openai = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: key, baseURL: api.baseUrl, maxRetries: 0 });
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([cohereFake?.close(), difyFake?.close(), cozeFake?.close()]);
  });

  beforeEach(() => {
    cohereFake.behave({});
    difyFake.behave({});
    cozeFake.behave({});
  });

  describe('Cohere channel', () => {
    it('converts a chat completion to Cohere v2 and back, billed from billed_units', async () => {
      cohereFake.behave({ reply: 'Bonjour', inputTokens: 21, outputTokens: 4 });
      const completion = await openai.chat.completions.create({
        model: 'command-r',
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 50,
        messages: [
          { role: 'system', content: 'Answer in French' },
          { role: 'user', content: 'Hello' },
        ],
      });
      expect(completion.choices[0].message.content).toBe('Bonjour');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 });
      const sent = cohereFake.requests.at(-1)!;
      expect(sent.path).toBe('/v2/chat');
      expect(sent.headers.authorization).toBe('Bearer co-upstream');
      // COHERE_SAFETY_SETTING=STRICT reaches the request as safety_mode.
      expect(sent.body).toEqual({
        model: 'command-r',
        messages: [
          { role: 'system', content: 'Answer in French' },
          { role: 'user', content: 'Hello' },
        ],
        max_tokens: 50,
        temperature: 0.2,
        p: 0.9,
        safety_mode: 'STRICT',
      });
      // command-r: (21 + 4 × 3) × 0.25 = 8.25 → 8
      const row = await billedRow('command-r', 21);
      expect(row.completion_tokens).toBe(4);
      expect(row.quota).toBe(8);
      expect(row.is_stream).toBe(false);
    });

    it('streams Cohere events as OpenAI chunks with the final usage', async () => {
      cohereFake.behave({ reply: 'streamed from cohere today', inputTokens: 13, outputTokens: 6 });
      const stream = await openai.chat.completions.create({
        model: 'command-r',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Hi' }],
      });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('streamed from cohere today');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 6 });
      expect(cohereFake.requests.at(-1)!.body).toMatchObject({ stream: true, messages: [{ role: 'user', content: 'Hi' }] });
      // (13 + 6 × 3) × 0.25 = 7.75 → 8
      const row = await billedRow('command-r', 13);
      expect(row.quota).toBe(8);
      expect(row.is_stream).toBe(true);
    });

    it('streams a Cohere tool call as tool_call deltas, the tool plan as reasoning', async () => {
      cohereFake.behave({ toolCall: { name: 'lookup', arguments: '{"q":"cats"}' }, inputTokens: 33 });
      const stream = await openai.chat.completions.create({
        model: 'command-r',
        stream: true,
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
        messages: [{ role: 'user', content: 'find cats' }],
      });
      let name = '';
      let args = '';
      let reasoning = '';
      let finish: string | null = null;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta as (OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string }) | undefined;
        const call = delta?.tool_calls?.[0];
        if (call?.function?.name) name = call.function.name;
        args += call?.function?.arguments ?? '';
        reasoning += delta?.reasoning_content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(name).toBe('lookup');
      expect(JSON.parse(args)).toEqual({ q: 'cats' });
      expect(reasoning).toBe('I will call lookup.');
      expect(finish).toBe('tool_calls');
      expect(cohereFake.requests.at(-1)!.body.tools).toEqual([
        { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } },
      ]);
      expect((await billedRow('command-r', 33)).completion_tokens).toBe(8);
    });

    it("passes Cohere's error status and message through", async () => {
      cohereFake.behave({ status: 400, errorMessage: 'invalid request: message must be at least 1 token long' });
      await expect(openai.chat.completions.create({ model: 'command-r', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('message must be at least 1 token long'),
      });
    });

    it('serves the Anthropic SDK (/v1/messages) from a Cohere channel, non-stream', async () => {
      cohereFake.behave({ reply: 'Claude-shaped answer', inputTokens: 17, outputTokens: 5 });
      const message = await anthropic.messages.create({
        model: 'command-r',
        max_tokens: 64,
        system: 'Be concise',
        messages: [{ role: 'user', content: 'Summarise' }],
      });
      expect(message.type).toBe('message');
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Claude-shaped answer' })]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage).toMatchObject({ input_tokens: 17, output_tokens: 5 });
      expect(cohereFake.requests.at(-1)!.body).toMatchObject({
        model: 'command-r',
        max_tokens: 64,
        messages: [
          { role: 'system', content: 'Be concise' },
          { role: 'user', content: 'Summarise' },
        ],
      });
      const row = await billedRow('command-r', 17);
      expect(JSON.parse(row.other).request_path).toBe('/v1/messages');
    });

    it('streams to the Anthropic SDK from a Cohere channel, Claude events in order', async () => {
      cohereFake.behave({ reply: 'one two three', inputTokens: 9, outputTokens: 3 });
      const stream = anthropic.messages.stream({ model: 'command-r', max_tokens: 32, messages: [{ role: 'user', content: 'count' }] });
      const types: string[] = [];
      stream.on('streamEvent', (event) => types.push(event.type));
      const final = await stream.finalMessage();
      expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'one two three' })]);
      expect(final.usage.output_tokens).toBe(3);
      expect(types[0]).toBe('message_start');
      expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
      expect(cohereFake.requests.at(-1)!.body.stream).toBe(true);
    });
  });

  describe('Dify channel', () => {
    it('sends a blocking chat-message and returns its answer and usage', async () => {
      difyFake.behave({ reply: 'Dify says hi', promptTokens: 31, completionTokens: 9 });
      const completion = await openai.chat.completions.create({ model: 'dify-chatflow', user: 'alice', messages: [{ role: 'user', content: 'Hello' }] });
      expect(completion.choices[0].message.content).toBe('Dify says hi');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 31, completion_tokens: 9, total_tokens: 40 });
      const sent = difyFake.requests.at(-1)!;
      expect(sent.path).toBe('/v1/chat-messages');
      expect(sent.headers.authorization).toBe('Bearer app-upstream');
      expect(sent.body).toEqual({ inputs: {}, query: 'Hello', response_mode: 'blocking', user: 'alice', auto_generate_name: false });
      // dify-chatflow: (31 + 9) × 0.5 = 20
      const row = await billedRow('dify-chatflow', 31);
      expect(row.quota).toBe(20);
      expect(row.is_stream).toBe(false);
    });

    it('streams a chatflow answer; workflow events stay out of it with DIFY_DEBUG=false', async () => {
      difyFake.behave({ reply: 'flow answer here', workflow: true, promptTokens: 17, completionTokens: 5 });
      const stream = await openai.chat.completions.create({
        model: 'dify-chatflow',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: 'Be kind.' },
          { role: 'user', content: 'Hi' },
        ],
      });
      let text = '';
      let reasoning = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('flow answer here');
      expect(reasoning).toBe('');
      expect(usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 5 });
      expect(difyFake.requests.at(-1)!.body).toEqual({
        inputs: {},
        query: 'SYSTEM: \nBe kind.\nUSER: \nHi\n',
        response_mode: 'streaming',
        user: 'your-api',
        auto_generate_name: false,
      });
      // (17 + 5) × 0.5 = 11
      const row = await billedRow('dify-chatflow', 17);
      expect(row.quota).toBe(11);
      expect(row.is_stream).toBe(true);
    });

    it("raises Dify's in-stream error event in the OpenAI SDK", async () => {
      difyFake.behave({ reply: 'partial answer then failure', streamError: true });
      const stream = await openai.chat.completions.create({ model: 'dify-chatflow', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
      let text = '';
      const read = async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      };
      await expect(read()).rejects.toMatchObject({ message: expect.stringContaining('quota for this provider has been exhausted') });
      expect(text).toBe('partial ');
    });
  });

  describe('Coze channel', () => {
    it("streams a bot's answer with the channel's bot id, user and assistant turns, and Coze usage", async () => {
      cozeFake.behave({ reply: 'Coze replies now', reasoning: 'checking', inputCount: 41, outputCount: 7 });
      const stream = await openai.chat.completions.create({
        model: 'coze-bot',
        stream: true,
        stream_options: { include_usage: true },
        user: 'bob',
        messages: [
          { role: 'system', content: 'left out: the bot has its own persona' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'How are you?' },
        ],
      });
      let text = '';
      let reasoning = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('Coze replies now');
      expect(reasoning).toBe('checking');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 41, completion_tokens: 7, total_tokens: 48 });
      const sent = cozeFake.requests.at(-1)!;
      expect(sent.path).toBe('/v3/chat');
      expect(sent.headers.authorization).toBe('Bearer pat-upstream');
      expect(sent.body).toEqual({
        bot_id: 'bot-7379',
        user_id: 'bob',
        stream: true,
        additional_messages: [
          { role: 'user', type: 'question', content: 'Hi', content_type: 'text' },
          { role: 'assistant', type: 'answer', content: 'Hello!', content_type: 'text' },
          { role: 'user', type: 'question', content: 'How are you?', content_type: 'text' },
        ],
      });
      // coze-bot: (41 + 7) × 0.5 = 24
      const row = await billedRow('coze-bot', 41);
      expect(row.quota).toBe(24);
      expect(row.is_stream).toBe(true);
    });

    it('answers a non-stream client from the Coze stream, folded into one completion', async () => {
      cozeFake.behave({ reply: 'Folded coze answer', inputCount: 30, outputCount: 4 });
      const completion = await openai.chat.completions.create({ model: 'coze-bot', messages: [{ role: 'user', content: 'hello bot' }] });
      expect(completion.choices[0].message.content).toBe('Folded coze answer');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 4 });
      expect(cozeFake.requests.at(-1)!.body.stream).toBe(true);
      // coze-bot: (30 + 4) × 0.5 = 17
      const row = await billedRow('coze-bot', 30);
      expect(row.quota).toBe(17);
      expect(row.is_stream).toBe(false);
    });

    it("shows Coze's own failure message to a non-stream client", async () => {
      cozeFake.behave({ failure: { code: 4200, msg: 'Requested resource bot_id=bot-7379 does not exist.' } });
      await expect(openai.chat.completions.create({ model: 'coze-bot', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
        status: 502,
        message: expect.stringContaining('does not exist'),
      });
    });

    it('runs a Coze chatflow when the channel names workflow:<id>, with workflow_parameters', async () => {
      cozeFake.behave({ reply: 'Flow answer', inputCount: 12, outputCount: 3 });
      const completion = await openai.chat.completions.create({
        model: 'coze-flow',
        messages: [{ role: 'user', content: 'run it' }],
        workflow_parameters: { city: 'Paris' },
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
      expect(completion.choices[0].message.content).toBe('Flow answer');
      const sent = cozeFake.requests.at(-1)!;
      expect(sent.path).toBe('/v1/workflows/chat');
      expect(sent.body).toMatchObject({ workflow_id: '7480001', parameters: { city: 'Paris' }, stream: true });
    });

    it('raises a failed Coze chat as an error in the stream', async () => {
      cozeFake.behave({ chatFailed: { code: 4028, msg: "The chat has exceeded the model's token limit." } });
      const stream = await openai.chat.completions.create({ model: 'coze-bot', stream: true, messages: [{ role: 'user', content: 'long' }] });
      const read = async () => {
        for await (const chunk of stream) void chunk;
      };
      await expect(read()).rejects.toMatchObject({ message: expect.stringContaining('token limit') });
    });

    it("answers a Coze {code, msg} failure (HTTP 200) as an error, not an empty reply", async () => {
      cozeFake.behave({ failure: { code: 4200, msg: 'Requested resource bot_id=bot-7379 does not exist.' } });
      await expect(
        openai.chat.completions.create({ model: 'coze-bot', stream: true, messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({ status: 502 });
    });
  });
});
