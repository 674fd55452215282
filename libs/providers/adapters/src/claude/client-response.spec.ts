import type { OpenAiChatResponse } from '@your-api/providers-core';
import { claudeClientFormat } from './client-format';

function response(message: Partial<OpenAiChatResponse['choices'][number]['message']>, finishReason: OpenAiChatResponse['choices'][number]['finish_reason'] = 'stop', usage?: OpenAiChatResponse['usage']): OpenAiChatResponse {
  return {
    id: 'chatcmpl-abc123',
    object: 'chat.completion',
    created: 1700000000,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finishReason }],
    usage: usage ?? { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
  };
}

const fromOpenAi = (body: OpenAiChatResponse) => claudeClientFormat.fromOpenAiResponse(body, 'claude-sonnet-4-5');

describe('claudeClientFormat.fromOpenAiResponse', () => {
  it('builds a Claude Message with the OpenAI id suffix and the client model', () => {
    expect(fromOpenAi(response({ content: 'Hi' }))).toEqual({
      id: 'msg_abc123',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 9, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
  });

  it('orders thinking, text, then tool_use blocks', () => {
    const message = fromOpenAi(
      response(
        {
          content: 'Checking.',
          reasoning_content: 'Need the weather.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'broken', arguments: '{oops' } },
          ],
        },
        'tool_calls',
      ),
    ) as { content: unknown[]; stop_reason: string };
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Need the weather.', signature: '' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'broken', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('says tool_use when tool calls came back with finish_reason "stop"', () => {
    const message = fromOpenAi(response({ tool_calls: [{ id: 'c', type: 'function', function: { name: 'n', arguments: '{}' } }] }, 'stop')) as {
      content: unknown[];
      stop_reason: string;
    };
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: 'c', name: 'n', input: {} }]);
  });

  it('gives one empty text block for an empty reply', () => {
    expect((fromOpenAi(response({ content: '' })) as { content: unknown[] }).content).toEqual([{ type: 'text', text: '' }]);
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ] as const)('maps finish_reason %s to stop_reason %s', (finishReason, stopReason) => {
    expect((fromOpenAi(response({ content: 'x' }, finishReason)) as { stop_reason: string }).stop_reason).toBe(stopReason);
  });

  it('takes cache reads and writes back out of input_tokens', () => {
    const message = fromOpenAi(
      response({ content: 'x' }, 'stop', {
        prompt_tokens: 130,
        completion_tokens: 5,
        total_tokens: 135,
        prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
      }),
    ) as { usage: unknown };
    expect(message.usage).toEqual({ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 });
  });

  it('keeps a msg_ id and reports zero usage when the upstream sent none', () => {
    const body = { ...response({ content: 'x' }), id: 'msg_keep', usage: undefined };
    expect(fromOpenAi(body)).toMatchObject({
      id: 'msg_keep',
      usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
  });
});
