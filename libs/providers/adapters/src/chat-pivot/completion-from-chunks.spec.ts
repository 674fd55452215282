import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelType } from '@your-api/contracts';
import { SseReader, UpstreamError, type UpstreamContext } from '@your-api/providers-core';
import { cozeUpstream } from '../coze/upstream';
import { chatCompletionFromChunks } from './completion-from-chunks';

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });

describe('chatCompletionFromChunks', () => {
  it('joins content and reasoning, keeps the last finish and the usage chunk', () => {
    const completion = chatCompletionFromChunks(
      [
        chunk({ role: 'assistant', reasoning_content: 'Think' }),
        chunk({ reasoning_content: 'ing.' }),
        chunk({ content: 'Hello, ' }),
        chunk({ content: 'world' }),
        chunk({}, 'length'),
        JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }),
        '[DONE]',
      ],
      'served-model',
    );
    expect(completion).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'served-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, world', reasoning_content: 'Thinking.' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
  });

  it('joins tool-call fragments by index into whole calls', () => {
    const completion = chatCompletionFromChunks(
      [
        chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        chunk({}, 'tool_calls'),
      ],
      'm',
    );
    expect(completion.choices[0].message).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(completion.usage).toBeUndefined();
  });

  it('reads a stream without a finish as a stop, and an empty one as an empty reply', () => {
    expect(chatCompletionFromChunks([chunk({ content: 'cut' })], 'm').choices[0]).toEqual({ index: 0, message: { role: 'assistant', content: 'cut' }, finish_reason: 'stop' });
    const empty = chatCompletionFromChunks(['[DONE]'], 'm');
    expect(empty.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop' }]);
    expect(empty.id).toMatch(/^chatcmpl-/);
  });

  it('throws an in-stream error as a retryable UpstreamError with its message and code', () => {
    let thrown: unknown;
    try {
      chatCompletionFromChunks([chunk({ content: 'x' }), JSON.stringify({ error: { message: 'token limit', type: 'coze_error', code: '4028' } })], 'm');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect(thrown).toMatchObject({ status: 502, retryable: true, message: 'token limit', upstreamType: 'coze_error', upstreamCode: '4028' });
  });

  it('folds a whole Coze stream into the completion a non-stream client expects', () => {
    const ctx: UpstreamContext = { channelType: ChannelType.Coze, baseUrl: '', apiKey: 'k', upstreamModel: 'coze-bot', stream: false, other: 'bot', settings: {} };
    const converter = cozeUpstream.createChatStreamConverter(ctx);
    const payloads: string[] = [];
    const reader = new SseReader((event) => payloads.push(...converter.onEvent(event)));
    reader.push(readFileSync(join(__dirname, '../coze/fixtures/stream-text.sse')));
    reader.end();
    payloads.push(...converter.end());
    expect(chatCompletionFromChunks(payloads, 'coze-bot')).toMatchObject({
      id: '7382159487131697202',
      choices: [{ message: { role: 'assistant', content: 'Bonjour à vous' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 366, completion_tokens: 32, total_tokens: 398 },
    });
  });
});
