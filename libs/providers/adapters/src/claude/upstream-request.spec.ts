import type { OpenAiChatRequest, OpenAiContentPart, UpstreamContext } from '@your-api/providers-core';
import { claudeUpstream } from './upstream-adapter';
import { defaultClaudeMaxTokens } from './upstream-request';

function context(overrides: Partial<UpstreamContext> = {}): UpstreamContext {
  return {
    channelType: 14,
    baseUrl: 'https://api.anthropic.com',
    apiKey: 'sk-ant-test',
    upstreamModel: 'claude-sonnet-4-5-20250929',
    stream: false,
    other: '',
    settings: {},
    ...overrides,
  };
}

/** The upstream body built for a request, parsed back from JSON. */
function body(request: Partial<OpenAiChatRequest>, ctx: Partial<UpstreamContext> = {}): Record<string, unknown> {
  const full: OpenAiChatRequest = { model: 'client-model', messages: [{ role: 'user', content: 'Hi' }], ...request };
  return JSON.parse(claudeUpstream.buildChatRequest(full, context(ctx)).body) as Record<string, unknown>;
}

describe('claudeUpstream.buildChatRequest: URL and headers', () => {
  const request: OpenAiChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi' }] };

  it('posts to /v1/messages, tolerating a trailing slash or a base already ending in /v1', () => {
    expect(claudeUpstream.buildChatRequest(request, context()).url).toBe('https://api.anthropic.com/v1/messages');
    expect(claudeUpstream.buildChatRequest(request, context({ baseUrl: 'https://proxy.example/' })).url).toBe('https://proxy.example/v1/messages');
    expect(claudeUpstream.buildChatRequest(request, context({ baseUrl: 'https://proxy.example/api/v1' })).url).toBe(
      'https://proxy.example/api/v1/messages',
    );
  });

  it('authenticates with x-api-key and the pinned anthropic-version', () => {
    const { headers } = claudeUpstream.buildChatRequest(request, context());
    expect(headers).toEqual({
      'x-api-key': 'sk-ant-test',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('asks for an event stream when streaming and forwards the client anthropic-beta header', () => {
    const { headers } = claudeUpstream.buildChatRequest(
      request,
      context({ stream: true, clientHeaders: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'x-other': 'no' } }),
    );
    expect(headers.accept).toBe('text/event-stream');
    expect(headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(headers['x-other']).toBeUndefined();
  });
});

describe('claudeUpstream.buildChatRequest: messages', () => {
  it('moves system and developer messages to the top-level system, joined in order', () => {
    const built = body({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(built.system).toBe('Be brief.\nAnswer in French.');
    expect(built.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('sends no system field when there is no system message', () => {
    expect(body({}).system).toBeUndefined();
  });

  it('merges consecutive same-role messages so roles alternate', () => {
    const built = body({
      messages: [
        { role: 'user', content: 'One' },
        { role: 'user', content: 'Two' },
        { role: 'assistant', content: 'A' },
        { role: 'assistant', content: 'B' },
      ],
    });
    expect(built.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] },
    ]);
  });

  it('puts a "..." user turn before a leading assistant message', () => {
    const built = body({ messages: [{ role: 'system', content: 'S' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Hi' }] });
    expect(built.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: '...' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
  });

  it('replaces empty and whitespace-only content with "..."', () => {
    const built = body({ messages: [{ role: 'user', content: '' }, { role: 'assistant', content: null }, { role: 'user', content: '  ' }] });
    expect(built.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: '...' }] },
      { role: 'assistant', content: [{ type: 'text', text: '...' }] },
      { role: 'user', content: [{ type: 'text', text: '...' }] },
    ]);
  });

  it('still sends one user turn when the request holds only a system message', () => {
    const built = body({ messages: [{ role: 'system', content: 'S' }] });
    expect(built.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: '...' }] }]);
  });

  it('turns assistant tool_calls into tool_use blocks with parsed input ({} for invalid JSON)', () => {
    const built = body({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{not json' } },
          ],
        },
      ],
    });
    expect((built.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
      ],
    });
  });

  it('sends tool messages as tool_result blocks in one user turn, before any user text', () => {
    const built = body({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect((built.messages as unknown[])[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' },
        { type: 'tool_result', tool_use_id: 'call_2', content: '12:00' },
        { type: 'text', text: 'Thanks' },
      ],
    });
    expect(built.messages).toHaveLength(3);
  });

  it('orders tool results first even when user text came before them', () => {
    const built = body({
      messages: [
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } }] },
        { role: 'user', content: 'Note' },
        { role: 'tool', tool_call_id: 'call_1', content: 'Done' },
      ],
    });
    expect((built.messages as { content: { type: string }[] }[])[2].content.map((block) => block.type)).toEqual(['tool_result', 'text']);
  });

  it('drops reasoning_content from assistant history (it has no signature to send back)', () => {
    const built = body({
      messages: [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'A', reasoning_content: 'thoughts' },
        { role: 'user', content: 'Q2' },
      ],
    });
    expect((built.messages as unknown[])[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'A' }] });
  });

  it('converts data-URL images to base64 sources and http(s) images to url sources', () => {
    const built = body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'ftp://example.com/x.png' } },
          ],
        },
      ],
    });
    expect(built.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('sends base64 PDF file parts as document blocks and drops audio and unknown parts', () => {
    const built = body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
            { type: 'refusal', refusal: 'no' } as unknown as OpenAiContentPart,
          ],
        },
      ],
    });
    expect(built.messages).toEqual([
      { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }] },
    ]);
  });
});

