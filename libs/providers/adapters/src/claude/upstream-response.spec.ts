import type { UpstreamContext } from '@your-api/providers-core';
import { claudeUpstream } from './upstream-adapter';

const ctx: UpstreamContext = {
  channelType: 14,
  baseUrl: 'https://api.anthropic.com',
  apiKey: 'k',
  upstreamModel: 'claude-sonnet-4-5',
  stream: false,
  other: '',
  settings: {},
};

function message(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'msg_01abc',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: 'Hi', citations: null }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    ...overrides,
  };
}

describe('claudeUpstream.convertChatResponse', () => {
  it('converts a text reply into a chat.completion with the message id and a current created time', () => {
    const before = Math.floor(Date.now() / 1000);
    const response = claudeUpstream.convertChatResponse(message({}), ctx);
    expect(response).toMatchObject({
      id: 'msg_01abc',
      object: 'chat.completion',
      model: 'claude-sonnet-4-5',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
    });
    expect(response.created).toBeGreaterThanOrEqual(before);
    expect(response.usage?.prompt_tokens_details).toBeUndefined();
  });

  it("falls back to the message's model when the context has none", () => {
    expect(claudeUpstream.convertChatResponse(message({}), { ...ctx, upstreamModel: '' }).model).toBe('claude-sonnet-4-5-20250929');
  });

  it('joins text blocks and turns tool_use blocks into tool calls with JSON arguments', () => {
    const response = claudeUpstream.convertChatResponse(
      message({
        content: [
          { type: 'text', text: 'Let me ' },
          { type: 'text', text: 'check.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
        ],
        stop_reason: 'tool_use',
      }),
      ctx,
    );
    expect(response.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('gives null content for a reply that only calls tools', () => {
    const response = claudeUpstream.convertChatResponse(
      message({ content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }], stop_reason: 'tool_use' }),
      ctx,
    );
    expect(response.choices[0].message.content).toBeNull();
  });

  it('puts thinking into reasoning_content and ignores redacted thinking', () => {
    const response = claudeUpstream.convertChatResponse(
      message({
        content: [
          { type: 'thinking', thinking: 'Two plus two.', signature: 'sig' },
          { type: 'redacted_thinking', data: 'xyz' },
          { type: 'text', text: '4' },
        ],
      }),
      ctx,
    );
    expect(response.choices[0].message).toEqual({ role: 'assistant', content: '4', reasoning_content: 'Two plus two.' });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['something_new', 'stop'],
    [null, null],
  ])('maps stop_reason %s to finish_reason %s', (stopReason, finishReason) => {
    expect(claudeUpstream.convertChatResponse(message({ stop_reason: stopReason }), ctx).choices[0].finish_reason).toBe(finishReason);
  });

  it('reports usage in OpenAI semantics: the prompt includes cache reads and writes', () => {
    const response = claudeUpstream.convertChatResponse(
      message({ usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 } }),
      ctx,
    );
    expect(response.usage).toEqual({
      prompt_tokens: 130,
      completion_tokens: 5,
      total_tokens: 135,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
    });
  });

  it('survives a body without content or usage', () => {
    const response = claudeUpstream.convertChatResponse({}, ctx);
    expect(response.choices[0].message.content).toBe('');
    expect(response.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });
});
