import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SseReader, type ChatStreamConverter, type OpenAiChatChunk, type UpstreamContext } from '@your-api/providers-core';
import { claudeUpstream } from './upstream-adapter';

const ctx: UpstreamContext = {
  channelType: 14,
  baseUrl: 'https://api.anthropic.com',
  apiKey: 'k',
  upstreamModel: 'claude-sonnet-4-5',
  stream: true,
  other: '',
  settings: {},
};

/** Feeds a recorded Claude stream through a converter, `pieceSize` bytes at a time, then ends it. */
function replay(fixture: string, pieceSize = Infinity): { payloads: string[]; converter: ChatStreamConverter } {
  const converter = claudeUpstream.createChatStreamConverter(ctx);
  const payloads: string[] = [];
  const reader = new SseReader((event) => payloads.push(...converter.onEvent(event)));
  const bytes = readFileSync(join(__dirname, 'fixtures', fixture));
  const step = Number.isFinite(pieceSize) ? pieceSize : bytes.length;
  for (let offset = 0; offset < bytes.length; offset += step) reader.push(bytes.subarray(offset, offset + step));
  reader.end();
  payloads.push(...converter.end());
  return { payloads, converter };
}

function chunks(payloads: string[]): OpenAiChatChunk[] {
  return payloads.filter((payload) => payload !== '[DONE]').map((payload) => JSON.parse(payload) as OpenAiChatChunk);
}

const deltas = (payloads: string[]) => chunks(payloads).flatMap((chunk) => chunk.choices.map((choice) => choice.delta));

describe('claudeUpstream stream converter', () => {
  it('streams text: role chunk, content chunks, finish chunk, one usage chunk, [DONE]', () => {
    const { payloads } = replay('stream-text.sse');
    const parsed = chunks(payloads);
    expect(payloads).toHaveLength(6);
    expect(parsed[0]).toMatchObject({ id: 'msg_01text', object: 'chat.completion.chunk', model: 'claude-sonnet-4-5' });
    expect(parsed.every((chunk) => chunk.id === 'msg_01text' && chunk.created === parsed[0].created)).toBe(true);
    expect(parsed.map((chunk) => chunk.choices[0]?.delta)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hel' }, { content: 'lo' }, {}, undefined]);
    expect(parsed[3].choices[0].finish_reason).toBe('stop');
    expect(parsed[4]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 55, completion_tokens: 5, total_tokens: 60, prompt_tokens_details: { cached_tokens: 40, cache_write_tokens: 3 } },
    });
    expect(payloads[5]).toBe('[DONE]');
  });

  it('gives the same payloads when the bytes arrive a few at a time', () => {
    const whole = replay('stream-tool-call.sse').payloads.map((payload) => payload.replace(/"created":\d+/, ''));
    const pieces = replay('stream-tool-call.sse', 7).payloads.map((payload) => payload.replace(/"created":\d+/, ''));
    expect(pieces).toEqual(whole);
  });

  it('streams tool calls numbered from 0, with split JSON arguments passed on as they come', () => {
    const { payloads } = replay('stream-tool-call.sse');
    expect(deltas(payloads)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Checking.' },
      { tool_calls: [{ index: 0, id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] },
      { tool_calls: [{ index: 1, id: 'toolu_01B', type: 'function', function: { name: 'get_time', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"tz":"CET"}' } }] },
      {},
    ]);
    const parsed = chunks(payloads);
    expect(parsed.at(-2)?.choices[0].finish_reason).toBe('tool_calls');
    expect(parsed.at(-1)?.usage).toEqual({ prompt_tokens: 30, completion_tokens: 41, total_tokens: 71 });
  });

  it('streams thinking as reasoning_content and ignores the signature', () => {
    const { payloads } = replay('stream-thinking.sse');
    expect(deltas(payloads)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Two plus two ' },
      { reasoning_content: 'is four.' },
      { content: '4' },
      {},
    ]);
    expect(payloads.join('')).not.toContain('EqQB');
    expect(chunks(payloads).at(-2)?.choices[0].finish_reason).toBe('length');
  });

  it('takes usage fields from message_delta over message_start when they are > 0', () => {
    const usage = chunks(replay('stream-thinking.sse').payloads).at(-1)?.usage;
    // message_start: input 20, no cache; message_delta: input 25, cache read 7, output 60.
    expect(usage).toEqual({ prompt_tokens: 32, completion_tokens: 60, total_tokens: 92, prompt_tokens_details: { cached_tokens: 7 } });
  });

  it('ignores ping events', () => {
    const converter = claudeUpstream.createChatStreamConverter(ctx);
    expect(converter.onEvent({ event: 'ping', data: '{"type":"ping"}', id: undefined })).toEqual([]);
  });

  it('forwards an error event as an OpenAI error payload, then ends once with [DONE]', () => {
    const { payloads } = replay('stream-error.sse');
    expect(payloads.slice(0, 3).map((payload) => JSON.parse(payload) as unknown)).toEqual([
      expect.objectContaining({ choices: [expect.objectContaining({ delta: { role: 'assistant', content: '' } })] }),
      expect.objectContaining({ choices: [expect.objectContaining({ delta: { content: 'Par' } })] }),
      { error: { message: 'Overloaded', type: 'overloaded_error' } },
    ]);
    expect(payloads.filter((payload) => payload === '[DONE]')).toHaveLength(1);
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('emits the usage chunk and [DONE] from end() when message_stop never came', () => {
    const { payloads } = replay('stream-no-stop.sse');
    expect(payloads.slice(-2)).toEqual([expect.stringContaining('"choices":[]'), '[DONE]']);
    expect(chunks(payloads).at(-1)?.usage).toEqual({ prompt_tokens: 15, completion_tokens: 3, total_tokens: 18 });
  });

  it('never sends [DONE] twice: end() after message_stop returns nothing', () => {
    const { payloads, converter } = replay('stream-text.sse');
    expect(payloads.filter((payload) => payload === '[DONE]')).toHaveLength(1);
    expect(converter.end()).toEqual([]);
    expect(converter.onEvent({ event: 'message_stop', data: '{"type":"message_stop"}', id: undefined })).toEqual([]);
  });

  it('ends an empty stream with [DONE] alone (no usage to report)', () => {
    const converter = claudeUpstream.createChatStreamConverter(ctx);
    expect(converter.end()).toEqual(['[DONE]']);
  });

  it('uses the SSE event name when the data carries no type, and skips non-JSON data', () => {
    const converter = claudeUpstream.createChatStreamConverter(ctx);
    expect(converter.onEvent({ event: 'message_start', data: '{"message":{"id":"msg_x","usage":{"input_tokens":1}}}', id: undefined })).toHaveLength(1);
    expect(converter.onEvent({ event: 'content_block_delta', data: 'not json', id: undefined })).toEqual([]);
  });
});