describe('claudeUpstream.buildChatRequest: parameters', () => {
  it('uses the upstream model and passes sampling parameters through', () => {
    const built = body({ temperature: 0.3, top_p: 0.9, top_k: 40, user: 'user-7' });
    expect(built).toMatchObject({ model: 'claude-sonnet-4-5-20250929', temperature: 0.3, top_p: 0.9, top_k: 40, metadata: { user_id: 'user-7' } });
    expect(built.stream).toBeUndefined();
  });

  it('sets stream when the context streams', () => {
    expect(body({}, { stream: true }).stream).toBe(true);
  });

  it('prefers max_completion_tokens, then max_tokens', () => {
    expect(body({ max_tokens: 100, max_completion_tokens: 200 }).max_tokens).toBe(200);
    expect(body({ max_tokens: 100 }).max_tokens).toBe(100);
  });

  it('applies a per-model max_tokens default when the client sent none', () => {
    expect(body({}).max_tokens).toBe(8192);
    expect(body({}, { upstreamModel: 'claude-3-opus-20240229' }).max_tokens).toBe(4096);
    expect(defaultClaudeMaxTokens('claude-3-5-sonnet-20241022')).toBe(8192);
    expect(defaultClaudeMaxTokens('claude-3-7-sonnet-20250219')).toBe(8192);
    expect(defaultClaudeMaxTokens('claude-opus-4-1-20250805')).toBe(8192);
    expect(defaultClaudeMaxTokens('claude-haiku-4-5')).toBe(8192);
    expect(defaultClaudeMaxTokens('claude-3-haiku-20240307')).toBe(4096);
    expect(defaultClaudeMaxTokens('claude-2.1')).toBe(4096);
  });

  it('maps stop to stop_sequences, dropping whitespace-only entries', () => {
    expect(body({ stop: 'END' }).stop_sequences).toEqual(['END']);
    expect(body({ stop: ['a', ' ', 'b'] }).stop_sequences).toEqual(['a', 'b']);
    expect(body({}).stop_sequences).toBeUndefined();
  });

  it('maps function tools, defaulting a missing schema to an empty object schema', () => {
    const built = body({
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
        { type: 'function', function: { name: 'ping' } },
      ],
    });
    expect(built.tools).toEqual([
      { name: 'get_weather', description: 'Weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'ping', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(built.tool_choice).toBeUndefined();
  });

  it.each([
    ['auto', false, { type: 'auto' }],
    ['required', false, { type: 'any' }],
    ['none', false, { type: 'none' }],
    [{ type: 'function', function: { name: 'get_weather' } }, false, { type: 'tool', name: 'get_weather' }],
    ['required', true, { type: 'any', disable_parallel_tool_use: true }],
    [undefined, true, { type: 'auto', disable_parallel_tool_use: true }],
  ] as const)('maps tool_choice %j (parallel off: %s)', (toolChoice, noParallel, expected) => {
    const built = body({
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
      tool_choice: toolChoice,
      ...(noParallel ? { parallel_tool_calls: false } : {}),
    });
    expect(built.tool_choice).toEqual(expected);
  });

  it('sends no tool_choice without tools', () => {
    expect(body({ tool_choice: 'required' }).tool_choice).toBeUndefined();
  });
});

describe('claudeUpstream.buildChatRequest: extended thinking', () => {
  it('stays off without the setting or a reasoning_effort', () => {
    const built = body({ temperature: 0.2, max_tokens: 2000 });
    expect(built.thinking).toBeUndefined();
    expect(built).toMatchObject({ temperature: 0.2, max_tokens: 2000 });
  });

  it('is enabled by the claudeThinking setting with budget = max_tokens × 0.8, temperature 1, no top_p/top_k', () => {
    const built = body({ max_tokens: 10000, temperature: 0.2, top_p: 0.5, top_k: 5 }, { settings: { claudeThinking: true } });
    expect(built.thinking).toEqual({ type: 'enabled', budget_tokens: 8000 });
    expect(built.max_tokens).toBe(10000);
    expect(built.temperature).toBe(1);
    expect(built).not.toHaveProperty('top_p');
    expect(built).not.toHaveProperty('top_k');
  });

  it('is enabled by reasoning_effort and uses the configured ratio', () => {
    const built = body({ max_tokens: 4000, reasoning_effort: 'high' }, { settings: { claudeThinkingBudgetRatio: 0.5 } });
    expect(built.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
  });

  it('ignores reasoning_effort "none"', () => {
    expect(body({ reasoning_effort: 'none' }).thinking).toBeUndefined();
  });

  it('raises max_tokens to 1280 and keeps the budget at least 1024', () => {
    const built = body({ max_tokens: 500 }, { settings: { claudeThinking: true, claudeThinkingBudgetRatio: 0.1 } });
    expect(built.max_tokens).toBe(1280);
    expect(built.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });

  it('keeps the budget below max_tokens even with a ratio of 1', () => {
    const built = body({ max_tokens: 3000 }, { settings: { claudeThinking: true, claudeThinkingBudgetRatio: 1 } });
    expect(built.thinking).toEqual({ type: 'enabled', budget_tokens: 2999 });
  });

  it('budgets from the per-model default when max_tokens is absent', () => {
    const built = body({}, { settings: { claudeThinking: true } });
    expect(built.max_tokens).toBe(8192);
    expect(built.thinking).toEqual({ type: 'enabled', budget_tokens: Math.floor(8192 * 0.8) });
  });
});
