import type { ClientStreamWriter, OpenAiChatChunk, SseFrame, Usage } from '@your-api/providers-core';
import { claudeClientFormat } from './client-format';

type Delta = OpenAiChatChunk['choices'][number]['delta'];

function chunk(delta: Delta, finishReason: OpenAiChatChunk['choices'][number]['finish_reason'] = null): OpenAiChatChunk {
  return { id: 'chatcmpl-s1', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

const usageChunk: OpenAiChatChunk = {
  id: 'chatcmpl-s1',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model: 'gpt-4o',
  choices: [],
  usage: { prompt_tokens: 50, completion_tokens: 7, total_tokens: 57 },
};

const finalUsage: Usage = { promptTokens: 50, completionTokens: 7, totalTokens: 57, cachedTokens: 30, cacheWriteTokens: 5, reasoningTokens: 0 };

/** Writes chunks then ends; returns every frame with its data parsed. */
function write(chunks: OpenAiChatChunk[], writer: ClientStreamWriter = claudeClientFormat.createStreamWriter('claude-sonnet-4-5', 42)) {
  const frames: SseFrame[] = [...chunks.flatMap((c) => writer.onChunk(c)), ...writer.end(finalUsage)];
  return frames.map((frame) => ({ event: frame.event, data: JSON.parse(frame.data) as Record<string, unknown> }));
}

const names = (frames: { event?: string }[]) => frames.map((frame) => frame.event);

describe('claudeClientFormat stream writer', () => {
  it('writes message_start, one text block, message_delta and message_stop; every event named after its type', () => {
    const frames = write([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk]);
    expect(names(frames)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames.every((frame) => frame.data.type === frame.event)).toBe(true);
    expect(frames[0].data.message).toEqual({
      id: 'msg_s1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 42, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(frames[1].data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(frames[2].data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } });
    expect(frames[4].data).toEqual({ type: 'content_block_stop', index: 0 });
  });

  it('puts the stop reason and the final usage (cache taken out of input) in message_delta', () => {
    const frames = write([chunk({ content: 'x' }), chunk({}, 'length')]);
    expect(frames.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { input_tokens: 15, output_tokens: 7, cache_read_input_tokens: 30, cache_creation_input_tokens: 5 },
    });
    expect(frames.at(-1)?.data).toEqual({ type: 'message_stop' });
  });

  it('closes each block before opening the next: thinking, text, then each tool call by index', () => {
    const frames = write([
      chunk({ role: 'assistant', reasoning_content: 'Think' }),
      chunk({ reasoning_content: 'ing' }),
      chunk({ content: 'Calling tools.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(frames.map((frame) => [frame.event, frame.data.index])).toEqual([
      ['message_start', undefined],
      ['content_block_start', 0],
      ['content_block_delta', 0],
      ['content_block_delta', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_delta', 1],
      ['content_block_stop', 1],
      ['content_block_start', 2],
      ['content_block_delta', 2],
      ['content_block_delta', 2],
      ['content_block_stop', 2],
      ['content_block_start', 3],
      ['content_block_delta', 3],
      ['content_block_stop', 3],
      ['message_delta', undefined],
      ['message_stop', undefined],
    ]);
    expect(frames[1].data.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(frames[2].data.delta).toEqual({ type: 'thinking_delta', thinking: 'Think' });
    expect(frames[8].data.content_block).toEqual({ type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} });
    expect(frames[9].data.delta).toEqual({ type: 'input_json_delta', partial_json: '{"city":' });
    expect(frames[10].data.delta).toEqual({ type: 'input_json_delta', partial_json: '"Paris"}' });
    expect(frames[12].data.content_block).toEqual({ type: 'tool_use', id: 'call_b', name: 'get_time', input: {} });
    expect((frames.at(-2)?.data.delta as { stop_reason: string }).stop_reason).toBe('tool_use');
  });

  it('continues the open tool block when a proxy repeats the id on every fragment', () => {
    const frames = write([
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"a"' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { arguments: ':1}' } }] }),
    ]);
    expect(names(frames).filter((name) => name === 'content_block_start')).toHaveLength(1);
  });

  it('produces no frames for a usage-only chunk', () => {
    const writer = claudeClientFormat.createStreamWriter('m', 1);
    expect(writer.onChunk(usageChunk)).toEqual([]);
  });

  it('writes a complete sequence when the stream ends before any chunk', () => {
    const frames = write([]);
    expect(names(frames)).toEqual(['message_start', 'message_delta', 'message_stop']);
    expect((frames[0].data.message as { id: string }).id).toMatch(/^msg_\w+$/);
    expect((frames[1].data.delta as { stop_reason: string }).stop_reason).toBe('end_turn');
  });

  it('ends only once', () => {
    const writer = claudeClientFormat.createStreamWriter('m', 1);
    write([chunk({ content: 'x' })], writer);
    expect(writer.end(finalUsage)).toEqual([]);
    expect(writer.onChunk(chunk({ content: 'late' }))).toEqual([]);
  });

  it('writes an in-stream error as an `event: error` frame in Anthropic error shape', () => {
    const writer = claudeClientFormat.createStreamWriter('m', 1);
    writer.onChunk(chunk({ content: 'x' }));
    expect(writer.error(529, 'Overloaded')).toEqual([
      { event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) },
    ]);
    expect(writer.end(finalUsage)).toEqual([]);
  });
});
