import { ChannelType } from '@your-api/contracts';
import type { OpenAiChatRequest, UpstreamContext } from '@your-api/providers-core';
import { chatAdapterOf, upstreamProtocolOf } from '../protocols';
import { cohereUpstream } from './upstream';
import { cohereChatUrl, cohereSafetyMode } from './upstream-request';

const ctx = (overrides: Partial<UpstreamContext> = {}): UpstreamContext => ({
  channelType: ChannelType.Cohere,
  baseUrl: 'https://api.cohere.ai',
  apiKey: 'co-key',
  upstreamModel: 'command-r-plus',
  stream: false,
  other: '',
  settings: {},
  ...overrides,
});

const bodyOf = (request: Partial<OpenAiChatRequest>, context = ctx()) =>
  JSON.parse(cohereUpstream.buildChatRequest({ model: 'client-name', messages: [], ...request }, context).body) as Record<string, unknown>;

describe('cohereUpstream.buildChatRequest', () => {
  it('posts to /v2/chat with a bearer key, asking for JSON or a stream', () => {
    const plain = cohereUpstream.buildChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, ctx());
    expect(plain.url).toBe('https://api.cohere.ai/v2/chat');
    expect(plain.headers).toEqual({ authorization: 'Bearer co-key', 'content-type': 'application/json', accept: 'application/json' });
    const streamed = cohereUpstream.buildChatRequest({ model: 'm', messages: [] }, ctx({ stream: true }));
    expect(streamed.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(streamed.body)).toMatchObject({ stream: true });
    expect(JSON.parse(plain.body)).not.toHaveProperty('stream');
  });

  it('tolerates a trailing slash, a /v2 base and an empty base', () => {
    expect(cohereChatUrl('https://proxy.example/cohere/')).toBe('https://proxy.example/cohere/v2/chat');
    expect(cohereChatUrl('https://proxy.example/v2')).toBe('https://proxy.example/v2/chat');
    expect(cohereChatUrl('')).toBe('https://api.cohere.com/v2/chat');
  });

  it('sends the upstream model and every role, system and developer as system', () => {
    const body = bodyOf({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: 'Where?' },
        { role: 'user', content: [{ type: 'text', text: 'Par' }, { type: 'text', text: 'is' }] },
      ],
    });
    expect(body.model).toBe('command-r-plus');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Use metric units.' },
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: 'Where?' },
      { role: 'user', content: 'Paris' },
    ]);
  });

  it('keeps images as image_url parts and drops audio', () => {
    const body = bodyOf({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://img.example/cat.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'input_audio', input_audio: { data: 'UklG', format: 'wav' } },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://img.example/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
    ]);
  });

  it('sends assistant tool calls with their text as tool_plan, and tool results by call id', () => {
    const body = bodyOf({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: 'I will check.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'Now the time.',
          tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } }],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        tool_plan: 'I will check.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      { role: 'assistant', tool_plan: 'Now the time.', tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
    ]);
  });

  it('maps sampling fields to Cohere names', () => {
    const body = bodyOf({
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 100,
      max_completion_tokens: 200,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
      stop: 'END',
    });
    expect(body).toMatchObject({ max_tokens: 200, temperature: 0.3, p: 0.9, k: 40, seed: 7, frequency_penalty: 0.1, presence_penalty: 0.2, stop_sequences: ['END'] });
    expect(body).not.toHaveProperty('top_p');
    expect(bodyOf({ messages: [], stop: ['a', '', 'b'] }).stop_sequences).toEqual(['a', 'b']);
    expect(bodyOf({ messages: [] })).not.toHaveProperty('max_tokens');
  });

  it('converts tools and tool_choice; a named tool is the only one offered and required', () => {
    const tools: OpenAiChatRequest['tools'] = [
      { type: 'function', function: { name: 'a', description: 'first', parameters: { type: 'object', properties: { q: { type: 'string' } } } } },
      { type: 'function', function: { name: 'b' } },
    ];
    expect(bodyOf({ messages: [], tools })).toMatchObject({
      tools: [
        { type: 'function', function: { name: 'a', description: 'first', parameters: { type: 'object', properties: { q: { type: 'string' } } } } },
        { type: 'function', function: { name: 'b', parameters: { type: 'object', properties: {} } } },
      ],
    });
    expect(bodyOf({ messages: [], tools })).not.toHaveProperty('tool_choice');
    expect(bodyOf({ messages: [], tools, tool_choice: 'required' }).tool_choice).toBe('REQUIRED');
    expect(bodyOf({ messages: [], tools, tool_choice: 'none' }).tool_choice).toBe('NONE');
    const named = bodyOf({ messages: [], tools, tool_choice: { type: 'function', function: { name: 'b' } } });
    expect(named.tool_choice).toBe('REQUIRED');
    expect((named.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['b']);
  });

  it('asks for JSON output for json_object and json_schema', () => {
    expect(bodyOf({ messages: [], response_format: { type: 'json_object' } }).response_format).toEqual({ type: 'json_object' });
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    expect(bodyOf({ messages: [], response_format: { type: 'json_schema', json_schema: { name: 's', schema } } }).response_format).toEqual({
      type: 'json_object',
      json_schema: schema,
    });
    expect(bodyOf({ messages: [], response_format: { type: 'text' } })).not.toHaveProperty('response_format');
  });

  it('sends COHERE_SAFETY_SETTING as safety_mode, and nothing for NONE or unset (New API)', () => {
    expect(bodyOf({ messages: [] }, ctx({ settings: { cohereSafetySetting: 'STRICT' } })).safety_mode).toBe('STRICT');
    expect(bodyOf({ messages: [] }, ctx({ settings: { cohereSafetySetting: 'contextual' } })).safety_mode).toBe('CONTEXTUAL');
    expect(bodyOf({ messages: [] }, ctx({ settings: { cohereSafetySetting: 'NONE' } }))).not.toHaveProperty('safety_mode');
    expect(bodyOf({ messages: [] })).not.toHaveProperty('safety_mode');
    expect(cohereSafetyMode('OFF')).toBe('OFF');
    expect(cohereSafetyMode('loose')).toBeNull();
  });

  it('is the adapter the registry picks for Cohere channels', () => {
    expect(upstreamProtocolOf(ChannelType.Cohere)).toBe('cohere');
    expect(chatAdapterOf('cohere')).toBe(cohereUpstream);
  });
});
